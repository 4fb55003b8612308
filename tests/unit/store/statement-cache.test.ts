import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { withStatementCache } from '../../../subgraphs/agency/store/statement-cache.js';

// A node prepares each statement text once and reuses it: the same text gets the same
// prepared statement, which still answers with the current data and its own parameters.

it('reuses the prepared statement of a text, with fresh parameters and current rows', () => {
  const sqlite = new Database(':memory:');
  sqlite.exec('create table t (id integer primary key, name text)');
  const db = withStatementCache(sqlite);
  const insert = db.prepare('insert into t (id, name) values (?, ?)');
  expect(db.prepare('insert into t (id, name) values (?, ?)')).toBe(insert);
  (insert as unknown as Database.Statement).run(1, 'a');
  (insert as unknown as Database.Statement).run(2, 'b');
  const select = db.prepare('select name from t where id = ?') as unknown as Database.Statement;
  expect(select.all(2)).toEqual([{ name: 'b' }]);
  (db.prepare('insert into t (id, name) values (?, ?)') as unknown as Database.Statement).run(3, 'c');
  expect((db.prepare('select name from t where id = ?') as unknown as Database.Statement).all(3)).toEqual([{ name: 'c' }]);
  // A schema change does not leave a stale statement behind: SQLite prepares it again.
  expect((db.prepare('select * from t where id = ?') as unknown as Database.Statement).all(1)).toEqual([{ id: 1, name: 'a' }]);
  sqlite.exec('alter table t add column extra text');
  expect((db.prepare('select * from t where id = ?') as unknown as Database.Statement).all(1)).toEqual([{ id: 1, name: 'a', extra: null }]);
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
