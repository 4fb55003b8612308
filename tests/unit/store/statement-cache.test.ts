import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../../../subgraphs/agency/store/statement-cache.js';

// A node prepares each statement text once and reuses it: the same text gets the same
// prepared statement, which still answers with the current data and its own parameters.

it('reuses the prepared statement of a text, with fresh parameters and current rows', () => {
  const sqlite = new Database(':memory:');
  sqlite.exec('create table t (id integer primary key, name text)');
  const db = withStatementCache(sqlite);
  const insert = db.prepare('insert into t (id, name) values (?, ?)');
  expect(db.prepare('insert into t (id, name) values (?, ?)')).toBe(insert);
  insert.run([1, 'a']);
  insert.run([2, 'b']);
  expect(db.prepare('select name from t where id = ?').all([2])).toEqual([{ name: 'b' }]);
  db.prepare('insert into t (id, name) values (?, ?)').run([3, 'c']);
  expect(db.prepare('select name from t where id = ?').all([3])).toEqual([{ name: 'c' }]);
  // A schema change does not leave a stale statement behind: SQLite prepares it again.
  sqlite.exec('alter table t add column extra text');
  expect(db.prepare('select * from t where id = ?').all([1])).toEqual([{ id: 1, name: 'a', extra: null }]);
  db.close();
  expect(sqlite.open).toBe(false);
});

it('keeps a bounded number of statements (texts with n placeholders vary)', () => {
  const sqlite = new Database(':memory:');
  const db = withStatementCache(sqlite);
  const first = db.prepare('select 0');
  for (let i = 1; i <= 600; i += 1) db.prepare(`select ${i}`);
  expect(db.prepare('select 0')).not.toBe(first);
  db.close();
});

// Rows are read as arrays and made into objects with the statement's column names, which are
// read once and again whenever the columns may have changed.

/** What better-sqlite3 itself answers, on a connection of its own to the same file. */
function plainRows(file: string, sql: string, parameters: unknown[]): unknown[] {
  const own = new Database(file, { readonly: true });
  try {
    return own.prepare(sql).all(parameters);
  } finally {
    own.close();
  }
}

describe('rows', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'statement-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are the objects better-sqlite3 makes, for any columns, values and repeated reads', () => {
    const names = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/).filter((name) => name !== '__proto__');
    const value = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.constant(null));
    fc.assert(
      fc.property(
        fc.uniqueArray(names, { minLength: 1, maxLength: 6 }),
        fc.array(fc.array(value, { minLength: 6, maxLength: 6 }), { maxLength: 8 }),
        fc.nat(5),
        (columns, rows, repeat) => {
          const file = path.join(dir, `p-${Math.random().toString(36).slice(2)}.sqlite`);
          const sqlite = new Database(file);
          sqlite.exec(`create table t (${columns.map((name) => `"${name}"`).join(', ')})`);
          const insert = sqlite.prepare(`insert into t values (${columns.map(() => '?').join(', ')})`);
          for (const row of rows) insert.run(row.slice(0, columns.length).map((v) => (typeof v === 'number' && Object.is(v, -0) ? 0 : v)));
          const db = withStatementCache(sqlite);
          const sql = 'select *, rowid as "rowid_", ? as "param" from t order by rowid';
          for (let i = 0; i <= repeat; i += 1) expect(db.prepare(sql).all([i])).toStrictEqual(plainRows(file, sql, [i]));
          db.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('take the last of two columns of one name, as better-sqlite3 does', () => {
    const file = path.join(dir, 'dup.sqlite');
    const sqlite = new Database(file);
    sqlite.exec("create table a (id integer, name text); insert into a values (1, 'first');");
    sqlite.exec("create table b (id integer, name text); insert into b values (1, 'second');");
    const db = withStatementCache(sqlite);
    const sql = 'select * from a join b on a.id = b.id';
    expect(db.prepare(sql).all([])).toStrictEqual(plainRows(file, sql, []));
    expect(db.prepare(sql).all([])).toStrictEqual([{ id: 1, name: 'second' }]);
    db.close();
  });

  it('keep a column named __proto__ as a value, never as the row’s prototype', () => {
    const sqlite = new Database(':memory:');
    const db = withStatementCache(sqlite);
    const [row] = db.prepare("select x'00ff' as __proto__, 1 as a").all([]) as Record<string, unknown>[];
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row!)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toEqual(Buffer.from([0, 255]));
    db.close();
  });

  it('follow the columns when a statement through the store changes them, however wide the table stays', () => {
    const sqlite = new Database(':memory:');
    const db = withStatementCache(sqlite);
    db.prepare('create table t (id integer, name text)').run([]);
    db.prepare("insert into t values (1, 'a')").run([]);
    const select = 'select * from t';
    expect(db.prepare(select).all([])).toStrictEqual([{ id: 1, name: 'a' }]);
    db.prepare('alter table t rename column name to label').run([]);
    expect(db.prepare(select).all([])).toStrictEqual([{ id: 1, label: 'a' }]);
    db.prepare('alter table t add column extra text').run([]);
    expect(db.prepare(select).all([])).toStrictEqual([{ id: 1, label: 'a', extra: null }]);
    db.close();
  });

  it('follow the columns when another connection widens the table', () => {
    const file = path.join(dir, 'other.sqlite');
    const sqlite = new Database(file);
    sqlite.exec('create table t (id integer); insert into t values (1);');
    const db = withStatementCache(sqlite);
    expect(db.prepare('select * from t').all([])).toStrictEqual([{ id: 1 }]);
    const other = new Database(file);
    other.exec("alter table t add column note text default 'n'");
    other.close();
    expect(db.prepare('select * from t').all([])).toStrictEqual([{ id: 1, note: 'n' }]);
    db.close();
  });

  it('binds thousands of parameters as one array', () => {
    const sqlite = new Database(':memory:');
    const db = withStatementCache(sqlite);
    const values = Array.from({ length: 30_000 }, (_, i) => i);
    const sql = `select count(*) as n from (select value from json_each(?)) where value in (${values.map(() => '?').join(', ')})`;
    expect(db.prepare(sql).all([JSON.stringify([1, 5, 29_999, 30_000]), ...values])).toEqual([{ n: 3 }]);
    db.close();
  });
});
