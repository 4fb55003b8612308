import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, sql, SqliteDialect, type Dialect, type LogEvent } from 'kysely';
import { isPostgresUrl } from '../../../lib/config/federation.js';
import { migrationProvider } from './migrations/index.js';
import { SqliteCamelCasePlugin } from './camel-case.js';
import { withStatementCache } from './statement-cache.js';
import { RecordStore } from './store.js';
import { FOLD_CASE, foldCase } from './fold-case.js';
import type { Tables } from './tables.js';

// A node's store is a SQLite file (the embedded default) or a PostgreSQL database
// (production). The same Kysely code runs on both; only the dialect differs.
//
// A node makes and migrates its own store. A maintenance command (audit:verify, store:copy's
// source, import:un) opens a store its node made, with `mustExist`: a mistyped path or a
// missing DATA_DIR must be refused, not answered from a fresh empty store ("0 entries").

/** Thrown when a node cannot use its database; the message names it and what to do. */
export class StoreOpenError extends Error {}

export interface OpenStoreOptions {
  agency: string;
  /** A SQLite file path (created with its folder when missing, unless `mustExist`) or a postgres:// URL. */
  database: string;
  /** Called once per SQL statement, e.g. to count them. */
  onQuery?: (event: LogEvent) => void;
  /** How long to wait for a lock held by another process before giving up. */
  busyTimeoutMs?: number;
  /**
   * The store must exist and be migrated to this version: nothing is created (no file, no
   * folder, no table) and nothing migrated, since migrating a store is its node's write.
   */
  mustExist?: boolean;
  /**
   * No other process may have the store open (its running node, say): refused if one has,
   * and on SQLite others are kept out until it closes, so what is read is consistent.
   */
  exclusive?: boolean;
  /** Names its PostgreSQL connections in pg_stat_activity (default "agency node CODE"), e.g. the command's name. */
  applicationName?: string;
}

/** A reason the store cannot be used, already worded for the user. */
class Refusal extends Error {}

/** Why a command that needs the store to itself refuses one in use, and what to do. */
const STOP_THE_NODE = 'Stop the node first: this command needs the store to itself, so that what it reads is consistent.';

/** The database as it may appear in a message: a file path, or a URL without its password. */
export function describeDatabase(database: string): string {
  if (!isPostgresUrl(database)) return `database file ${path.resolve(database)}`;
  const url = new URL(database);
  url.password = '';
  return `PostgreSQL database ${url.toString()}`;
}

export async function openStore(options: OpenStoreOptions): Promise<RecordStore> {
  const postgres = isPostgresUrl(options.database);
  let db: Kysely<Tables> | undefined;
  try {
    const { dialect, check, camelCase } = postgres ? postgresDialect(options) : sqliteDialect(options);
    db = new Kysely<Tables>({ dialect, plugins: [camelCase], log: options.onQuery });
    await check(db);
    if (options.mustExist) await refuseUnmigrated(db);
    else await migrate(db);
  } catch (error) {
    await db?.destroy();
    const reason = error instanceof Refusal ? error.message : describeError(error);
    throw new StoreOpenError(`Cannot open the store of agency ${options.agency}: ${describeDatabase(options.database)} ${reason}`);
  }
  return new RecordStore(options.agency, db, postgres ? 'postgres' : 'sqlite');
}

interface OpenedDialect {
  dialect: Dialect;
  /** Names camelCase in TypeScript, snake_case in SQL. */
  camelCase: CamelCasePlugin;
  /** Fails when the store cannot be used as asked (unreachable, missing, in use). */
  check(db: Kysely<Tables>): Promise<void>;
}

function postgresDialect(options: OpenStoreOptions): OpenedDialect {
  const pool = new pg.Pool({
    connectionString: options.database,
    max: 10,
    // A node keeps one connection for as long as it runs: a copy sees it in pg_stat_activity even when idle.
    min: options.mustExist ? 0 : 1,
    connectionTimeoutMillis: 5000,
    // What pg_stat_activity shows, and a copy's "in use" refusal names.
    application_name: options.applicationName ?? `agency node ${options.agency}`,
  });
  // An idle client that loses its server must not crash the node.
  pool.on('error', () => undefined);
  return {
    dialect: new PostgresDialect({ pool }),
    camelCase: new CamelCasePlugin(),
    async check(db) {
      // Connecting never creates a database: a missing one fails here (3D000).
      const client = await pool.connect();
      client.release();
      if (options.exclusive) await refuseOtherConnections(db);
    },
  };
}

