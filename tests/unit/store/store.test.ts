import { afterAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../subgraphs/agency/seed/generate.js';
import { openStore, StoreOpenError } from '../../../subgraphs/agency/store/open.js';
import type { DisclosureScope } from '../../../subgraphs/agency/store/rows.js';
import type { RecordStore } from '../../../subgraphs/agency/store/store.js';
import { TABLE_KEYS } from '../../../subgraphs/agency/store/copy.js';
import { createTestDatabase, dumpStore, STORE_KINDS, type StoreKind, type TestDatabase } from '../../helpers/databases.js';
import { readContent } from '../../../subgraphs/agency/store/content.js';
import { copyStore } from '../../../subgraphs/agency/store/copy.js';
import { listCases } from '../../../subgraphs/agency/store/scoped/cases.js';
import { countHoldings } from '../../../subgraphs/agency/store/scoped/holdings.js';
import { listNotices } from '../../../subgraphs/agency/store/scoped/notices.js';
import { listSubjects, subjectsById } from '../../../subgraphs/agency/store/scoped/subjects.js';
import { insertDataset } from '../../../subgraphs/agency/store/writes.js';

// The store on SQLite and on PostgreSQL: one code path, the same answers.

/** The owner's own scope: these tests are about storage, disclosure has its own suite. */
const OWNER: DisclosureScope = [{ kind: 'everything' }];

const created: TestDatabase[] = [];
const opened: RecordStore[] = [];
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await Promise.all(created.map((db) => db.drop()));
});

async function freshStore(kind: StoreKind, agency: string, seed = true): Promise<{ store: RecordStore; database: string }> {
  const db = await createTestDatabase(kind, agency);
  created.push(db);
  const store = await openStore({ agency, database: db.database });
  opened.push(store);
  if (seed) await insertDataset(store, generateDataset(agency));
  return { store, database: db.database };
}

