import type { Kysely } from 'kysely';
import type { CaseQuery, CaseRow, DisclosureScope } from '../rows.js';
import type { Tables } from '../tables.js';
import { disclosureOf, fullAccess, linkedDisclosure, linkedEnd, newestFirst, visible } from './policy-sql.js';

// Cases as one caller may know of them. Only the record reader (reader/) calls these.

function visibleCases(db: Kysely<Tables>, scope: DisclosureScope) {
  return db.selectFrom('cases').selectAll('cases').select(disclosureOf('cases', scope)).where(visible('cases', scope));
}

export function listCases(db: Kysely<Tables>, scope: DisclosureScope, query: CaseQuery): Promise<CaseRow[]> {
  let select = visibleCases(db, scope);
  // Crime types and status are withheld content: only records disclosed in full answer them.
  if (query.crimeTypes?.length || query.statuses?.length) select = select.where(fullAccess('cases', scope));
  if (query.crimeTypes?.length) {
    const crimeTypes = [...query.crimeTypes];
    // Driven from the crime-type index (cases_by_crime_type): the cases of those types are
    // looked up, not every case scanned and tested (which is what a correlated EXISTS gives).
    select = select.where('cases.localId', 'in', (eb) =>
      eb.selectFrom('caseCrimeTypes').select('caseCrimeTypes.caseId').where('caseCrimeTypes.crimeType', 'in', crimeTypes),
    );
  }
  if (query.statuses?.length) select = select.where('cases.status', 'in', [...query.statuses]);
  return select
    .orderBy(newestFirst('cases', 'openedOn', scope))
    .orderBy('cases.localId', 'desc')
    .limit(query.first)
    .execute();
}

/** Cases reached through a link (a subject's cases): only those the link rule lets through. */
export function linkedCases(db: Kysely<Tables>, scope: DisclosureScope, ids: readonly string[]): Promise<CaseRow[]> {
  return db
    .selectFrom('cases')
    .selectAll('cases')
    .select(linkedDisclosure())
    .where(linkedEnd('cases', scope))
    .where('cases.localId', 'in', [...ids])
    .execute();
}

export function casesById(db: Kysely<Tables>, scope: DisclosureScope, ids: readonly string[]): Promise<CaseRow[]> {
  return visibleCases(db, scope)
    .where('cases.localId', 'in', [...ids])
    .execute();
}
