import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CamelCasePlugin, Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteCamelCasePlugin } from '../../../subgraphs/agency/store/camel-case.js';
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

interface TestTables {
  recordLinks: { localId: string; subjectId: string | null; dateFrom: string; score: number; rawBytes: Buffer; count_2x: number };
  subjectNames: { localId: string; fullName: string; localId_2: string };
}

describe('rows keyed by the store (rowKey)', () => {
  const folders: string[] = [];
  afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));
  const storeFile = () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'keyed-rows-'));
    folders.push(folder);
    return path.join(folder, 'store.sqlite');
  };

  /** The same file read through the stock path (better-sqlite3's row objects, renamed by CamelCasePlugin) and the node's. */
  function bothWays(file: string) {
    const plugin = new SqliteCamelCasePlugin();
    return {
      stock: new Kysely<TestTables>({
        dialect: new SqliteDialect({ database: withStatementCache(new Database(file)) }),
        plugins: [new CamelCasePlugin()],
      }),
      keyed: new Kysely<TestTables>({
        dialect: new SqliteDialect({ database: withStatementCache(new Database(file), plugin.rowKey) }),
        plugins: [plugin],
      }),
    };
  }

  it('are the rows, keys and their order included, that the stock path reads', async () => {
    const file = storeFile();
    const setup = new Database(file);
    setup.exec(`create table record_links (local_id text primary key, subject_id text, date_from text, score real, raw_bytes blob, count_2x integer);
      create table subject_names (local_id text, full_name text, local_id_2 text)`);
    const insert = setup.prepare('insert into record_links values (?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < 30; i++)
      insert.run(
        `R-${i}`,
        i % 3 ? `S-${i}` : null,
        `2020-01-${String((i % 28) + 1).padStart(2, '0')}`,
        i / 7,
        Buffer.from([i, 255 - i]),
        2 ** 40 + i,
      );
    setup.exec(`insert into subject_names select subject_id, 'Name ' || local_id, local_id from record_links where subject_id is not null`);
    setup.close();
    const { stock, keyed } = bothWays(file);
    const reads = [
      stock.selectFrom('recordLinks').selectAll().orderBy('localId'),
      stock.selectFrom('recordLinks').select(['subjectId', 'dateFrom as from_date', 'score']).where('score', '>', 1),
      // Two columns of one name (local_id from each table): the later one's value is kept, as better-sqlite3 does.
      stock.selectFrom('recordLinks').innerJoin('subjectNames', 'subjectNames.localId', 'recordLinks.subjectId').selectAll(),
      stock.selectFrom('recordLinks').select((eb) => [eb.fn.countAll().as('all_links'), eb.fn.max('dateFrom').as('latest_date')]),
      stock.selectFrom('recordLinks').selectAll().where('localId', '=', 'none'),
    ];
    for (const read of reads) {
      const compiled = read.compile();
      const expected = await stock.executeQuery(compiled);
      const actual = await keyed.executeQuery(compiled);
      expect(actual.rows.length).toBe(expected.rows.length);
      for (let i = 0; i < expected.rows.length; i++) expect(Object.entries(actual.rows[i]!)).toEqual(Object.entries(expected.rows[i]!));
    }
    // Raw SQL, a write that returns rows, and one that does not: each path on its own copy of the store.
    const copy = `${file}.copy`;
    copyFileSync(file, copy);
    const keyedCopy = bothWays(copy).keyed;
    for (const statement of [
      sql`select local_id, count_2x from record_links where local_id = ${'R-5'}`,
      sql`update record_links set score = 0 where local_id = ${'R-5'} returning local_id as changed_id, score`,
      sql`delete from record_links where local_id = ${'R-5'}`,
    ]) {
      const stockResult = await statement.execute(stock);
      const keyedResult = await statement.execute(keyedCopy);
      expect(keyedResult.rows).toEqual(stockResult.rows);
      expect(keyedResult.numAffectedRows).toEqual(stockResult.numAffectedRows);
    }
    await keyedCopy.destroy();
    await stock.destroy();
    await keyed.destroy();
  });

  it('follow a schema another process changed under a kept `select *`', async () => {
    const file = storeFile();
    const setup = new Database(file);
    setup.exec(`create table t (local_id text, first_name text); insert into t values ('A', 'Ann')`);
    const { keyed, stock } = bothWays(file);
    const read = sql`select * from t`;
    expect((await read.execute(keyed)).rows).toEqual([{ localId: 'A', firstName: 'Ann' }]);
    // Rebuilt as wide as before, the columns in another order: the kept statement must not mislabel them.
    setup.exec(
      `alter table t rename to t_old; create table t (first_name text, local_id text); insert into t select first_name, local_id from t_old; drop table t_old`,
    );
    expect((await read.execute(keyed)).rows).toEqual([{ firstName: 'Ann', localId: 'A' }]);
    setup.exec(`alter table t add column last_seen text`);
    expect((await read.execute(keyed)).rows).toEqual((await read.execute(stock)).rows);
    expect((await read.execute(keyed)).rows).toEqual([{ firstName: 'Ann', localId: 'A', lastSeen: null }]);
    setup.close();
    await keyed.destroy();
    await stock.destroy();
  });
});
