import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CamelCasePlugin, Kysely, Migrator, SqliteDialect, type LogEvent } from 'kysely';
import { migrationProvider } from './migrations.js';
import { RecordStore } from './store.js';
import type { Tables } from './tables.js';

/** Thrown when a node cannot use its database; the message names the file and what to do. */
export class StoreOpenError extends Error {}

export interface OpenStoreOptions {
  agency: string;
  /** Path of the agency's SQLite file; created with its folder when missing. */
  file: string;
  /** Called once per SQL statement, e.g. to count them. */
  onQuery?: (event: LogEvent) => void;
  /** How long to wait for a lock held by another process before giving up. */
  busyTimeoutMs?: number;
}

export async function openSqliteStore(options: OpenStoreOptions): Promise<RecordStore> {
  const file = path.resolve(options.file);
  const fail = (reason: string): never => {
    throw new StoreOpenError(`Cannot open the store of agency ${options.agency}: database file ${file} ${reason}`);
  };
  let sqlite: Database.Database | undefined;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    sqlite = new Database(file);
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 2000}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('journal_mode = WAL');
    // Take and release the write lock once, so a file locked by another process fails here.
    sqlite.exec('BEGIN IMMEDIATE; ROLLBACK');
  } catch (error) {
    sqlite?.close();
    fail(describeSqliteError(error));
  }
  const db = new Kysely<Tables>({
    dialect: new SqliteDialect({ database: sqlite! }),
    plugins: [new CamelCasePlugin()],
    log: options.onQuery,
  });
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await db.destroy();
    fail(`could not be migrated: ${describeSqliteError(error)}`);
  }
  return new RecordStore(options.agency, db);
}

function describeSqliteError(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return 'is not a SQLite database or is corrupt. Restore it from a backup, or move it away to start an empty store.';
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return 'is locked by another process. Is another node already running on it?';
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR') {
    return 'cannot be opened. Check that the path is a file the node may read and write.';
  }
  if (code === 'SQLITE_READONLY') return 'is read-only. The node needs to write its store.';
  return `cannot be used: ${(error as Error).message}`;
}
