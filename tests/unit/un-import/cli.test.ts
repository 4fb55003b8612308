import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import { dumpStore } from '../../helpers/databases.js';
import { makeTempDir, runImportCli, SHIPPED_LIST, shippedXml, writeList } from './lists.js';

// `npm run import:un` as a user runs it: a real process, its exit code, what it prints.
// The store is the node's: it exists before the import (a store that does not is refused,
// tests/unit/maintenance/), so the suite makes it as a node's first start does.

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await makeTempDir();
  env = { DATABASE_PATH: path.join(dir, 'interpol.sqlite'), DATABASE_URL: '' };
  await (await openStore({ agency: 'INTERPOL', database: env.DATABASE_PATH! })).close();
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** No stack trace, no source path: what a user reads. */
function expectOneCleanLine(stderr: string, message: RegExp): void {
  expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  expect(stderr).not.toMatch(/\n\s+at |\.ts:\d+/);
}

describe('npm run import:un', () => {
  it('imports the list and, when not on a terminal, prints only its summary (no progress)', async () => {
    const run = await runImportCli([SHIPPED_LIST, '--agency', 'INTERPOL'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('UN Security Council Consolidated List of 2024-09-26 -> INTERPOL (database file');
    expect(run.stdout).toContain('875 entries: 682 persons, 193 organisations');
    expect(run.stdout).toContain('added 875, updated 0, delisted 0, unchanged 0');
    expect(run.stderr).toBe('');
  });

  it('says when a second import changes nothing', async () => {
    const run = await runImportCli([SHIPPED_LIST], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('added 0, updated 0, delisted 0, unchanged 875');
    expect(run.stdout).toContain('Nothing changed: the store already holds this list.');
  });

  it('refuses a truncated file with one line and a failing exit code, and leaves the store as it was', async () => {
    const xml = shippedXml();
    const file = await writeList(dir, 'truncated.xml', xml.slice(0, xml.length / 2));
    const before = await dumpStore(env.DATABASE_PATH!);
    const run = await runImportCli([file], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expectOneCleanLine(run.stderr, /^import:un: the file ends inside <[A-Z_]+> at line \d+: it is truncated$/);
    expect(await dumpStore(env.DATABASE_PATH!)).toEqual(before);
  });

  it('names a missing file', async () => {
    const run = await runImportCli([path.join(dir, 'nope.xml')], env);
    expect(run.code).toBe(1);
    expectOneCleanLine(run.stderr, /^import:un: no such file: .*nope\.xml$/);
  });

  it('shows the usage for a missing argument, and refuses an agency that runs no node', async () => {
    const usage = await runImportCli([], env);
    expect(usage.code).toBe(2);
    expectOneCleanLine(usage.stderr, /^import:un: usage: npm run import:un -- <consolidated list \.xml> \[--agency CODE\]/);
    const unknown = await runImportCli([SHIPPED_LIST, '--agency', 'AFRIPOL'], { DATABASE_PATH: '', DATABASE_URL: '' });
    expect(unknown.code).toBe(2);
    expectOneCleanLine(unknown.stderr, /^import:un: agency AFRIPOL runs no node in the federation config/);
  });
});
