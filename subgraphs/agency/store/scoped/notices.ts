import { sql, type Kysely } from 'kysely';
import type { DisclosureScope, NoticeQuery, NoticeRow } from '../rows.js';
import type { Tables } from '../tables.js';
import { disclosureOf, fullThenHitOnly, inTier, linkedDisclosure, linkedEnd, tierDisclosure, visible } from './policy-sql.js';

// Notices as one caller may know of them. Only the record reader (reader/) calls these:
// what they return is what the ledger must record.

function visibleNotices(db: Kysely<Tables>, scope: DisclosureScope) {
  return db.selectFrom('notices').selectAll('notices').select(disclosureOf('notices', scope)).where(visible('notices', scope));
}

export function listNotices(db: Kysely<Tables>, scope: DisclosureScope, query: NoticeQuery): Promise<NoticeRow[]> {
  // Status is withheld content: only records disclosed in full answer it.
  const fullOnly = Boolean(query.statuses?.length);
  return fullThenHitOnly(query.first, fullOnly, (tier, first) => {
    let select = db
      .selectFrom('notices')
      .selectAll('notices')
      .select(tierDisclosure(tier))
      .where(inTier('notices', scope, tier));
    if (query.colours?.length) select = select.where('notices.colour', 'in', [...query.colours]);
    if (query.statuses?.length) select = select.where('notices.status', 'in', [...query.statuses]);
    // notices_by_issued_on drives the first tier; the primary key the second.
    if (tier === 'FULL') select = select.orderBy('notices.issuedOn', 'desc');
    return select.orderBy('notices.localId', 'desc').limit(first).execute();
  });
}

export function noticesById(db: Kysely<Tables>, scope: DisclosureScope, ids: readonly string[]): Promise<NoticeRow[]> {
  return visibleNotices(db, scope)
    .where('notices.localId', 'in', [...ids])
    .execute();
}

/** The notices linked to these subjects: only those the link rule lets through (disclosed in full). */
export function noticesOfSubjects(db: Kysely<Tables>, scope: DisclosureScope, subjectIds: readonly string[]): Promise<NoticeRow[]> {
  return db
    .selectFrom('notices')
    .selectAll('notices')
    .select(linkedDisclosure())
    .where(linkedEnd('notices', scope))
    .where('notices.subjectId', 'in', [...subjectIds])
    .orderBy(sql`${sql.ref('notices.issuedOn')} desc nulls last`)
    .orderBy('notices.localId', 'desc')
    .execute();
}
