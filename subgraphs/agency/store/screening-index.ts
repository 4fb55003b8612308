import type { Kysely } from 'kysely';
import { documentKey, nameKeys } from '../screening/normalize.js';
import type { RecordStore } from './store.js';
import type { Tables } from './tables.js';
import { insertRows } from './insert.js';

// The screening index: keys derived from every name and document of a subject are kept in
// screening_keys, so a question looks its keys up (scoped/screening-candidates.ts) instead
// of scanning every subject.

/** Subjects re-indexed per round: their names and documents are read in one statement each. */
const INDEX_BATCH = 500;

/** Rebuilds the keys of these subjects from their current names and documents. */
export async function indexSubjects(db: Kysely<Tables>, subjectIds: readonly string[]): Promise<void> {
  for (let i = 0; i < subjectIds.length; i += INDEX_BATCH) {
    const ids = subjectIds.slice(i, i + INDEX_BATCH);
    const [names, documents] = await Promise.all([
      db.selectFrom('subjectNames').select(['subjectId', 'full']).where('subjectId', 'in', ids).execute(),
      db.selectFrom('subjectDocuments').select(['subjectId', 'number']).where('subjectId', 'in', ids).execute(),
    ]);
    const keys = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
    for (const { subjectId, full } of names) for (const key of nameKeys(full)) keys.get(subjectId)!.add(key);
    for (const { subjectId, number } of documents) {
      const key = documentKey(number);
      if (key) keys.get(subjectId)!.add(key);
    }
    const rows = [...keys].flatMap(([subjectId, set]) => [...set].map((key) => ({ subjectId, key })));
    await db.deleteFrom('screeningKeys').where('subjectId', 'in', ids).execute();
    await insertRows(db, 'screeningKeys', rows);
  }
}

/** Subjects that have no keys yet (stored before screening existed, or by an older importer). */
export async function indexMissingSubjects(store: RecordStore): Promise<number> {
  const missing = await store.db
    .selectFrom('subjects')
    .select('localId')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(selectFrom('screeningKeys').select('screeningKeys.subjectId').whereRef('screeningKeys.subjectId', '=', 'subjects.localId')),
      ),
    )
    .execute();
  const ids = missing.map((row) => row.localId);
  if (ids.length > 0) await store.writeTransaction((trx) => indexSubjects(trx, ids));
  return ids.length;
}
