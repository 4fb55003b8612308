import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataset } from '../../../conformance/dataset/format.js';
import { PROJECT_ROOT } from '../../../lib/config/project-root.js';
import { createTestDatabase, dumpStore, STORE_KINDS, type TestDatabase } from '../../helpers/databases.js';
import { linesOf, makeTempDir, runCommand } from './commands.js';

// `npm run store:load -- --agency X --file F --store S` loads a data set in the conformance
// format into an empty store, as X's records; a store holding records is left alone; a bad
// file is one line and creates nothing.

const FILE = path.join(PROJECT_ROOT, 'conformance', 'dataset.json');
const AGENCY = 'LMLECC';

describe.each(STORE_KINDS)('store:load on %s', (kind) => {
  let store: TestDatabase;
  beforeAll(async () => {
    store = await createTestDatabase(kind, 'load');
  });
  afterAll(() => store?.drop());

  const load = (database: string, file = FILE) => runCommand('store:load', ['--agency', AGENCY, '--file', file, '--store', database]);

  it("loads every record, label, link and name as the agency's, in an empty store", async () => {
    const run = await load(store.database);
    expect(run.code, run.stderr).toBe(0);
    expect(linesOf(run.stdout)).toEqual([
      expect.stringMatching(/^loaded dataset\.json into LMLECC \(.+\): 50 subjects, 50 notices, 50 cases$/),
    ]);
    const dataset = readDataset(FILE);
    const dump = await dumpStore(store.database);
    expect(dump.releasability).toHaveLength(Object.values(dataset.labels).reduce((n, labels) => n + labels.releasableTo.length, 0));
    expect(dump.subjectNames).toHaveLength(dataset.subjects.reduce((n, subject) => n + subject.names.length, 0));
    // The owner takes part in every case, first.
    const participants = dump.caseAgencies as { caseId: string; ordinal: number; agency: string }[];
    for (const record of dataset.cases) {
      expect(participants.filter((row) => row.caseId === record.localId).map((row) => row.agency)).toEqual([
        AGENCY,
        ...record.participatingAgencies,
      ]);
    }
  });

  it('leaves a store that holds records as it is', async () => {
    const before = await dumpStore(store.database);
    const run = await load(store.database);
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual([
      expect.stringMatching(/^store:load: LMLECC's store \(.+\) already holds records: load a data set into an empty store only$/),
    ]);
    expect(await dumpStore(store.database)).toEqual(before);
  });
});

describe('store:load with a bad command line or file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('load');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses a missing file with one line, and creates no store', async () => {
    const database = path.join(dir, 'never.sqlite');
    const run = await runCommand('store:load', ['--agency', AGENCY, '--file', path.join(dir, 'absent.json'), '--store', database]);
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual([`store:load: cannot read the data set ${path.join(dir, 'absent.json')}: no such file`]);
    expect(existsSync(database)).toBe(false);
  });

  it('refuses a malformed agency code (exit 2)', async () => {
    const run = await runCommand('store:load', ['--agency', 'europol', '--file', FILE, '--store', path.join(dir, 'x.sqlite')]);
    expect(run.code).toBe(2);
    expect(linesOf(run.stderr)).toHaveLength(1);
    expect(existsSync(path.join(dir, 'x.sqlite'))).toBe(false);
  });
});
