import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../subgraphs/agency/seed/generate.js';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import { createTestDatabase, dumpStore, STORE_KINDS, type TestDatabase } from '../../helpers/databases.js';
import { entriesUnder, linesOf, makeTempDir, postgresUrl, runCommand } from './commands.js';

// `npm run seed -- --agency X --subjects N` grows a store to N subjects with synthetic
// records: the demo data first in an empty store, then batches, each linked within itself;
// the same command on two empty stores writes the same records; again, it adds nothing;
// bad input is one line and touches nothing.

const AGENCY = 'ASEANAPOL';

async function holdings(database: string) {
  const store = await openStore({ agency: AGENCY, database, mustExist: true });
  try {
    return await store.holdingsOfOwner();
  } finally {
    await store.close();
  }
}

describe.each(STORE_KINDS)('seed on %s', (kind) => {
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase(kind, 'seed-a'), createTestDatabase(kind, 'seed-b')]);
  });

  afterAll(async () => {
    await Promise.all([first?.drop(), second?.drop()]);
  });

  const seed = (database: string, subjects: number) =>
    runCommand('seed', ['--agency', AGENCY, '--subjects', String(subjects), '--store', database]);

  it('grows an empty store to N subjects, demo data first, notices and cases in proportion', async () => {
    const run = await seed(first.database, 1500);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const demo = generateDataset(AGENCY);
    const held = await holdings(first.database);
    expect(held.subjects).toBe(1500);
    expect(held.notices).toBeGreaterThan(demo.notices.length * 2);
    expect(held.cases).toBeGreaterThan(demo.cases.length * 2);
    expect(linesOf(run.stdout)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^seeded ${AGENCY} \\(.+\\): 1500 subjects, ${held.notices} notices, ${held.cases} cases \\(\\+\\d+, \\+\\d+, \\+\\d+\\) in [\\d.]+ s$`,
        ),
      ),
    ]);
    const dump = await dumpStore(first.database);
    const subjects = new Set((dump.subjects as { localId: string }[]).map((s) => s.localId));
    // The demo data as the node would have seeded it, and every link within the store.
    for (const subject of demo.subjects) expect(subjects.has(subject.localId)).toBe(true);
    for (const notice of dump.notices as { subjectId: string }[]) expect(subjects.has(notice.subjectId)).toBe(true);
    for (const link of dump.caseSubjects as { subjectId: string }[]) expect(subjects.has(link.subjectId)).toBe(true);
    // Indexed for screening as written.
    const indexed = new Set((dump.screeningKeys as { subjectId: string }[]).map((k) => k.subjectId));
    expect(indexed.size).toBe(1500);
  });

  it('writes the same records into another empty store, and adds nothing when run again', async () => {
    expect((await seed(second.database, 1500)).code).toBe(0);
    const [a, b] = await Promise.all([dumpStore(first.database), dumpStore(second.database)]);
    const records = (dump: Record<string, unknown[]>) => ({
      subjects: dump.subjects,
      notices: dump.notices,
      cases: dump.cases,
      texts: dump.texts,
    });
    expect(records(b)).toEqual(records(a));
    const again = await seed(first.database, 1200);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already holds 1500 subjects: nothing to add/);
    expect(records(await dumpStore(first.database))).toEqual(records(a));
  });

  it('goes on from the batches a store already holds', async () => {
    const run = await seed(first.database, 2000);
    expect(run.code, run.stderr).toBe(0);
    expect((await holdings(first.database)).subjects).toBe(2000);
  });
});

describe('seed refuses bad input with one line and touches nothing', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await makeTempDir('seed');
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes into a PostgreSQL store only when --store names it', async () => {
    const run = await runCommand('seed', ['--agency', 'ASEANAPOL', '--subjects', '10'], {
      DATA_DIR: dir,
      DATABASE_URL: postgresUrl('rf_seed_never_made'),
    });
    expect(run.code).toBe(2);
    expect(linesOf(run.stderr)).toEqual([expect.stringMatching(/ASEANAPOL's store is a PostgreSQL database: name it with --store/)]);
    expect(run.stderr).not.toContain('never-shown-secret');
    expect(entriesUnder(dir)).toEqual([]);
  });

  it.each([
    [['--agency', 'ASEANAPOL'], /--agency and --subjects are required/],
    [['--agency', 'TH-RTP', '--subjects', '10'], /--agency must be one of INTERPOL, EUROPOL, ASEANAPOL, LMLECC/],
    [['--agency', 'ASEANAPOL', '--subjects', '1e5'], /--subjects must be a whole number from 1 to 10000000, not "1e5"/],
    [['--agency', 'ASEANAPOL', '--subjects', '0'], /--subjects must be a whole number/],
    [['--agency', 'ASEANAPOL', '--subjects', '99999999999'], /--subjects must be a whole number/],
  ])('%j', async (args, message) => {
    const store = path.join(dir, 'store.sqlite');
    const run = await runCommand('seed', [...args, '--store', store], { DATA_DIR: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(linesOf(run.stderr)).toEqual([expect.stringMatching(message)]);
    expect(linesOf(run.stderr)[0]).toMatch(/\(see npm run seed -- --help\)$/);
    expect(existsSync(store)).toBe(false);
    expect(entriesUnder(dir)).toEqual([]);
  });
});
