import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT, type Config } from '../../lib/config/index.js';
import { issueCertificate, makeCertificateAuthority } from '../../lib/tls/certificates.js';
import { ensureDevCertificates } from '../../lib/tls/dev-ca.js';
import { makeDataDir, writeTestConfig } from '../helpers/federation.js';

// scripts/healthcheck.ts as docker-compose runs it (`node --import tsx scripts/healthcheck.ts
// <service>` beside the service), against a real directory process on mutual TLS that refuses
// any client without a certificate from the federation's CA.

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Variables of the test process that would change what the script or the directory loads. */
const SERVICE_VARIABLES = [
  'AGENCY_CODE',
  'PORT',
  'HOST',
  'GATEWAY_PORT',
  'DATA_DIR',
  'FEDERATION_CONFIG',
  'FEDERATION_TLS',
  'TLS_CERT_FILE',
  'TLS_KEY_FILE',
  'DATABASE_URL',
  'DATABASE_PATH',
];

function environment(env: Record<string, string>): Record<string, string | undefined> {
  const inherited = { ...process.env };
  for (const name of SERVICE_VARIABLES) delete inherited[name];
  return { ...inherited, ...env };
}

function healthcheck(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/healthcheck.ts'), ...args],
      { cwd: PROJECT_ROOT, env: environment(env), timeout: 15_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Starts the directory as `npm start` does and waits until it says it is ready (IPC). */
function startDirectory(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'subgraphs/directory/main.ts')], {
    cwd: PROJECT_ROOT,
    env: environment(env),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the directory did not start: ${stderr}`));
    }, 12_000);
    child.on('message', (message: { type?: string }) => {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      resolve(child);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the directory exited with code ${code}: ${stderr}`));
    });
  });
}

const entriesUnder = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
const linesOf = (text: string) => text.trim().split('\n');

let dataDir: string;
let foreignDir: string;
let env: Record<string, string>;
let config: Config;
let directory: ChildProcess | undefined;
let filesBefore: string[];
let wrongCommandLines: Promise<Run[]>;
let againstDirectory: Promise<Run[]>;

beforeAll(async () => {
  dataDir = await makeDataDir();
  foreignDir = await mkdtemp(path.join(os.tmpdir(), 'healthcheck-foreign-'));
  // A "tls" section as federation.json names it (required client certificates), files under DATA_DIR/tls.
  const configFile = await writeTestConfig(dataDir, { tls: { clientCertificates: 'required' } });
  env = { FEDERATION_CONFIG: configFile, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  config = loadConfig(env);
  await ensureDevCertificates({ ...config.federation, tls: { ...config.federation.tls!, dev: true } });
  // A certificate for "directory" and localhost from a CA the federation does not trust.
  const stranger = await issueCertificate(await makeCertificateAuthority('Another CA'), {
    commonName: 'directory',
    names: ['localhost', '127.0.0.1', '::1', 'directory'],
  });
  await writeFile(path.join(foreignDir, 'directory.crt'), stranger.cert);
  await writeFile(path.join(foreignDir, 'directory.key'), stranger.key);
  filesBefore = entriesUnder(dataDir);
  // Each run starts a process (about 1.5 s of tsx): those that need no directory run while it starts.
  wrongCommandLines = Promise.all([healthcheck(['directory'], { ...env, AGENCY_CODE: 'INTERPOL' }), healthcheck([], env)]);
  directory = await startDirectory({ ...env, PORT: String(config.federation.directory.port) });
  const nothing = config.federation.agencies[0]!;
  againstDirectory = Promise.all([
    healthcheck(['directory'], env),
    // No node was started: nothing listens on its port.
    healthcheck([nothing.code.toLowerCase()], env),
    healthcheck(['directory'], {
      ...env,
      TLS_CERT_FILE: path.join(foreignDir, 'directory.crt'),
      TLS_KEY_FILE: path.join(foreignDir, 'directory.key'),
    }),
  ]);
}, 30_000);

afterAll(async () => {
  if (directory && directory.exitCode === null) {
    const exited = new Promise((resolve) => directory!.once('exit', resolve));
    directory.kill('SIGTERM');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
  await rm(foreignDir, { recursive: true, force: true });
});

describe('scripts/healthcheck.ts', () => {
  it('exits 0 for a ready directory that admits only clients with a federation certificate', async () => {
    const tls = config.federation.tls!;
    const url = `https://localhost:${config.federation.directory.port}/ready`;
    // Without a client certificate the directory does not say it is ready (it refuses the
    // handshake, or answers 403): a health check without one would always fail.
    const anonymous = new Agent({ connect: { ca: readFileSync(tls.ca, 'utf8') } });
    const status = await undiciFetch(url, { dispatcher: anonymous }).then(
      async (response) => {
        await response.body?.cancel();
        return response.status;
      },
      () => 'refused',
    );
    await anonymous.close();
    expect(status).not.toBe(200);

    const [run] = await againstDirectory;
    expect(run!.stderr).toBe('');
    expect(run!.code).toBe(0);
  });

  it('exits 1 with one line on stderr when nothing listens, and when its certificate is refused', async () => {
    const nothing = config.federation.agencies[0]!;
    const [, unreachable, refused] = (await againstDirectory) as [Run, Run, Run];
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toBe('');
    expect(linesOf(unreachable.stderr)).toHaveLength(1);
    expect(unreachable.stderr).toMatch(/^healthcheck: /);
    expect(unreachable.stderr).toContain(`:${nothing.port}/ready`);

    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(linesOf(refused.stderr)).toHaveLength(1);
    expect(refused.stderr).toMatch(/^healthcheck: /);
    expect(refused.stderr).toContain(`:${config.federation.directory.port}/ready`);
  });

  it('exits 1 (never 2, which Docker reserves) for a service that is not the one AGENCY_CODE names, or none', async () => {
    const [other, none] = (await wrongCommandLines) as [Run, Run];
    for (const run of [other, none]) {
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(linesOf(run.stderr)).toHaveLength(1);
    }
    expect(other.stderr).toContain('INTERPOL');
  });

  it('writes nothing: no store, no certificate, no key', async () => {
    await Promise.all([wrongCommandLines, againstDirectory]);
    expect(entriesUnder(dataDir)).toEqual(filesBefore);
    expect(filesBefore.filter((entry) => entry.endsWith('.sqlite'))).toEqual([]);
  });
});
