import { sql, type Kysely } from 'kysely';
import type { DisclosureScope, NoticeQuery, NoticeRow } from '../rows.js';
import { shapedStatement } from '../shaped-statement.js';
import type { Tables } from '../tables.js';
import {
  disclosureOf,
  fullThenHitOnly,
  inTier,
  linkedDisclosure,
  linkedEnd,
  tierDisclosure,
  visible,
  type Tier,
  type IdsInScope,
} from './policy-sql.js';

// Notices as one caller may know of them. Only the record reader (reader/) calls these:
// what they return is what the ledger must record. Each statement is shaped
// (shaped-statement.ts): compiled once per shape of its arguments.

interface ListPage {
  scope: DisclosureScope;
  tier: Tier;
  first: number;
  colours: NoticeQuery['colours'];
  statuses: NoticeQuery['statuses'];
}

const listPage = shapedStatement((db: Kysely<Tables>, { scope, tier, first, colours, statuses }: ListPage) => {
  let select = db
    .selectFrom('notices')
    .selectAll('notices')
    .select(tierDisclosure(tier))
    .where(inTier('notices', scope, tier));
  if (colours?.length) select = select.where('notices.colour', 'in', [...colours]);
  if (statuses?.length) select = select.where('notices.status', 'in', [...statuses]);
  // notices_by_issued_on drives the first tier; the primary key the second.
  if (tier === 'FULL') select = select.orderBy('notices.issuedOn', 'desc');
  return select.orderBy('notices.localId', 'desc').limit(first);
});

export function listNotices(db: Kysely<Tables>, scope: DisclosureScope, query: NoticeQuery): Promise<NoticeRow[]> {
  // Status is withheld content: only records disclosed in full answer it.
  const fullOnly = Boolean(query.statuses?.length);
  return fullThenHitOnly(query.first, fullOnly, (tier, first) =>
    listPage(db, { scope, tier, first, colours: query.colours, statuses: query.statuses }),
  );
}

const byId = shapedStatement((db: Kysely<Tables>, { scope, ids }: IdsInScope) =>
  db
    .selectFrom('notices')
    .selectAll('notices')
    .select(disclosureOf('notices', scope))
    .where(visible('notices', scope))
    .where('notices.localId', 'in', [...ids]),
);

export function noticesById(db: Kysely<Tables>, scope: DisclosureScope, ids: readonly string[]): Promise<NoticeRow[]> {
  return byId(db, { scope, ids });
}

const ofSubjects = shapedStatement((db: Kysely<Tables>, { scope, ids }: IdsInScope) =>
  db
    .selectFrom('notices')
    .selectAll('notices')
    .select(linkedDisclosure())
    .where(linkedEnd('notices', scope))
    .where('notices.subjectId', 'in', [...ids])
    .orderBy(sql`${sql.ref('notices.issuedOn')} desc nulls last`)
    .orderBy('notices.localId', 'desc'),
);

/** The notices linked to these subjects: only those the link rule lets through (disclosed in full). */
export function noticesOfSubjects(db: Kysely<Tables>, scope: DisclosureScope, subjectIds: readonly string[]): Promise<NoticeRow[]> {
  return ofSubjects(db, { scope, ids: subjectIds });
}
