import type { Kysely } from 'kysely';
import type { CaseQuery, CaseRow, DisclosureScope } from '../rows.js';
import type { Tables } from '../tables.js';
import type { CrimeType } from '../records.js';
import { shapedStatement } from '../shaped-statement.js';
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

// Cases as one caller may know of them. Only the record reader (reader/) calls these. The
// statements a request repeats are shaped (shaped-statement.ts).

/**
 * Above this many cases of the asked crime types, a list walks the cases newest first and
 * stops at its page (a case of those types is then met every few rows); below, it looks the
 * few cases up in cases_by_crime_type and sorts them. Either way a page costs at most a few
 * hundred rows read, where one plan alone costs a scan for a common or a rare type.
 */
const COMMON_CRIME_TYPES = 500;

const casesOfTypes = shapedStatement((db: Kysely<Tables>, { crimeTypes }: { crimeTypes: CrimeType[] }) =>
  db
    .selectFrom((eb) =>
      eb
        .selectFrom('caseCrimeTypes')
        .select('caseCrimeTypes.caseId')
        .where('caseCrimeTypes.crimeType', 'in', crimeTypes)
        .limit(COMMON_CRIME_TYPES)
        .as('found'),
    )
    .select((eb) => eb.fn.countAll<number>().as('found')),
);

export async function listCases(db: Kysely<Tables>, scope: DisclosureScope, query: CaseQuery): Promise<CaseRow[]> {
  const crimeTypes = query.crimeTypes?.length ? [...query.crimeTypes] : null;
  // Counted up to the threshold only, from the index alone.
  const common = crimeTypes !== null && (await casesOfTypes(db, { crimeTypes }))[0]!.found >= COMMON_CRIME_TYPES;
  // Crime types and status are withheld content: only records disclosed in full answer them.
  const fullOnly = Boolean(crimeTypes || query.statuses?.length);
  return fullThenHitOnly(query.first, fullOnly, (tier, first) =>
    listPage(db, { scope, tier, first, crimeTypes, common, statuses: query.statuses }),
  );
}

interface ListPage {
  scope: DisclosureScope;
  tier: Tier;
  first: number;
  crimeTypes: CrimeType[] | null;
  /** Whether the asked crime types are common (COMMON_CRIME_TYPES): which plan the page takes. */
  common: boolean;
  statuses: CaseQuery['statuses'];
}

const listPage = shapedStatement((db: Kysely<Tables>, { scope, tier, first, crimeTypes, common, statuses }: ListPage) => {
  let select = db
    .selectFrom('cases')
    .selectAll('cases')
    .select(tierDisclosure(tier))
    .where(inTier('cases', scope, tier));
  if (crimeTypes && common) {
    select = select.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('caseCrimeTypes')
          .select('caseCrimeTypes.caseId')
          .whereRef('caseCrimeTypes.caseId', '=', 'cases.localId')
          .where('caseCrimeTypes.crimeType', 'in', crimeTypes),
      ),
    );
  } else if (crimeTypes) {
    select = select.where('cases.localId', 'in', (eb) =>
      eb.selectFrom('caseCrimeTypes').select('caseCrimeTypes.caseId').where('caseCrimeTypes.crimeType', 'in', crimeTypes),
    );
  }
  if (statuses?.length) select = select.where('cases.status', 'in', [...statuses]);
  // cases_by_opened_on drives the first tier; the primary key the second.
  if (tier === 'FULL') select = select.orderBy('cases.openedOn', 'desc');
  return select.orderBy('cases.localId', 'desc').limit(first);
});

const linked = shapedStatement((db: Kysely<Tables>, { scope, ids }: IdsInScope) =>
  db
    .selectFrom('cases')
    .selectAll('cases')
    .select(linkedDisclosure())
    .where(linkedEnd('cases', scope))
    .where('cases.localId', 'in', [...ids]),
);

const byId = shapedStatement((db: Kysely<Tables>, { scope, ids }: IdsInScope) =>
  db
    .selectFrom('cases')
    .selectAll('cases')
    .select(disclosureOf('cases', scope))
    .where(visible('cases', scope))
    .where('cases.localId', 'in', [...ids]),
);

/** Cases reached through a link (a subject's cases): only those the link rule lets through. */
export function linkedCases(db: Kysely<Tables>, scope: DisclosureScope, ids: readonly string[]): Promise<CaseRow[]> {
  return linked(db, { scope, ids });
}

export function casesById(db: Kysely<Tables>, scope: DisclosureScope, ids: readonly string[]): Promise<CaseRow[]> {
  return byId(db, { scope, ids });
}
