import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import Database from 'better-sqlite3';
import pg from 'pg';
import { TABLE_KEYS } from '../../subgraphs/agency/store/copy.js';
import type { Tables } from '../../subgraphs/agency/store/tables.js';

// Store suites run on both kinds of store. Each PostgreSQL test database is created for
// the run and dropped after it; the server is the one on 127.0.0.1:5432 (trust auth).

export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** What a node takes as its database: a file path or a postgres:// URL. */
  database: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: StoreKind, label = 'store'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = await mkdtemp(path.join(os.tmpdir(), `${label}-`));
    return { database: path.join(dir, `${label}.sqlite`), drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const name = `rf_test_${label.toLowerCase().replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { database: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Every row of every table, ordered by primary key, read independently of the store code. */
export async function dumpStore(database: string): Promise<Record<string, unknown[]>> {
  const db = new Kysely<Tables>({
    dialect: database.startsWith('postgres')
      ? new PostgresDialect({ pool: new pg.Pool({ connectionString: database, max: 1 }) })
      : new SqliteDialect({ database: new Database(database, { readonly: true }) }),
    plugins: [new CamelCasePlugin()],
  });
  try {
    const dump: Record<string, unknown[]> = {};
    for (const [table, keys] of Object.entries(TABLE_KEYS)) {
      let select = db.selectFrom(table as keyof Tables).selectAll();
      for (const key of keys) select = select.orderBy(key as never);
      dump[table] = await select.execute();
    }
    return dump;
  } finally {
    await db.destroy();
  }
}
