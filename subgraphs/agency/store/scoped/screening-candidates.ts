import { sql, type Kysely } from 'kysely';
import type { DisclosureScope, ScreeningKeys, StoreDialect, SubjectRow } from '../rows.js';
import type { Tables } from '../tables.js';
import { shapedStatement } from '../shaped-statement.js';
import { disclosureOf, visible, type IdsInScope } from './policy-sql.js';

/**
 * Subjects ranked from the index in the first round (the 150 screening scores, and room for
 * some the caller may not know of); each later round ranks four times as many, up to
 * LARGEST_ROUND. A round's ranked ids are read under the caller's scope in one statement.
 * Most questions take one round; a caller who may know of few of the best-ranked, more.
 */
const FIRST_ROUND = 400;
/** Ids per statement at most: well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535. */
const LARGEST_ROUND = 6400;

interface Ranked {
  subjectId: string;
  /** Keys shared with the question. */
  shared: number;
  /** Of those, keys that count only for records disclosed in full (a document number). */
  fullOnly: number;
}

/**
 * Up to `limit` visible subjects sharing the most keys with a screening question (ties by
 * id), from the screening_keys index (never a scan). `fullOnly` keys find and count for
 * records disclosed in full only.
 *
 * In two steps, because a common name's keys are shared by thousands of subjects at registry
 * size: the index alone ranks subjects by shared keys (cheap, covering), and only the
 * best-ranked are read under the caller's scope (the policy, in SQL, once per subject
 * instead of once per shared key). Rounds go on until no subject ranked later can outrank
 * the `limit`-th one found. The same subjects in the same order as one grouped join (ties by
 * id in byte order, on both stores), at a fraction of its cost (docs/performance.md).
 */
export async function screeningCandidates(
  db: Kysely<Tables>,
  dialect: StoreDialect,
  scope: DisclosureScope,
  keys: ScreeningKeys,
  limit: number,
): Promise<SubjectRow[]> {
  const { anyVisible, fullOnly } = keys;
  const all = [...anyVisible, ...fullOnly];
  if (all.length === 0 || limit <= 0) return [];
  const found: Found[] = [];
  for (let offset = 0, size = FIRST_ROUND; ; offset += size, size = Math.min(size * 4, LARGEST_ROUND)) {
    const ranked = await rankByIndex(db, dialect, all, fullOnly, offset, size);
    if (ranked.length > 0) found.push(...(await readUnderScope(db, scope, ranked)));
    found.sort((a, b) => b.shared - a.shared || compareIds(a.row.localId, b.row.localId));
    if (ranked.length < size || (found.length >= limit && noneRankedLaterComesBefore(found[limit - 1]!, ranked.at(-1)!))) break;
  }
  return found.slice(0, limit).map((entry) => entry.row);
}

interface Found {
  row: SubjectRow;
  /** Keys that count for this record (its ranking, less the fullOnly keys a record not disclosed in full does not count). */
  shared: number;
}

/**
 * Whether no subject ranked in a later round can come before `last` (the limit-th found, by
 * keys that count, then id). A later subject shares at most as many keys as `lastRanked`
 * (the last one ranked so far), and when exactly as many, has a greater id. The order found
 * never depends on keys that do not count for a record: a withheld document number must not
 * move a HIT_ONLY record up or down (tests/unit/screening/disclosure.test.ts).
 */
function noneRankedLaterComesBefore(last: Found, lastRanked: Ranked): boolean {
  const bound = Number(lastRanked.shared);
  return last.shared > bound || (last.shared === bound && compareIds(last.row.localId, lastRanked.subjectId) <= 0);
}

/** Ids in byte order: SQLite's default, PostgreSQL's with COLLATE "C" (the ranking's order). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One round of subjects ranked by the keys they share with the question, from the index alone. */
function rankByIndex(
  db: Kysely<Tables>,
  dialect: StoreDialect,
  keys: readonly string[],
  fullOnly: readonly string[],
  offset: number,
  size: number,
): Promise<Ranked[]> {
  return rankRound(db, { dialect, keys, fullOnly, offset, size });
}

// Shaped (shaped-statement.ts): a round's statement is compiled once per number of keys and
// ids, not per question (hundreds of ids each).
const rankRound = shapedStatement(
  (
    db: Kysely<Tables>,
    args: { dialect: StoreDialect; keys: readonly string[]; fullOnly: readonly string[]; offset: number; size: number },
  ) => {
    const { dialect, keys, fullOnly, offset, size } = args;
    const fullOnlyCount =
      fullOnly.length > 0
        ? sql<number>`sum(case when ${sql.ref('key')} in (${sql.join([...fullOnly])}) then 1 else 0 end)`
        : sql<number>`0`;
    return db
      .selectFrom('screeningKeys')
      .select(['subjectId', (eb) => eb.fn.countAll<number>().as('shared'), fullOnlyCount.as('fullOnly')])
      .where('key', 'in', [...keys])
      .groupBy('subjectId')
      .orderBy('shared', 'desc')
      .orderBy(dialect === 'postgres' ? sql`${sql.ref('subjectId')} collate "C"` : sql.ref('subjectId'))
      .limit(size)
      .offset(offset);
  },
);

const readRound = shapedStatement((db: Kysely<Tables>, { scope, ids }: IdsInScope) =>
  db
    .selectFrom('subjects')
    .selectAll('subjects')
    .select(disclosureOf('subjects', scope))
    .where('subjects.localId', 'in', [...ids])
    .where(visible('subjects', scope))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('unListings')
            .select('unListings.subjectId')
            .whereRef('unListings.subjectId', '=', 'subjects.localId')
            .where('unListings.delistedOn', 'is not', null),
        ),
      ),
    ),
);

/**
 * Ranked subjects the caller may know of, with their disclosure and the keys that count for
 * them: a record not disclosed in full is not found by, nor ranked on, its fullOnly keys.
 * Delisted UN entries are kept for history, not screened against.
 */
async function readUnderScope(db: Kysely<Tables>, scope: DisclosureScope, ranked: readonly Ranked[]): Promise<Found[]> {
  const byId = new Map(ranked.map((entry) => [entry.subjectId, entry]));
  const rows = await readRound(db, { scope, ids: [...byId.keys()] });
  return rows.flatMap((row) => {
    const entry = byId.get(row.localId)!;
    const shared = Number(entry.shared) - (row.disclosure === 'FULL' ? 0 : Number(entry.fullOnly));
    return shared > 0 ? [{ row, shared }] : [];
  });
}
