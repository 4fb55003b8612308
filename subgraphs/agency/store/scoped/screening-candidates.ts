import { sql, type Kysely } from 'kysely';
import type { DisclosureScope, ScreeningKeys, SubjectRow } from '../rows.js';
import type { Tables } from '../tables.js';
import { disclosureOf, fullAccess, visible } from './policy-sql.js';

/**
 * Up to `limit` visible subjects sharing the most keys with a screening question, from the
 * screening_keys index (never a scan). `fullOnly` keys find records disclosed in full only.
 */
export async function screeningCandidates(
  db: Kysely<Tables>,
  scope: DisclosureScope,
  keys: ScreeningKeys,
  limit: number,
): Promise<SubjectRow[]> {
  const { anyVisible, fullOnly } = keys;
  if (anyVisible.length === 0 && fullOnly.length === 0) return [];
  let select = db
    .selectFrom('screeningKeys')
    .innerJoin('subjects', 'subjects.localId', 'screeningKeys.subjectId')
    .selectAll('subjects')
    .select(disclosureOf('subjects', scope))
    .where('screeningKeys.key', 'in', [...anyVisible, ...fullOnly]);
  if (fullOnly.length > 0) {
    select = select.where(
      sql<boolean>`(${sql.ref('screeningKeys.key')} not in (${sql.join([...fullOnly])}) or ${fullAccess('subjects', scope)})`,
    );
  }
  return (
    select
      .where(visible('subjects', scope))
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
      .execute()
  );
}
