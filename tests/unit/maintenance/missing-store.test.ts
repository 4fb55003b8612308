import { randomBytes } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../lib/config/project-root.js';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import { createTestDatabase } from '../../helpers/databases.js';
import { databaseExists, entriesUnder, linesOf, makeTempDir, postgresUrl, runCommand, tablesOf } from './commands.js';

// A command that reads a store (or adds to one its node made) never creates it: a mistyped
// path, a missing DATA_DIR or a database that does not exist is refused with one line naming
// the store (never its password), a failing exit code, and nothing left behind: no SQLite
// file, -wal, -shm or folder, no PostgreSQL database, no table.

const SHIPPED_LIST = path.join(PROJECT_ROOT, 'tests/fixtures/un/un-consolidated-2024-09-26.xml');

interface StoreCommand {
  command: string;
  agency: string;
  /** The command line and environment that point the command at `store`. */
  run(store: string, root: string): { args: string[]; env: Record<string, string> };
  /** The same command finding its store as its node does, in the federation config under DATA_DIR. */
  fromDataDir: (dataDir: string, root: string) => { args: string[]; env: Record<string, string> };
  exitCode: number;
}

const byVariable = (store: string) => (store.startsWith('postgres') ? { DATABASE_URL: store } : { DATABASE_PATH: store });

const STORE_COMMANDS: StoreCommand[] = [
  {
    command: 'audit:verify',
    agency: 'EUROPOL',
    run: (store) => ({ args: ['--agency', 'EUROPOL', '--database', store], env: {} }),
    fromDataDir: (dataDir) => ({ args: ['--agency', 'EUROPOL'], env: { DATA_DIR: dataDir } }),
    exitCode: 2,
  },
  {
    command: 'store:copy',
    agency: 'LMLECC',
    // The target is a new SQLite file: it must not be created either when the source is refused.
    run: (store, root) => ({ args: ['--agency', 'LMLECC', '--from', store, '--to', path.join(root, 'target.sqlite')], env: {} }),
    fromDataDir: (dataDir) => ({
      args: ['--agency', 'LMLECC', '--from', path.join(dataDir, 'lmlecc.sqlite'), '--to', path.join(dataDir, 'target.sqlite')],
      env: { DATA_DIR: dataDir },
    }),
    exitCode: 1,
  },
  {
    command: 'import:un',
    agency: 'INTERPOL',
    run: (store) => ({ args: [SHIPPED_LIST, '--agency', 'INTERPOL'], env: byVariable(store) }),
    fromDataDir: (dataDir) => ({ args: [SHIPPED_LIST, '--agency', 'INTERPOL'], env: { DATA_DIR: dataDir } }),
    exitCode: 1,
  },
];

let root: string;

beforeEach(async () => {
  root = await makeTempDir('missing');
});

afterEach(() => rm(root, { recursive: true, force: true }));

/** One line, `<command>: Cannot open the store of agency X: <store> <reason>`, no stack trace. */
function expectRefusal(stderr: string, command: StoreCommand, store: string, reason: RegExp): void {
  const lines = linesOf(stderr);
  expect(lines).toHaveLength(1);
  expect(lines[0]!.startsWith(`${command.command}: Cannot open the store of agency ${command.agency}: ${store} `), lines[0]).toBe(true);
  expect(lines[0]).toMatch(reason);
  expect(stderr).not.toMatch(/\n\s+at |\.ts:\d+/);
}

