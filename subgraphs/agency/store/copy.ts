import type { RecordStore } from './store.js';
import type { Tables } from './tables.js';
import { insertRows } from './insert.js';

// Moving a store whole, e.g. from the embedded SQLite default to PostgreSQL (npm run store:copy).

const COPY_PAGE = 5000;

/** Every table of a store with its primary key, parents before children (the order a copy needs). */
export const TABLE_KEYS: { [T in keyof Tables]: (keyof Tables[T] & string)[] } = {
  subjects: ['localId'],
  subjectNames: ['subjectId', 'ordinal'],
  subjectBirthDates: ['subjectId', 'ordinal'],
  subjectNationalities: ['subjectId', 'ordinal'],
  subjectDocuments: ['subjectId', 'ordinal'],
  notices: ['localId'],
  noticeRecipients: ['noticeId', 'ordinal'],
  texts: ['ownerId', 'field', 'ordinal'],
  cases: ['localId'],
  caseCrimeTypes: ['caseId', 'crimeType'],
  caseSubjects: ['caseId', 'ordinal'],
  caseAgencies: ['caseId', 'ordinal'],
  releasability: ['recordId', 'audience'],
  unListings: ['noticeId'],
  accessRequests: ['localId'],
  auditLedger: ['sequence'],
  screeningKeys: ['subjectId', 'key'],
  auditReceipts: ['witness', 'sequence'],
  witnessedHeads: ['agency', 'sequence'],
  witnessContradictions: ['agency', 'offeredSequence', 'offeredHash'],
};

/**
 * Copies every row into an empty store, page by page and in one transaction on the
 * target: a store moves whole (e.g. from SQLite to PostgreSQL) or not at all.
 */
export async function copyStore(
  source: RecordStore,
  target: RecordStore,
  onTable?: (table: string, rows: number) => void,
): Promise<Record<string, number>> {
  if (!(await target.isEmpty())) throw new Error(`the target store of ${target.agency} already holds records`);
  const counts: Record<string, number> = {};
  await target.db.transaction().execute(async (trx) => {
    for (const [table, keys] of Object.entries(TABLE_KEYS) as [keyof Tables, string[]][]) {
      let copied = 0;
      for (;;) {
        let page = source.db.selectFrom(table).selectAll();
        for (const key of keys) page = page.orderBy(key as never);
        const rows = await page.limit(COPY_PAGE).offset(copied).execute();
        await insertRows(trx, table, rows as never);
        copied += rows.length;
        if (rows.length < COPY_PAGE) break;
      }
      counts[table] = copied;
      onTable?.(table, copied);
    }
  });
  return counts;
}
