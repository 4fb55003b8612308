import type { Kysely } from 'kysely';
import type { Tables } from './tables.js';

/** Rows per INSERT: small enough for every dialect's parameter limit (PostgreSQL: 65,535 per statement). */
export const INSERT_CHUNK = 200;

/** Inserts rows in chunks of INSERT_CHUNK. */
export async function insertRows<T extends keyof Tables>(db: Kysely<Tables>, table: T, rows: readonly Tables[T][]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + INSERT_CHUNK) as never)
      .execute();
  }
}
