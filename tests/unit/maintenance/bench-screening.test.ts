import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entriesUnder, linesOf, makeTempDir, runCommand } from './commands.js';

// bench:screening builds its store, then times it in a process of its own; --keep keeps the
// store it built, --store times a kept one again without building or changing anything.

const FIGURES =
  /^(\d+) screening queries as TH-RTP: p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms; CPU [\d.]+ ms per query; \d+ hits$/m;
const SMALL = { BENCH_SUBJECTS: '1000', BENCH_QUERIES: '12' };
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('bench-screening');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('bench:screening', () => {
  it('refuses --store of a missing file in one line, creating nothing', async () => {
    const missing = path.join(dir, 'missing', 'store.sqlite');
    const run = await runCommand('bench:screening', ['--store', missing], SMALL);
    expect(run.code).toBe(2);
    expect(linesOf(run.stderr)).toEqual([
      `bench:screening: ${missing} does not exist: build one with --keep first (see npm run bench:screening -- --help)`,
    ]);
    expect(existsSync(path.dirname(missing))).toBe(false);
  });

  it('refuses to --keep into a file that exists, leaving it as it was', async () => {
    const file = path.join(dir, 'taken.sqlite');
    writeFileSync(file, 'not ours');
    const run = await runCommand('bench:screening', ['--keep', file], SMALL);
    expect(run.code).toBe(2);
    expect(linesOf(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain('already exists');
    expect(readFileSync(file, 'utf8')).toBe('not ours');
  });

  it.each([
    [['--keep', 'postgres://bench@127.0.0.1:5432/records'], '--keep takes a SQLite file path, not a database URL'],
    [['--store', 'postgresql://127.0.0.1/records'], '--store takes a SQLite file path, not a database URL'],
    [['--keep='], '--keep needs a file path'],
  ])('refuses %j in one line, before building anything', async (args, message) => {
    const run = await runCommand('bench:screening', args, { ...SMALL, TMPDIR: dir });
    expect(run.code).toBe(2);
    expect(linesOf(run.stderr)).toEqual([`bench:screening: ${message} (see npm run bench:screening -- --help)`]);
    expect(entriesUnder(dir).filter((entry) => entry.startsWith('bench-screening-'))).toEqual([]);
  });

  it('refuses a number of questions that is not a whole number of 1 or more', async () => {
    const run = await runCommand('bench:screening', [], { ...SMALL, BENCH_QUERIES: '0' });
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual(['bench:screening: BENCH_QUERIES must be a whole number of 1 or more; got 0.']);
  });

  it('refuses a --store that is not a store in one line, without a stack', async () => {
    const file = path.join(dir, 'text.sqlite');
    writeFileSync(file, 'plain text, not SQLite');
    const run = await runCommand('bench:screening', ['--store', file], SMALL);
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/^bench:screening: Cannot open the store of agency INTERPOL: .* not a SQLite database/);
    expect(readFileSync(file, 'utf8')).toBe('plain text, not SQLite');
  });

  it('keeps the store it built with --keep, and times it again with --store without changing it', async () => {
    const kept = path.join(dir, 'kept', 'store.sqlite');
    const built = await runCommand('bench:screening', ['--keep', kept], SMALL);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/^store: \d+ subjects, indexed for screening as stored/m);
    expect(FIGURES.exec(built.stdout)?.[1]).toBe('12');
    const before = digest(kept);
    const files = entriesUnder(path.dirname(kept));

    const again = await runCommand('bench:screening', ['--store', kept], { ...SMALL, BENCH_SUBJECTS: '5000' });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/^store:/m);
    expect(FIGURES.exec(again.stdout)?.[1]).toBe('12');
    expect(digest(kept)).toBe(before);
    expect(entriesUnder(path.dirname(kept))).toEqual(files);
  });

  it('removes the temporary store it built when not asked to keep it', async () => {
    const run = await runCommand('bench:screening', [], { ...SMALL, TMPDIR: dir });
    expect(run.code).toBe(0);
    expect(FIGURES.test(run.stdout)).toBe(true);
    expect(entriesUnder(dir).filter((entry) => entry.startsWith('bench-screening-'))).toEqual([]);
  });
});
