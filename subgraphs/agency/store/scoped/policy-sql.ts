import { sql, type RawBuilder } from 'kysely';
import type { Disclosure, DisclosureScope } from '../rows.js';

// The disclosure policy's clauses (policy/policy.ts) compiled to SQL, so a record the caller
// may not know of never leaves the database and every row says at which level it leaves.

export type RecordTable = 'notices' | 'subjects' | 'cases';

/**
 * Ends the policy's EXISTS subqueries. OFFSET keeps PostgreSQL from turning a correlated
 * EXISTS into a hashed subplan, which reads the whole releasability table to answer a page
 * of ten (80 ms at 100,000 records instead of under 1): looked up per row, by the primary
 * key, the policy costs the rows a page reads. SQLite needs LIMIT with OFFSET; one row is
 * all EXISTS asks for on both.
 */
const ONE_ROW = sql`limit 1 offset 0`;

/**
 * SQL for "the scope grants FULL access to this row of `table`". Filters on withheld
 * content (names, status, crime types, ...) are ANDed with it: a HIT_ONLY record must not
 * answer questions about what it withholds.
 */
export function fullAccess(table: RecordTable, scope: DisclosureScope): RawBuilder<boolean> {
  const tlp = sql.ref(`${table}.tlp`);
  const clauses = scope.map((clause) => {
    switch (clause.kind) {
      case 'everything':
        return sql`1 = 1`;
      case 'tlp':
        return sql`${tlp} in (${sql.join(clause.tlps)})`;
      case 'releasable':
        return sql`(${tlp} in (${sql.join(clause.tlps)}) and exists (select 1 from releasability r where r.record_id = ${sql.ref(`${table}.localId`)} and r.audience in (${sql.join(clause.audiences)}) ${ONE_ROW}))`;
      case 'granted':
        // ISO 8601 UTC timestamps of one format compare correctly as text, on both dialects.
        return sql`exists (select 1 from access_requests g where g.record_id = ${sql.ref(`${table}.localId`)} and g.requester_agency = ${clause.agency} and g.status = 'APPROVED' and g.expires_at > ${clause.now} ${ONE_ROW})`;
    }
  });
  return clauses.length === 0 ? sql<boolean>`1 = 0` : sql<boolean>`(${sql.join(clauses, sql` or `)})`;
}

/**
 * SQL for "this row may be reached through a link": the policy's link rule (policy.ts
 * `linkDisclosed`), whose far end must be disclosed in full. Reads of linked records AND it.
 */
export function linkedEnd(table: RecordTable, scope: DisclosureScope): RawBuilder<boolean> {
  return fullAccess(table, scope);
}

/** The disclosure column of rows read under `linkedEnd`: FULL by that condition, not evaluated again per row. */
export function linkedDisclosure() {
  return sql<Disclosure>`'FULL'`.as('disclosure');
}

export function disclosureOf(table: RecordTable, scope: DisclosureScope) {
  return sql<Disclosure>`case when ${fullAccess(table, scope)} then 'FULL' else 'HIT_ONLY' end`.as('disclosure');
}

/** FULL, or HIT_ONLY because the owner lets its existence be known. Anything else is NONE. */
export function visible(table: RecordTable, scope: DisclosureScope): RawBuilder<boolean> {
  return sql<boolean>`(${fullAccess(table, scope)} or ${sql.ref(`${table}.discoverable`)} = 1)`;
}

export type Tier = Exclude<Disclosure, 'NONE'>;

/** The arguments of a read by ids under a scope (a shaped statement's: shaped-statement.ts). */
export interface IdsInScope {
  scope: DisclosureScope;
  ids: readonly string[];
}

/** The rows of one tier: disclosed in full, or known to exist only (discoverable, not in full). */
export function inTier(table: RecordTable, scope: DisclosureScope, tier: Tier): RawBuilder<boolean> {
  return tier === 'FULL'
    ? fullAccess(table, scope)
    : sql<boolean>`(${sql.ref(`${table}.discoverable`)} = 1 and not ${fullAccess(table, scope)})`;
}

/** The disclosure column of rows read under `inTier(tier)`: that tier, not evaluated again per row. */
export function tierDisclosure(tier: Tier) {
  return sql<Disclosure>`${sql.lit(tier)}`.as('disclosure');
}

/**
 * A list page: records disclosed in full first, newest first; then, when the page is not
 * full yet (and the question may be answered by HIT_ONLY records at all), HIT_ONLY records
 * by id, so their place in a list tells nothing about their withheld dates. `page` reads one
 * tier as one statement that walks an index in list order and stops at its page, so the
 * policy is evaluated once for each row read, however many records the store holds.
 */
export async function fullThenHitOnly<Row extends { localId: string }>(
  first: number,
  fullOnly: boolean,
  page: (tier: Tier, first: number) => Promise<Row[]>,
): Promise<Row[]> {
  const full = await page('FULL', first);
  if (fullOnly || full.length >= first) return full;
  // Two statements: a record whose grant ended in between is listed once, at its first level.
  const listed = new Set(full.map((row) => row.localId));
  return [...full, ...(await page('HIT_ONLY', first - full.length)).filter((row) => !listed.has(row.localId))];
}
