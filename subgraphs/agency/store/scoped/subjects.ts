import { sql, type Kysely } from 'kysely';
import type { DisclosureScope, StoreDialect, SubjectQuery, SubjectRow } from '../rows.js';
import { FOLD_CASE } from '../fold-case.js';
import { shapedStatement } from '../shaped-statement.js';
import type { Tables } from '../tables.js';
import { disclosureOf, inTier, linkedDisclosure, linkedEnd, tierDisclosure, visible, type IdsInScope } from './policy-sql.js';

// Subjects as one caller may know of them. Only the record reader (reader/) calls these. The
// statements a request repeats are shaped (shaped-statement.ts).

function visibleSubjects(db: Kysely<Tables>, scope: DisclosureScope) {
  return db.selectFrom('subjects').selectAll('subjects').select(disclosureOf('subjects', scope)).where(visible('subjects', scope));
}

/**
 * Subjects with a name holding `name`, found through the trigram index of names (migration
 * 0008): on SQLite its FTS5 table, for parts of three letters or more without wildcards (a
 * shorter part is common enough for the list's walk to stop soon); on PostgreSQL the pg_trgm
 * index on lower(full), which the planner uses when it is there. A superset at worst: the
 * filter's comparison, ANDed with it, decides.
 */
function namesHolding(db: Kysely<Tables>, dialect: StoreDialect, lowered: string, pattern: string) {
  if (dialect === 'sqlite') {
    // Lower-cased as the filter's pattern and the table's names are (fold-case.ts): the
    // trigram index itself folds ASCII letters only.
    if ([...lowered].length < 3 || /[\\%_]/.test(lowered)) return undefined;
    return sql<string>`(select subject_id from subject_names_trigrams where full like ${`%${lowered}%`})`;
  }
  return db
    .selectFrom('subjectNames')
    .select('subjectNames.subjectId')
    .where(sql<boolean>`lower(${sql.ref('subjectNames.full')}) like ${pattern} escape '\\'`);
}

export function listSubjects(
  db: Kysely<Tables>,
  dialect: StoreDialect,
  scope: DisclosureScope,
  query: SubjectQuery,
): Promise<SubjectRow[]> {
  const name = query.name?.trim();
  // Names and nationalities are withheld content: only records disclosed in full answer them.
  let select =
    name || query.nationality
      ? db
          .selectFrom('subjects')
          .selectAll('subjects')
          .select(tierDisclosure('FULL'))
          .where(inTier('subjects', scope, 'FULL'))
      : visibleSubjects(db, scope);
  if (query.kinds?.length) select = select.where('subjects.kind', 'in', [...query.kinds]);
  if (name) {
    const lowered = name.toLowerCase();
    const pattern = `%${lowered.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const holding = namesHolding(db, dialect, lowered, pattern);
    if (holding) select = select.where('subjects.localId', 'in', holding);
    // PostgreSQL's lookup is this very comparison; SQLite's trigram index finds a superset.
    // Lower-cased in every script on both (SQLite's lower() folds ASCII only: fold_case).
    if (dialect === 'sqlite')
      select = select.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('subjectNames')
            .select('subjectNames.subjectId')
            .whereRef('subjectNames.subjectId', '=', 'subjects.localId')
            .where(sql<boolean>`${sql.raw(FOLD_CASE)}(${sql.ref('subjectNames.full')}) like ${pattern} escape '\\'`),
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

const linked = shapedStatement((db: Kysely<Tables>, { scope, ids }: IdsInScope) =>
  db
    .selectFrom('subjects')
    .selectAll('subjects')
    .select(linkedDisclosure())
    .where(linkedEnd('subjects', scope))
    .where('subjects.localId', 'in', [...ids]),
);

const byId = shapedStatement((db: Kysely<Tables>, { scope, ids }: IdsInScope) =>
  visibleSubjects(db, scope).where('subjects.localId', 'in', [...ids]),
);

/** Subjects reached through a link (a notice's subject, a case's subjects): only those the link rule lets through. */
export function linkedSubjects(db: Kysely<Tables>, scope: DisclosureScope, ids: readonly string[]): Promise<SubjectRow[]> {
  return linked(db, { scope, ids });
}

export function subjectsById(db: Kysely<Tables>, scope: DisclosureScope, ids: readonly string[]): Promise<SubjectRow[]> {
  return byId(db, { scope, ids });
}
