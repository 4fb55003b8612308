import { sql, type Kysely } from 'kysely';
import { documentKey, nameKeys } from '../screening/normalize.js';
import { disclosureOf, fullAccess, visible, type DisclosureScope, type RecordStore, type SubjectRow } from './store.js';
import type { Tables } from './tables.js';

// Index-backed candidate retrieval for screening: keys derived from every name and
// document of a subject are kept in screening_keys; a question looks its keys up there,
// under the caller's disclosure scope, and ranks subjects by how many keys they share.

const INSERT_CHUNK = 500;

/** Rebuilds the keys of these subjects from their current names and documents. */
export async function indexSubjects(db: Kysely<Tables>, subjectIds: readonly string[]): Promise<void> {
  for (let i = 0; i < subjectIds.length; i += INSERT_CHUNK) {
    const ids = subjectIds.slice(i, i + INSERT_CHUNK);
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
    for (let j = 0; j < rows.length; j += INSERT_CHUNK) {
      await db.insertInto('screeningKeys').values(rows.slice(j, j + INSERT_CHUNK)).execute();
    }
  }
}

/** Subjects that have no keys yet (stored before screening existed, or by an older importer). */
export async function indexMissingSubjects(store: RecordStore): Promise<number> {
  const missing = await store.db
    .selectFrom('subjects')
    .select('localId')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('screeningKeys').select('screeningKeys.subjectId').whereRef('screeningKeys.subjectId', '=', 'subjects.localId'))),
    )
    .execute();
  const ids = missing.map((row) => row.localId);
  if (ids.length > 0) await store.writeTransaction((trx) => indexSubjects(trx, ids));
  return ids.length;
}

/** Up to `limit` visible subjects sharing the most keys with the question. */
export async function screeningCandidates(
  store: RecordStore,
  scope: DisclosureScope,
  keys: readonly string[],
  limit: number,
): Promise<SubjectRow[]> {
  if (keys.length === 0) return [];
  return store.db
    .selectFrom('screeningKeys')
    .innerJoin('subjects', 'subjects.localId', 'screeningKeys.subjectId')
    .selectAll('subjects')
    .select(disclosureOf('subjects', scope))
    .where('screeningKeys.key', 'in', [...keys])
    .where(visible('subjects', scope))
    // A document number may only find a record disclosed in full: for a HIT_ONLY one it
    // would reveal a withheld document, if only by deciding whether it is scored at all.
    .where(sql<boolean>`(${sql.ref('screeningKeys.key')} not like 'd:%' or ${fullAccess('subjects', scope)})`)
    // Delisted UN entries are kept for history, not screened against.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('unListings')
            .select('unListings.subjectId')
            .whereRef('unListings.subjectId', '=', 'subjects.localId')
            .where('unListings.delistedOn', 'is not', null),
        ),
      ),
    )
    .groupBy('subjects.localId')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('subjects.localId')
    .limit(limit)
    .execute();
}
