import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../../lib/config/project-root.js';
import { POSTGRES_ADMIN_URL } from '../../helpers/databases.js';

// The maintenance commands as users run them: real child processes (not on a terminal), the
// script each npm command names in package.json, and what they leave behind on disk and in
// PostgreSQL.

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The script `npm run <command>` runs, from package.json: the suite runs what users run. */
export function scriptOf(command: string): string {
  const scripts: Record<string, string> = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts;
  const match = /^node --import tsx (\S+)$/.exec(scripts[command] ?? '');
  if (!match) throw new Error(`package.json has no "node --import tsx <script>" for ${command}`);
  return match[1]!;
}

/**
 * Runs `npm run <command> -- <args>` without npm. The store variables of the test process
 * are dropped, so only `env` says where stores are.
 */
export function runCommand(command: string, args: string[], env: Record<string, string> = {}): Promise<CommandRun> {
  const { DATABASE_URL: _url, DATABASE_PATH: _path, DATA_DIR: _dir, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, scriptOf(command)), ...args],
      { cwd: PROJECT_ROOT, env: { ...inherited, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The lines of a command's stderr. */
export const linesOf = (text: string): string[] => text.trim().split('\n');

export const makeTempDir = (label: string): Promise<string> => mkdtemp(path.join(os.tmpdir(), `maintenance-${label}-`));

/** Every file and folder under `dir`, relative to it: what a command left there. */
export function entriesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/** A PostgreSQL URL on the test server for database `name`, with a password that must never be shown. */
export function postgresUrl(name: string, password = 'never-shown-secret'): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  url.password = password;
  return url.toString();
}

export async function databaseExists(name: string): Promise<boolean> {
  return (await adminQuery('select 1 from pg_database where datname = $1', [name])).length > 0;
}

/** The tables (any schema but the system's) of a database: what a command may have created in it. */
export async function tablesOf(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "select table_schema || '.' || table_name as name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')",
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

async function adminQuery(text: string, values: unknown[]): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}
