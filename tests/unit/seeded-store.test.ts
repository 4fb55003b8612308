import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../subgraphs/agency/seed/generate.js';
import { openSqliteStore } from '../../subgraphs/agency/store/open.js';

// Seeding real SQLite files: the same seed gives byte-for-byte the same rows.

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function seededFile(agency: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'seed-'));
  dirs.push(dir);
  const file = path.join(dir, 'store.sqlite');
  const store = await openSqliteStore({ agency, file });
  await store.insertDataset(generateDataset(agency));
  await store.close();
  return file;
}

function dump(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely_%' ORDER BY name")
    .all() as { name: string }[];
  const rows = Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all()]));
  db.close();
  return rows;
}

describe('seeded stores', () => {
  it.each(['INTERPOL', 'LMLECC'])('two fresh seeds of %s produce identical stores', async (agency) => {
    const [a, b] = await Promise.all([seededFile(agency), seededFile(agency)]);
    const first = dump(a);
    expect(first.subjects!.length).toBeGreaterThanOrEqual(200);
    expect(first.cases!.length).toBeGreaterThanOrEqual(200);
    expect(dump(b)).toEqual(first);
  });

  it('keeps a store that already holds data when opened again', async () => {
    const file = await seededFile('EUROPOL');
    const store = await openSqliteStore({ agency: 'EUROPOL', file });
    expect(await store.isEmpty()).toBe(false);
    const holdings = await store.holdings();
    await store.close();
    expect(holdings.subjects).toBe(dump(file).subjects!.length);
  });
});