describe.each(STORE_COMMANDS)('$command', (command) => {
  it('refuses a SQLite file that does not exist, and creates nothing', async () => {
    const store = path.join(root, 'mistyped.sqlite');
    const { args, env } = command.run(store, root);
    const run = await runCommand(command.command, args, env);
    expect(run.code).toBe(command.exitCode);
    expect(run.stdout).toBe('');
    expectRefusal(run.stderr, command, `database file ${store}`, /does not exist\. .*a node creates its store when it first starts/);
    expect(entriesUnder(root)).toEqual([]);
  });

  it('refuses a store under a DATA_DIR that does not exist, and creates no folder', async () => {
    const dataDir = path.join(root, 'no-such-data-dir');
    const { args, env } = command.fromDataDir(dataDir, root);
    const run = await runCommand(command.command, args, env);
    const store = path.join(dataDir, `${command.agency.toLowerCase()}.sqlite`);
    expect(run.code).toBe(command.exitCode);
    expectRefusal(run.stderr, command, `database file ${store}`, new RegExp(`does not exist \\(nor does its folder ${dataDir}\\)`));
    expect(existsSync(dataDir)).toBe(false);
    expect(entriesUnder(root)).toEqual([]);
  });

  it('refuses a PostgreSQL database that does not exist, without showing its password, and creates none', async () => {
    const name = `rf_test_missing_${randomBytes(4).toString('hex')}`;
    const { args, env } = command.run(postgresUrl(name), root);
    const run = await runCommand(command.command, args, env);
    expect(run.code).toBe(command.exitCode);
    expectRefusal(run.stderr, command, `PostgreSQL database ${postgresUrl(name, '')}`, /does not exist/);
    expect(run.stderr).not.toContain('never-shown-secret');
    expect(await databaseExists(name)).toBe(false);
    expect(entriesUnder(root)).toEqual([]);
  });

  it('refuses a PostgreSQL database no node has made a store in, and creates no table', async () => {
    const empty = await createTestDatabase('postgres', 'maintenance-empty');
    try {
      const { args, env } = command.run(empty.database, root);
      const run = await runCommand(command.command, args, env);
      expect(run.code).toBe(command.exitCode);
      expectRefusal(
        run.stderr,
        command,
        `PostgreSQL database ${empty.database}`,
        /holds no agency store \(no tables\)\. Start the agency's node/,
      );
      expect(await tablesOf(empty.database)).toEqual([]);
      expect(entriesUnder(root)).toEqual([]);
    } finally {
      await empty.drop();
    }
  });

  it('refuses an empty SQLite file, and leaves it empty', async () => {
    const store = path.join(root, 'empty.sqlite');
    writeFileSync(store, '');
    const { args, env } = command.run(store, root);
    const run = await runCommand(command.command, args, env);
    expect(run.code).toBe(command.exitCode);
    expectRefusal(run.stderr, command, `database file ${store}`, /holds no agency store/);
    expect(statSync(store).size).toBe(0);
    expect(entriesUnder(root)).toEqual(['empty.sqlite']);
  });
});

describe('a store its node made', () => {
  it('is read: the refusals above are about the store, not the command', async () => {
    const store = path.join(root, 'europol.sqlite');
    await (await openStore({ agency: 'EUROPOL', database: store })).close();
    const run = await runCommand('audit:verify', ['--agency', 'EUROPOL', '--database', store]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^EUROPOL audit ledger holds: 0 entries/m);
    // Without the node's audit key the witnesses cannot be asked; the command says so and makes no key.
    expect(run.stdout).toMatch(/^witnesses not asked: no audit signing key at .*europol\.private\.jwk\.json$/m);
    expect(entriesUnder(root).some((entry) => entry.includes('audit-keys'))).toBe(false);
  });
});

describe('token', () => {
  it('refuses a DATA_DIR without the dev issuer, and makes no key', async () => {
    const dataDir = path.join(root, 'no-such-data-dir');
    const run = await runCommand('token', ['--agency', 'TH-RTP'], { DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(linesOf(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^token: no development token issuer at ${dataDir}/dev-issuer/private\\.jwk\\.json: `)),
    ]);
    expect(entriesUnder(root)).toEqual([]);
  });
});

describe('eval:screening', () => {
  it('refuses a list that does not exist, and leaves no temporary store', async () => {
    const list = path.join(root, 'mistyped.xml');
    const run = await runCommand('eval:screening', ['--list', list], { TMPDIR: root });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(linesOf(run.stderr)).toEqual([`eval:screening: no such file: ${list}`]);
    // The TypeScript loader (tsx) keeps its cache in TMPDIR too; the command's own would be screening-eval-*.
    expect(entriesUnder(root).filter((entry) => !entry.startsWith('tsx-'))).toEqual([]);
  });
});
