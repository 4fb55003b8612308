import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../subgraphs/agency/seed/generate.js';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import type { DisclosureScope } from '../../../subgraphs/agency/store/rows.js';
import type { RecordStore } from '../../../subgraphs/agency/store/store.js';
import { importUnList } from '../../../subgraphs/agency/un/import.js';
import { UnListError } from '../../../subgraphs/agency/un/xml.js';
import { createTestDatabase, dumpStore, STORE_KINDS, type TestDatabase } from '../../helpers/databases.js';
import {
  CHANGED_DESIGNATION,
  entityBomb,
  entryXml,
  externalEntity,
  makeTempDir,
  MODIFIED,
  modifiedList,
  SHIPPED_LIST,
  shippedXml,
  writeList,
} from './lists.js';
import { readContent } from '../../../subgraphs/agency/store/content.js';
import { noticesById } from '../../../subgraphs/agency/store/scoped/notices.js';
import { insertDataset } from '../../../subgraphs/agency/store/writes.js';

// The importer on both kinds of store. The steps of one store run in order, as an
// operator's successive imports would: the list, the same list again, a newer list, the
// older one again, then files that must be refused.

const OWNER: DisclosureScope = [{ kind: 'everything' }];
const NO_CHANGE = { added: 0, updated: 0, delisted: 0 };

