import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDevIssuer } from '../../../lib/auth/dev-issuer.js';
import { loadConfig, PROJECT_ROOT } from '../../../lib/config/index.js';
import { makeDataDir, postGraphQL, tokenFor, writeTestConfig } from '../../helpers/federation.js';

// `npm start` as a user runs it, and the ways a node refuses a database it cannot use.

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function freshDataDir(): Promise<string> {
  const dir = await makeDataDir();
  dirs.push(dir);
  return dir;
}

interface Proc {
  pid: number;
  args: string;
}

/** Every process below `pid` (services, and helpers such as tsx's esbuild). */
function descendants(pid: number): Proc[] {
  let children: Proc[] = [];
  try {
    children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ pid: Number(m[1]), args: m[2]! }));
  } catch {
    // ps exits 1 when there is none.
  }
  return children.flatMap((child) => [child, ...descendants(child.pid)]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `npm start`'s script until it prints the gateway URL; resolves with the URL. */
function startCli(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const match = /Gateway ready at (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    createInterface({ input: child.stderr }).on('line', (line) => output.push(line));
    void exited.then((code) => reject(new Error(`start exited with ${code}:\n${output.join('\n')}`)));
  });
  return { child, ready, exited, output };
}

describe('npm start', () => {
  it('starts every process, serves the federation, and leaves nothing behind on Ctrl-C', async () => {
    const dataDir = await freshDataDir();
    const env = { FEDERATION_CONFIG: await writeTestConfig(dataDir), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    const first = startCli(env);
    const url = await first.ready;
    // The dev issuer that `npm start` made is the one `npm run token` signs with.
    const token = await tokenFor(await ensureDevIssuer(dataDir), loadConfig(env), { agency: 'INTERPOL' });
    const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' };
    const children = descendants(first.child.pid!);
    expect(children.filter((p) => /main\.ts$/.test(p.args))).toHaveLength(6);

    const { data } = await postGraphQL<{ agencies: { code: string; holdings: { cases: number } | null }[] }>(
      url,
      '{ agencies { code holdings { cases } } }',
      {},
      headers,
    );
    const holdings = data!.agencies.filter((a) => a.holdings).map((a) => [a.code, a.holdings!.cases]);
    expect(holdings.map(([code]) => code)).toEqual(['INTERPOL', 'EUROPOL', 'ASEANAPOL', 'LMLECC']);
    expect(
      readdirSync(dataDir)
        .filter((f) => f.endsWith('.sqlite'))
        .sort(),
    ).toEqual(['aseanapol.sqlite', 'europol.sqlite', 'interpol.sqlite', 'lmlecc.sqlite']);

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    // Helpers such as esbuild exit when their parent's pipe closes: give them a moment.
    for (let i = 0; i < 30 && children.some((p) => alive(p.pid)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(children.filter((p) => alive(p.pid))).toEqual([]);
    // No lock and no write-ahead log left: another process can write at once.
    for (const file of readdirSync(dataDir).filter((f) => f.endsWith('.sqlite'))) {
      expect(existsSync(path.join(dataDir, `${file}-wal`))).toBe(false);
      const db = new Database(path.join(dataDir, file), { timeout: 0 });
      db.exec('BEGIN IMMEDIATE; ROLLBACK');
      db.close();
    }

    // A second start keeps what is there instead of seeding again.
    const second = startCli(env);
    const again = await postGraphQL<typeof data>(await second.ready, '{ agencies { code holdings { cases } } }', {}, headers);
    expect(again.data!.agencies.filter((a) => a.holdings).map((a) => [a.code, a.holdings!.cases])).toEqual(holdings);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('moves the gateway with GATEWAY_PORT', async () => {
    const dataDir = await freshDataDir();
    const port = String(40000 + Math.floor(Math.random() * 20000));
    const run = startCli({ FEDERATION_CONFIG: await writeTestConfig(dataDir), DATA_DIR: dataDir, GATEWAY_PORT: port, LOG_LEVEL: 'warn' });
    const url = await run.ready;
    expect(url).toBe(`http://localhost:${port}/`);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });
});

describe('a node refuses a database it cannot use', () => {
  async function startNode(database: string) {
    const dataDir = await freshDataDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'subgraphs/agency/main.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        FEDERATION_CONFIG: await writeTestConfig(dataDir),
        // Its own data directory: a node makes its audit signing key there on start.
        DATA_DIR: dataDir,
        AGENCY_CODE: 'EUROPOL',
        PORT: '0',
        DATABASE_PATH: database,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stderr: stderr.trim() };
  }

  it('refuses a corrupt file, naming it, in one line', async () => {
    const file = path.join(await freshDataDir(), 'europol.sqlite');
    await writeFile(file, 'this is not a database, it is a shopping list\n'.repeat(200));
    const { code, stderr } = await startNode(file);
    expect(code).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toContain(file);
    expect(stderr).toMatch(/not a SQLite database or is corrupt/);
  });

  it('refuses a file another process holds locked, naming it', async () => {
    const file = path.join(await freshDataDir(), 'europol.sqlite');
    const holder = new Database(file);
    holder.exec('CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)');
    try {
      const { code, stderr } = await startNode(file);
      expect(code).toBe(1);
      expect(stderr).toContain(file);
      expect(stderr).toMatch(/locked by another process/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});
