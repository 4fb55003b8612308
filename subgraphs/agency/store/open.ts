import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, SqliteDialect, type Dialect, type LogEvent } from 'kysely';
import { isPostgresUrl } from '../../../lib/config/federation.js';
import { migrationProvider } from './migrations/index.js';
import { RecordStore } from './store.js';
import type { Tables } from './tables.js';

// A node's store is a SQLite file (the embedded default) or a PostgreSQL database
// (production). The same Kysely code runs on both; only the dialect differs.

/** Thrown when a node cannot use its database; the message names it and what to do. */
export class StoreOpenError extends Error {}

export interface OpenStoreOptions {
  agency: string;
  /** A SQLite file path (created with its folder when missing) or a postgres:// URL. */
  database: string;
  /** Called once per SQL statement, e.g. to count them. */
  onQuery?: (event: LogEvent) => void;
  /** How long to wait for a lock held by another process before giving up. */
  busyTimeoutMs?: number;
}

/** The database as it may appear in a message: a file path, or a URL without its password. */
export function describeDatabase(database: string): string {
  if (!isPostgresUrl(database)) return `database file ${path.resolve(database)}`;
  const url = new URL(database);
  url.password = '';
  return `PostgreSQL database ${url.toString()}`;
}

export async function openStore(options: OpenStoreOptions): Promise<RecordStore> {
  const where = describeDatabase(options.database);
  const fail = (reason: string): never => {
    throw new StoreOpenError(`Cannot open the store of agency ${options.agency}: ${where} ${reason}`);
  };
  let dialect: Dialect;
  let check: () => Promise<void>;
  if (isPostgresUrl(options.database)) {
    const pool = new pg.Pool({ connectionString: options.database, max: 10, connectionTimeoutMillis: 5000 });
    // An idle client that loses its server must not crash the node.
    pool.on('error', () => undefined);
    dialect = new PostgresDialect({ pool });
    check = async () => {
      const client = await pool.connect();
      client.release();
    };
  } else {
    const file = path.resolve(options.database);
    let sqlite: Database.Database | undefined;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      sqlite = new Database(file);
      // better-sqlite3 waits synchronously: keep the wait below the gateway's node timeout (2 s).
      sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 1000}`);
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('journal_mode = WAL');
      // Take and release the write lock once, so a file locked by another process fails here.
      sqlite.exec('BEGIN IMMEDIATE; ROLLBACK');
    } catch (error) {
      sqlite?.close();
      fail(describeError(error));
    }
    dialect = new SqliteDialect({ database: sqlite! });
    check = async () => undefined;
  }
  const db = new Kysely<Tables>({ dialect, plugins: [new CamelCasePlugin()], log: options.onQuery });
  try {
    await check();
  } catch (error) {
    await db.destroy();
    fail(describeError(error));
  }
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await db.destroy();
    fail(`could not be migrated: ${describeError(error)}`);
  }
  return new RecordStore(options.agency, db, isPostgresUrl(options.database) ? 'postgres' : 'sqlite');
}

function describeError(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  switch (code) {
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return 'is not a SQLite database or is corrupt. Restore it from a backup, or move it away to start an empty store.';
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'is locked by another process. Is another node already running on it?';
    case 'SQLITE_CANTOPEN':
    case 'EACCES':
    case 'EISDIR':
    case 'ENOTDIR':
      return 'cannot be opened. Check that the path is a file the node may read and write.';
    case 'SQLITE_READONLY':
      return 'is read-only. The node needs to write its store.';
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'ETIMEDOUT':
    case 'EAI_AGAIN':
      return 'cannot be reached. Is PostgreSQL running, and are host and port right?';
    case '3D000':
      return 'does not exist. Create it first (createdb), then start the node.';
    case '28P01':
    case '28000':
      return 'refused the credentials. Check the user and password in DATABASE_URL.';
    default:
      return `cannot be used: ${(error as Error).message}`;
  }
}
