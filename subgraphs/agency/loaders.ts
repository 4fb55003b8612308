import DataLoader from 'dataloader';
import type { Disclosure, DisclosureScope, RecordStore } from './store/store.js';
import { unListingsOfNotices, unListingsOfSubjects } from './store/un-listings.js';

// Per-request batching: every relation and entity reference goes through one of these,
// so a request costs a fixed number of SQL statements however many records it returns.
// Record loaders read under the caller's disclosure scope and note what they return for
// the ledger; the others load the content of records already disclosed in full.

const MAX_BATCH = 500;

function byKey<Row>(load: (keys: readonly string[]) => Promise<Row[]>, key: (row: Row) => string) {
  return new DataLoader<string, Row | null>(
    async (keys) => {
      const rows = new Map((await load(keys)).map((row) => [key(row), row]));
      return keys.map((k) => rows.get(k) ?? null);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

function grouped<Row>(load: (keys: readonly string[]) => Promise<Row[]>, key: (row: Row) => string) {
  return new DataLoader<string, Row[]>(
    async (keys) => {
      const groups = new Map<string, Row[]>(keys.map((k) => [k, []]));
      for (const row of await load(keys)) groups.get(key(row))?.push(row);
      return keys.map((k) => groups.get(k) ?? []);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

type Note = <Row extends { localId: string; disclosure: Disclosure }>(rows: Row[]) => Row[];

export function createLoaders(store: RecordStore, scope: DisclosureScope, note: Note) {
  return {
    notice: byKey(async (ids) => note(await store.noticesById(scope, ids)), (r) => r.localId),
    subject: byKey(async (ids) => note(await store.subjectsById(scope, ids)), (r) => r.localId),
    case: byKey(async (ids) => note(await store.casesById(scope, ids)), (r) => r.localId),
    noticesOfSubject: grouped(async (ids) => note(await store.noticesOfSubjects(scope, ids)), (r) => r.subjectId),
    caseLinksOfSubject: grouped((ids) => store.caseLinksOfSubjects(ids), (r) => r.subjectId),
    caseLinksOfCase: grouped((ids) => store.caseLinksOfCases(ids), (r) => r.caseId),
    names: grouped((ids) => store.namesOf(ids), (r) => r.subjectId),
    birthDates: grouped((ids) => store.birthDatesOf(ids), (r) => r.subjectId),
    nationalities: grouped((ids) => store.nationalitiesOf(ids), (r) => r.subjectId),
    documents: grouped((ids) => store.documentsOf(ids), (r) => r.subjectId),
    recipients: grouped((ids) => store.recipientsOf(ids), (r) => r.noticeId),
    titles: grouped((ids) => store.textsOf('title', ids), (r) => r.ownerId),
    charges: grouped((ids) => store.textsOf('charges', ids), (r) => r.ownerId),
    crimeTypes: grouped((ids) => store.crimeTypesOf(ids), (r) => r.caseId),
    caseAgencies: grouped((ids) => store.agenciesOf(ids), (r) => r.caseId),
    releasability: grouped((ids) => store.releasabilityOf(ids), (r) => r.recordId),
    unListingOfNotice: byKey((ids) => unListingsOfNotices(store, ids), (r) => r.noticeId),
    unListingOfSubject: byKey((ids) => unListingsOfSubjects(store, ids), (r) => r.subjectId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
