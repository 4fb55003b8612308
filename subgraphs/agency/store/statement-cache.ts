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

export function withStatementCache(sqlite: Database.Database): SqliteDatabase {
  const statements = new LRUCache<string, SqliteStatement>({ max: STATEMENTS });
  return {
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql) as unknown as SqliteStatement;
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
