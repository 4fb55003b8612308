import { sql, type Kysely } from 'kysely';
import type { Holdings, StoreDialect } from './rows.js';
import { countHoldings } from './scoped/holdings.js';
import type { Tables } from './tables.js';

// A node's handle on its own store. store/ is the only part of a node that speaks SQL:
// records are read for callers only through the record reader (reader/), which applies the
// caller's disclosure scope (store/scoped/) and records what it returns; the owner's own
// tools (seeding, import, copy, ledger) write through the modules beside this one.

export class RecordStore {
  constructor(
    readonly agency: string,
    /** For the store's own modules (store/**) only: nothing outside store/ writes SQL. */
    readonly db: Kysely<Tables>,
    readonly dialect: StoreDialect,
  ) {}

  /** Everything the owner holds, for its own tools (seeding, copying): not for answering callers. */
  holdingsOfOwner(): Promise<Holdings> {
    return countHoldings(this.db, [{ kind: 'everything' }]);
  }

  async isEmpty(): Promise<boolean> {
    const { notices, subjects, cases } = await this.holdingsOfOwner();
    return notices + subjects + cases === 0;
  }

  /**
   * A write transaction that takes the write lock before it reads. On SQLite a transaction
   * that reads first cannot wait for another process's lock (an import, say) and fails at
   * once; taking the lock first makes it wait (busy timeout) instead.
   */
  async writeTransaction<T>(work: (trx: Kysely<Tables>) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.db.transaction().execute(work);
    return this.db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await work(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (error) {
        await sql`rollback`.execute(connection);
        throw error;
      }
    });
  }

  /** Whether the store still answers, migrated (for readiness probes). */
  async answers(): Promise<boolean> {
    try {
      await sql`select count(*) from kysely_migration`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  /** The names of the tables the migrations made (for checking that a copy misses none). */
  /**
   * The tables that hold the store's data: not Kysely's own, nor the name search's trigram
   * index (SQLite's FTS5 table and its shadow tables, kept by triggers from subject_names, so a
   * copy rebuilds it as it writes the names).
   */
  async tableNames(): Promise<string[]> {
    const tables = await this.db.introspection.getTables();
    return tables.map((table) => table.name).filter((name) => !name.startsWith('kysely_') && !name.startsWith('subject_names_trigrams'));
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}