describe.each(STORE_KINDS)('importing the UN list into a store on %s', (kind) => {
  let db: TestDatabase;
  let store: RecordStore;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'un-import');
    store = await openStore({ agency: 'INTERPOL', database: db.database });
    dir = await makeTempDir();
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads 682 persons and 193 organisations as public UN_SPECIAL notices', async () => {
    const summary = await importUnList(store, SHIPPED_LIST);
    expect(summary).toEqual({
      generatedOn: '2024-09-26',
      persons: 682,
      organisations: 193,
      added: 875,
      updated: 0,
      delisted: 0,
      unchanged: 0,
    });
    const dump = await dumpStore(db.database);
    const subjects = dump.subjects as { kind: string; tlp: string; discoverable: number }[];
    expect(subjects.filter((s) => s.kind === 'PERSON')).toHaveLength(682);
    expect(subjects.filter((s) => s.kind === 'ORGANISATION')).toHaveLength(193);
    const notices = dump.notices as { colour: string; status: string; tlp: string; handling: string }[];
    expect(notices).toHaveLength(875);
    expect(new Set(notices.map((n) => `${n.colour} ${n.status} ${n.tlp} ${n.handling}`))).toEqual(new Set(['UN_SPECIAL ACTIVE CLEAR H0']));
    expect(subjects.every((s) => s.tlp === 'CLEAR' && s.discoverable === 1)).toBe(true);
  });

  it('stores aliases with their quality, the Arabic name, dates of birth and documents', async () => {
    const [notice] = await noticesById(store.db, OWNER, ['UN-TAi.005']);
    expect(notice).toMatchObject({ reference: 'TAi.005', issuedOn: '2001-02-23', subjectId: 'UNS-TAi.005', colour: 'UN_SPECIAL' });
    const names = await readContent(store.db, 'names', ['UNS-TAi.005']);
    expect(names.find((n) => n.kind === 'ORIGINAL_SCRIPT')).toMatchObject({ full: 'محمد طاهر أنوري', script: 'Arab' });
    expect(names.find((n) => n.full === 'Mohammad Taher Anwari')!.quality).toBe('GOOD');
    expect(names.find((n) => n.full === 'Haji Mudir')!.quality).toBe('LOW');
    const dates = await readContent(store.db, 'birthDates', ['UNS-TAi.005', 'UNS-TAi.023']);
    expect(dates.map(({ subjectId, qualifier, date, dateFrom, dateTo }) => ({ subjectId, qualifier, date, dateFrom, dateTo }))).toEqual([
      { subjectId: 'UNS-TAi.005', qualifier: 'APPROXIMATELY', date: '1961', dateFrom: null, dateTo: null },
      { subjectId: 'UNS-TAi.023', qualifier: 'BETWEEN', date: null, dateFrom: '1963', dateTo: '1968' },
    ]);
    const documents = await readContent(store.db, 'documents', ['UNS-QDi.237']);
    expect(documents).toContainEqual(expect.objectContaining({ type: 'PASSPORT', number: '2541451', issuingCountry: 'KW' }));
    const [listing] = await readContent(store.db, 'unListingOfNotice', ['UN-QDi.237']);
    expect(listing).toMatchObject({ referenceNumber: 'QDi.237', dataId: '2797952', listType: 'Al-Qaida', delistedOn: null });
    expect(JSON.parse(listing!.raw!).INDIVIDUAL_DOCUMENT[0].NOTE).toBe('valid until 16 Feb. 2017');
  });

  it('changes nothing when the same list is imported again, and says so', async () => {
    const before = await dumpStore(db.database);
    expect(await importUnList(store, SHIPPED_LIST)).toMatchObject({ ...NO_CHANGE, unchanged: 875 });
    expect(await dumpStore(db.database)).toEqual(before);
  });

  it('applies a newer list: one entry delisted (kept, cancelled), one updated, one added', async () => {
    const file = await writeList(dir, 'newer.xml', modifiedList(shippedXml()));
    const summary = await importUnList(store, file);
    expect(summary).toEqual({
      generatedOn: '2024-10-03',
      persons: 682,
      organisations: 193,
      added: 1,
      updated: 1,
      delisted: 1,
      unchanged: 873,
    });

    const [delisted] = await noticesById(store.db, OWNER, [`UN-${MODIFIED.removed}`]);
    expect(delisted!.status).toBe('CANCELLED');
    expect((await readContent(store.db, 'unListingOfNotice', [`UN-${MODIFIED.removed}`]))[0]!.delistedOn).toBe('2024-10-03');
    expect((await readContent(store.db, 'names', [`UNS-${MODIFIED.removed}`])).length).toBe(6);

    const [changed] = await readContent(store.db, 'unListingOfNotice', [`UN-${MODIFIED.changed}`]);
    expect(JSON.parse(changed!.designations)).toEqual([CHANGED_DESIGNATION]);
    const [added] = await noticesById(store.db, OWNER, [`UN-${MODIFIED.added}`]);
    expect(added).toMatchObject({ status: 'ACTIVE', reference: MODIFIED.added, issuedOn: '2024-10-01' });
    expect((await readContent(store.db, 'names', [`UNS-${MODIFIED.added}`]))[0]!.full).toBe('FIXTURE ADDED PERSON');
  });

  it('applies an older list again: relists, restores, and delists what it lacks', async () => {
    const summary = await importUnList(store, SHIPPED_LIST);
    expect(summary).toMatchObject({ added: 0, updated: 2, delisted: 1, unchanged: 873 });
    const notices = await noticesById(store.db, OWNER, [`UN-${MODIFIED.removed}`, `UN-${MODIFIED.added}`]);
    expect(Object.fromEntries(notices.map((n) => [n.reference, n.status]))).toEqual({
      [MODIFIED.removed]: 'ACTIVE',
      [MODIFIED.added]: 'CANCELLED',
    });
    expect((await readContent(store.db, 'unListingOfNotice', [`UN-${MODIFIED.removed}`]))[0]!.delistedOn).toBeNull();
  });

  // Built on a list where every entry changed, so a refused import has written batches of
  // updates before it fails: only the rollback keeps the store as it was.
  const everyEntryChanged = () => shippedXml().replaceAll('<VERSIONNUM>1</VERSIONNUM>', '<VERSIONNUM>2</VERSIONNUM>');

  it.each([
    ['a truncated file', (xml: string) => xml.slice(0, Math.floor(xml.length * 0.9)), /truncated/],
    ['an entity-expansion (billion laughs) file', entityBomb, /DOCTYPE/],
    ['an external-entity file', externalEntity, /DOCTYPE/],
    [
      'a file that is not a UN list',
      () => '<?xml version="1.0"?><sdnList><sdnEntry/></sdnList>',
      /not a UN Security Council Consolidated List/,
    ],
    [
      'a list with a reference number twice',
      (xml: string) => xml.replace('</INDIVIDUALS>', `${entryXml(xml, 'TAi.007')}</INDIVIDUALS>`),
      /TAi\.007 appears twice/,
    ],
  ])('refuses %s and leaves the store exactly as it was', async (_what, make, message) => {
    const file = await writeList(dir, 'refused.xml', make(everyEntryChanged()));
    const before = await dumpStore(db.database);
    const error = await importUnList(store, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnListError);
    expect((error as Error).message).toMatch(message);
    expect(await dumpStore(db.database)).toEqual(before);
  });

  it('refuses a file that does not exist', async () => {
    await expect(importUnList(store, path.join(dir, 'missing.xml'))).rejects.toThrow(/^no such file: .*missing\.xml$/);
  });
});

describe('importing into a store that holds the demo data', () => {
  it('adds the UN notices beside the demo UN_SPECIAL notices without touching them', async () => {
    const db = await createTestDatabase('sqlite', 'un-beside-seed');
    const store = await openStore({ agency: 'INTERPOL', database: db.database });
    try {
      const dataset = generateDataset('INTERPOL');
      await insertDataset(store, dataset);
      const seeded = await dumpStore(db.database);
      await importUnList(store, SHIPPED_LIST);
      const after = await dumpStore(db.database);
      expect(after.notices).toHaveLength(dataset.notices.length + 875);
      for (const table of ['notices', 'subjects', 'subjectNames'] as const) {
        expect(after[table]).toEqual(expect.arrayContaining(seeded[table]!));
      }
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
