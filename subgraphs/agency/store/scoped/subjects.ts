import { sql, type Kysely } from 'kysely';
import type { DisclosureScope, SubjectQuery, SubjectRow } from '../rows.js';
import type { Tables } from '../tables.js';
import { disclosureOf, fullAccess, linkedDisclosure, linkedEnd, visible } from './policy-sql.js';

// Subjects as one caller may know of them. Only the record reader (reader/) calls these.

function visibleSubjects(db: Kysely<Tables>, scope: DisclosureScope) {
  return db.selectFrom('subjects').selectAll('subjects').select(disclosureOf('subjects', scope)).where(visible('subjects', scope));
}

export function listSubjects(db: Kysely<Tables>, scope: DisclosureScope, query: SubjectQuery): Promise<SubjectRow[]> {
  let select = visibleSubjects(db, scope);
  if (query.kinds?.length) select = select.where('subjects.kind', 'in', [...query.kinds]);
  const name = query.name?.trim();
  // Names and nationalities are withheld content: only records disclosed in full answer them.
  if (name || query.nationality) select = select.where(fullAccess('subjects', scope));
  if (name) {
    const pattern = `%${name.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    select = select.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('subjectNames')
          .select('subjectNames.subjectId')
          .whereRef('subjectNames.subjectId', '=', 'subjects.localId')
          .where(sql<boolean>`lower(${sql.ref('subjectNames.full')}) like ${pattern} escape '\\'`),
      ),
    );
  }
  if (query.nationality) {
    const country = query.nationality.toUpperCase();
    select = select.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('subjectNationalities')
          .select('subjectNationalities.subjectId')
          .whereRef('subjectNationalities.subjectId', '=', 'subjects.localId')
          .where('subjectNationalities.country', '=', country),
      ),
    );
  }
  return select.orderBy('subjects.localId').limit(query.first).execute();
}

/** Subjects reached through a link (a notice's subject, a case's subjects): only those the link rule lets through. */
export function linkedSubjects(db: Kysely<Tables>, scope: DisclosureScope, ids: readonly string[]): Promise<SubjectRow[]> {
  return db
    .selectFrom('subjects')
    .selectAll('subjects')
    .select(linkedDisclosure())
    .where(linkedEnd('subjects', scope))
    .where('subjects.localId', 'in', [...ids])
    .execute();
}

export function subjectsById(db: Kysely<Tables>, scope: DisclosureScope, ids: readonly string[]): Promise<SubjectRow[]> {
  return visibleSubjects(db, scope)
    .where('subjects.localId', 'in', [...ids])
    .execute();
}
