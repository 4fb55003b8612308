import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { LRUCache } from 'lru-cache';

// Kysely's SQLite driver prepares every statement anew; SQLite's parsing and planning was an
// eighth of a node's CPU per request (issue 15's profile). A node sends the same few dozen
// statement texts again and again, so each prepared statement is kept, by its SQL text, and
// reused. Kysely runs one statement at a time on its one SQLite connection, so a statement is
// never in use twice; SQLite prepares one again by itself when the schema changes. Texts that
// vary (a list of n placeholders) are bounded by the cache's size.

const STATEMENTS = 500;

/**
 * The SQLite store's statements, each prepared once. With `rowKey`, a statement that reads
 * rows hands them out as objects keyed by `rowKey(column)` (the store's camelCase names), made
 * from the rows as arrays: better-sqlite3 builds each row object key by key, and Kysely's
 * CamelCasePlugin then built a second one with every key converted again, for every row.
 */
export function withStatementCache(sqlite: Database.Database, rowKey?: (column: string) => string): SqliteDatabase {
  const statements = new LRUCache<string, SqliteStatement>({ max: STATEMENTS });
  return {
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (!statement) {
        const prepared = sqlite.prepare(sql);
        statement = rowKey && prepared.reader ? new KeyedRows(prepared, rowKey) : (prepared as unknown as SqliteStatement);
        statements.set(sql, statement);
      }
      return statement;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}

/** A statement that reads rows, handing them out as objects with the store's keys. */
class KeyedRows implements SqliteStatement {
  readonly reader = true;
  private readonly statement: Database.Statement<unknown[], unknown[]>;

  constructor(
    statement: Database.Statement,
    private readonly rowKey: (column: string) => string,
  ) {
    this.statement = statement.raw(true) as Database.Statement<unknown[], unknown[]>;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    const rows = this.statement.all(parameters);
    // The columns are read after the rows, every time: if another process changed the schema,
    // SQLite prepared the statement again as it ran, and a `select *` may have other columns now.
    const keys = this.statement.columns().map((column) => this.rowKey(column.name));
    return rows.map((row) => {
      const object: Record<string, unknown> = {};
      // As better-sqlite3 does: of two columns with one name, the later one's value is kept.
      for (let i = 0; i < keys.length; i++) object[keys[i]!] = row[i];
      return object;
    });
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.statement.run(parameters);
  }

  /** Nothing in a node streams its rows; should something, it gets them as all() makes them. */
  *iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    yield* this.all(parameters);
  }
}