/** Any other session on the database may write it meanwhile (a node of an older version sets no name). */
async function refuseOtherConnections(db: Kysely<Tables>): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select coalesce(nullif(application_name, ''), 'an unnamed client') as name from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`.execute(db);
  if (rows.length === 0) return;
  const names = [...new Set(rows.map((row) => row.name))].join(', ');
  throw new Refusal(`is in use by ${rows.length} other connection(s) (${names}): is its node running? ${STOP_THE_NODE}`);
}

function sqliteDialect(options: OpenStoreOptions): OpenedDialect {
  const file = path.resolve(options.database);
  if (options.mustExist && !existsSync(file)) throw new Refusal(missingFile(file));
  if (!options.mustExist) mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file, { fileMustExist: options.mustExist === true });
  try {
    // better-sqlite3 waits synchronously: keep the wait below the gateway's node timeout (2 s).
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 1000}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.function(FOLD_CASE, { deterministic: true }, foldCase);
    if (options.exclusive) holdExclusively(sqlite);
    // The node sets WAL once, for good; a maintenance command leaves the file's mode as it is.
    if (!options.mustExist) sqlite.pragma('journal_mode = WAL');
    // Take and release the write lock once, so a file locked by another process fails here.
    if (!options.exclusive) sqlite.exec('BEGIN IMMEDIATE; ROLLBACK');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const camelCase = new SqliteCamelCasePlugin();
  return {
    dialect: new SqliteDialect({ database: withStatementCache(sqlite, camelCase.rowKey) }),
    camelCase,
    check: async () => undefined,
  };
}

/**
 * A running node keeps a shared lock on its WAL-mode file for as long as it has it open. In
 * exclusive locking mode the first read of a WAL-mode file needs the file's exclusive lock,
 * so it fails at once (no busy wait) while any node holds it, and keeps everyone else out
 * once held.
 */
function holdExclusively(sqlite: Database.Database): void {
  const busyTimeout = sqlite.pragma('busy_timeout', { simple: true });
  sqlite.pragma('busy_timeout = 0');
  sqlite.pragma('locking_mode = EXCLUSIVE');
  try {
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    // Without WAL a read holds only a shared lock: take the exclusive one too. Not on an empty
    // file, which has no one to lock out and would be given a header.
    if (Number(sqlite.pragma('page_count', { simple: true })) > 0) sqlite.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
      throw new Refusal(`is open in another process: is its node running? ${STOP_THE_NODE}`);
    throw error;
  }
  sqlite.pragma(`busy_timeout = ${busyTimeout}`);
}

function missingFile(file: string): string {
  const folder = path.dirname(file);
  const where = existsSync(folder) ? '' : ` (nor does its folder ${folder})`;
  return `does not exist${where}. Check the path (and DATA_DIR); a node creates its store when it first starts.`;
}

async function migrate(db: Kysely<Tables>): Promise<void> {
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) throw new Refusal(`could not be migrated: ${describeError(error)}`);
}

/** Reads which migrations the store carries; getMigrations creates nothing, not even its own table. */
async function refuseUnmigrated(db: Kysely<Tables>): Promise<void> {
  const migrations = await new Migrator({ db, provider: migrationProvider }).getMigrations();
  const missing = migrations.filter((migration) => !migration.executedAt).map((migration) => migration.name);
  if (missing.length === migrations.length) {
    throw new Refusal("holds no agency store (no tables). Start the agency's node on it once: the node creates its store.");
  }
  if (missing.length > 0) {
    throw new Refusal(
      `is not migrated to this version (missing ${missing.join(', ')}). Start the agency's node of this version once: the node migrates its store.`,
    );
  }
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