describe.each(STORE_KINDS)('store on %s', (kind) => {
  it('migrates a new database: every table the copy knows, and no other', async () => {
    const { store } = await freshStore(kind, 'EUROPOL', false);
    expect(await store.isEmpty()).toBe(true);
    const expected = Object.keys(TABLE_KEYS).map((name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
    expect((await store.tableNames()).sort()).toEqual(expected.sort());
  });

  it('two fresh seeds produce identical stores', async () => {
    const [a, b] = await Promise.all([freshStore(kind, 'LMLECC'), freshStore(kind, 'LMLECC')]);
    const first = await dumpStore(a.database);
    expect(first.subjects!.length).toBeGreaterThanOrEqual(200);
    expect(first.cases!.length).toBeGreaterThanOrEqual(200);
    expect(await dumpStore(b.database)).toEqual(first);
  });

  it('stores a dataset exactly as generated', async () => {
    const dataset = generateDataset('ASEANAPOL');
    const { store } = await freshStore(kind, 'ASEANAPOL');
    expect(await countHoldings(store.db, OWNER)).toEqual({
      notices: dataset.notices.length,
      subjects: dataset.subjects.length,
      cases: dataset.cases.length,
    });
    const subject = dataset.subjects.find((s) => s.names.length > 2 && s.birthDates.length > 0)!;
    const names = await readContent(store.db, 'names', [subject.localId]);
    expect(names.map((n) => ({ full: n.full, script: n.script, kind: n.kind, quality: n.quality }))).toEqual(subject.names);
    const dates = await readContent(store.db, 'birthDates', [subject.localId]);
    expect(dates.map((d) => ({ qualifier: d.qualifier, date: d.date, from: d.dateFrom, to: d.dateTo }))).toEqual(subject.birthDates);
  });

  it('filters and bounds lists', async () => {
    const dataset = generateDataset('INTERPOL');
    const { store } = await freshStore(kind, 'INTERPOL');
    const red = await listNotices(store.db, OWNER, { first: 100, colours: ['RED', 'SILVER'] });
    const expected = dataset.notices.filter((n) => n.colour === 'RED' || n.colour === 'SILVER');
    expect(red).toHaveLength(Math.min(100, expected.length));
    expect(red.every((n) => n.colour === 'RED' || n.colour === 'SILVER')).toBe(true);
    expect(red.map((n) => n.issuedOn)).toEqual([...red.map((n) => n.issuedOn)].sort().reverse());

    const fraud = await listCases(store.db, OWNER, { first: 100, crimeTypes: ['TELECOM_FRAUD'] });
    expect(fraud.length).toBe(Math.min(100, dataset.cases.filter((c) => c.crimeTypes.includes('TELECOM_FRAUD')).length));
    expect(await listCases(store.db, OWNER, { first: 0 })).toEqual([]);
    expect(await listCases(store.db, OWNER, { first: 7 })).toHaveLength(7);
  });

  it('searches names case-insensitively and treats LIKE wildcards in input as text', async () => {
    const dataset = generateDataset('EUROPOL');
    const { store } = await freshStore(kind, 'EUROPOL');
    const someone = dataset.subjects.find((s) => s.kind === 'PERSON')!;
    const part = someone.names[0]!.full.split(' ').at(-1)!;
    const hits = await listSubjects(store.db, store.dialect, OWNER, {
      first: 100,
      name: part.toUpperCase() === part ? part.toLowerCase() : part.toUpperCase(),
    });
    if (/^\p{ASCII}+$/u.test(part)) expect(hits.map((s) => s.localId)).toContain(someone.localId);
    expect(await listSubjects(store.db, store.dialect, OWNER, { first: 100, name: '%' })).toEqual([]);
    expect(await listSubjects(store.db, store.dialect, OWNER, { first: 100, name: '_' })).toEqual([]);
    const nationals = await listSubjects(store.db, store.dialect, OWNER, {
      first: 100,
      nationality: someone.nationalities[0]!.toLowerCase(),
    });
    expect(nationals.map((s) => s.localId)).toContain(someone.localId);
  });

  it('finds a name part asked in capitals beyond ASCII (the trigram index looks up what the filter compares)', async () => {
    const dataset = generateDataset('ASEANAPOL');
    const { store } = await freshStore(kind, 'ASEANAPOL');
    // A Latin-script name part with a letter beyond ASCII that has a capital, e.g. "Nguyễn".
    const part = dataset.subjects
      .flatMap((s) => s.names.flatMap((n) => n.full.split(' ')))
      .find((word) => /^[\p{Script=Latin}]{4,}$/u.test(word) && /[^\p{ASCII}]/u.test(word) && word.toUpperCase() !== word.toLowerCase())!;
    expect(part).toBeDefined();
    const holders = dataset.subjects.filter((s) => s.names.some((n) => n.full.includes(part))).map((s) => s.localId);
    const found = await listSubjects(store.db, store.dialect, OWNER, { first: 100, name: part.toUpperCase() });
    for (const id of holders.slice(0, 100)) expect(found.map((s) => s.localId)).toContain(id);
  });

  it('reads batches by id, returning only what exists', async () => {
    const { store } = await freshStore(kind, 'LMLECC');
    const rows = await subjectsById(store.db, OWNER, ['S-00001', 'S-00003', 'S-99999']);
    expect(rows.map((r) => r.localId).sort()).toEqual(['S-00001', 'S-00003']);
  });
});

describe('moving a store between kinds', () => {
  it('copies a SQLite store into PostgreSQL row for row, and refuses a target that holds records', async () => {
    const source = await freshStore('sqlite', 'LMLECC');
    const target = await freshStore('postgres', 'LMLECC', false);
    const counts = await copyStore(source.store, target.store);
    expect(counts.subjects).toBe((await source.store.holdingsOfOwner()).subjects);
    expect(await dumpStore(target.database)).toEqual(await dumpStore(source.database));
    await expect(copyStore(source.store, target.store)).rejects.toThrow(/already holds records/);
  });
});

describe('a store that cannot be opened', () => {
  it('names a PostgreSQL database that does not exist, without its password', async () => {
    const error = await openStore({ agency: 'EUROPOL', database: 'postgres://postgres:s3cret@127.0.0.1:5432/rf_no_such_db' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(error.message).toMatch(/PostgreSQL database postgres:\/\/postgres@127\.0\.0\.1:5432\/rf_no_such_db does not exist/);
    expect(error.message).not.toContain('s3cret');
  });

  it('says when PostgreSQL cannot be reached', async () => {
    const error = await openStore({ agency: 'EUROPOL', database: 'postgres://postgres@127.0.0.1:1/x' }).catch((e) => e);
    expect(error.message).toMatch(/cannot be reached/);
  });
});
