import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { LRUCache } from 'lru-cache';

// Kysely's SQLite driver prepares every statement anew; SQLite's parsing and planning was an
// eighth of a node's CPU per request (issue 15's profile). A node sends the same few dozen
// statement texts again and again, so each prepared statement is kept, by its SQL text, and
// reused. Kysely runs one statement at a time on its one SQLite connection, so a statement is
// never in use twice; SQLite prepares one again by itself when the schema changes. Texts that
// vary (a list of n placeholders) are bounded by the cache's size.
//
// Rows are read as arrays and made into objects here: better-sqlite3 builds each row object
// key by key through V8's slow path, a third to two fifths of the cost of reading a row
// (docs/performance.md). The column names are read once per statement and read again whenever
// they may have changed: after any statement through this connection that is not plain DML
// (a migration's DDL), or when a row's width is not theirs (another process's DDL).

const STATEMENTS = 500;

/** Statements that cannot change a table's columns; anything else may (create, alter, drop, pragma...). */
const PLAIN_DML = /^\s*(insert|update|delete|replace|select|begin|commit|rollback|savepoint|release|end)\b/i;

export function withStatementCache(sqlite: Database.Database): SqliteDatabase {
  const statements = new LRUCache<string, SqliteStatement>({ max: STATEMENTS });
  // Bumped by every statement that may change columns: each reader checks it before trusting its names.
  let schemaEpoch = 0;
  const afterRun = (sql: string) => {
    if (!PLAIN_DML.test(sql)) schemaEpoch += 1;
  };
  return {
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (!statement) {
        const prepared = sqlite.prepare(sql);
        statement = prepared.reader ? rowReader(prepared, () => schemaEpoch, afterRun) : writer(prepared, afterRun);
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

/** The parameters as one array, as Kysely's driver binds them (no spread: a screening round binds thousands). */
const bound = (parameters: ReadonlyArray<unknown>) => parameters as unknown[];

function writer(prepared: Database.Statement, afterRun: (sql: string) => void): SqliteStatement {
  return {
    reader: false,
    all: (parameters) => prepared.all(bound(parameters)),
    run(parameters) {
      const result = prepared.run(bound(parameters));
      afterRun(prepared.source);
      return result;
    },
    iterate: (parameters) => prepared.iterate(bound(parameters)),
  };
}

/** A reading statement whose rows come as arrays and are made into objects with the memoised column names. */
function rowReader(prepared: Database.Statement, epoch: () => number, afterRun: (sql: string) => void): SqliteStatement {
  prepared.raw(true);
  let names: string[] = [];
  let namesEpoch = -1;
  let hasProtoKey = false;
  const namesFor = (width: number): string[] => {
    if (namesEpoch !== epoch() || names.length !== width) {
      names = prepared.columns().map((column) => column.name);
      namesEpoch = epoch();
      hasProtoKey = names.includes('__proto__');
    }
    return names;
  };
  const toObject = (values: unknown[], keys: string[]): Record<string, unknown> => {
    const row: Record<string, unknown> = {};
    // A later column of the same name wins, as in better-sqlite3's own row objects.
    if (hasProtoKey)
      for (let i = 0; i < keys.length; i += 1)
        Object.defineProperty(row, keys[i]!, { value: values[i], enumerable: true, writable: true, configurable: true });
    else for (let i = 0; i < keys.length; i += 1) row[keys[i]!] = values[i];
    return row;
  };
  return {
    reader: true,
    all(parameters) {
      const rows = prepared.all(bound(parameters)) as unknown[][];
      if (rows.length === 0) return rows;
      const keys = namesFor(rows[0]!.length);
      const objects = new Array<Record<string, unknown>>(rows.length);
      for (let r = 0; r < rows.length; r += 1) objects[r] = toObject(rows[r]!, keys);
      return objects;
    },
    run(parameters) {
      // A reader run for its effect (`insert ... returning` through run) keeps its rows to itself.
      const result = prepared.run(bound(parameters));
      afterRun(prepared.source);
      return result;
    },
    *iterate(parameters) {
      for (const values of prepared.iterate(bound(parameters)) as IterableIterator<unknown[]>)
        yield toObject(values, namesFor(values.length));
    },
  };
}
