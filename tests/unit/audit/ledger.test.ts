import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevIssuer, type DevIssuer } from '../../../lib/auth/dev-issuer.js';
import { TokenVerifier } from '../../../lib/auth/verify.js';
import { loadConfig, PROJECT_ROOT } from '../../../lib/config/index.js';
import type { Service } from '../../../lib/service.js';
import { startAgencyNode } from '../../../subgraphs/agency/server.js';
import { AccessRequests, IdempotencyKeyReusedError } from '../../../subgraphs/agency/store/access-requests.js';
import { AuditLedger, type NewAuditEntry } from '../../../subgraphs/agency/store/audit.js';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import type { RecordStore } from '../../../subgraphs/agency/store/store.js';
import { createTestDatabase, STORE_KINDS, type StoreKind, type TestDatabase } from '../../helpers/databases.js';
import { postGraphQL, tokenFor } from '../../helpers/federation.js';
import { LOOPBACK_HTTP } from '../../helpers/http.js';

// The owner's ledger on SQLite and PostgreSQL: tampering is found and located, concurrent
// disclosures chain without gap or fork, and a ledger that cannot be written discloses nothing.

const run = promisify(execFile);
const config = loadConfig();

/** Raw SQL on the test database, as someone with access to the file or server would. */
async function tamper(kind: StoreKind, database: string, statements: string[]): Promise<void> {
  if (kind === 'sqlite') {
    const db = new Database(database);
    for (const statement of statements) db.exec(statement);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

function entry(i: number): NewAuditEntry {
  return {
    event: 'DISCLOSURE',
    callerAgency: 'TH-RTP',
    callerSub: 'officer-7',
    purpose: 'BORDER_CONTROL',
    operation: `Lookup${i}`,
    recordIds: [`EUROPOL:S-0000${i}`],
    disclosure: i % 2 ? 'FULL' : 'HIT_ONLY',
    detail: null,
  };
}

describe.each(STORE_KINDS)('audit ledger on %s', (kind) => {
  const databases: TestDatabase[] = [];
  const stores: RecordStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await Promise.all(databases.map((db) => db.drop()));
  });

  async function ledgerWith(entries: number) {
    const db = await createTestDatabase(kind, 'ledger');
    databases.push(db);
    const store = await openStore({ agency: 'EUROPOL', database: db.database });
    stores.push(store);
    const ledger = new AuditLedger(store);
    for (let i = 1; i <= entries; i++) await ledger.append([entry(i)]);
    return { ledger, database: db.database };
  }

  it('numbers access requests, keeps retries idempotent and audits each one with its event', async () => {
    const { ledger } = await ledgerWith(0);
    const store = stores.at(-1)!;
    const requests = new AccessRequests(store);
    const ask = (recordId: string, key: string) =>
      requests.create(
        {
          recordId,
          requesterAgency: 'TH-RTP',
          requesterSub: 'officer-7',
          purpose: 'BORDER_CONTROL',
          justification: 'x',
          idempotencyKey: key,
        },
        (row) => ({ ...entry(1), event: 'ACCESS_REQUESTED', recordIds: [`EUROPOL:${row.recordId}`], detail: { request: row.localId } }),
      );
    const ids = [(await ask('S-1', 'k1')).localId, (await ask('S-2', 'k2')).localId, (await ask('S-1', 'k1')).localId];
    // The same key gives the same request; ids are random, with no sequence in them.
    expect(ids[2]).toBe(ids[0]);
    expect(ids[1]).not.toBe(ids[0]);
    for (const id of ids) expect(id).toMatch(/^AR-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await expect(ask('S-3', 'k1')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    const entries = await ledger.entries(10);
    expect(entries.map((e) => [e.event, e.detail?.request])).toEqual([
      ['ACCESS_REQUESTED', ids[0]],
      ['ACCESS_REQUESTED', ids[1]],
    ]);
  });

  it('verifies an untouched chain', async () => {
    const { ledger } = await ledgerWith(10);
    const result = await ledger.verify();
    expect(result).toMatchObject({ ok: true, length: 10, firstBadSequence: null });
    expect(result.head).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['a changed entry', ["UPDATE audit_ledger SET caller_agency = 'FR-PN' WHERE sequence = 4"], 4],
    ['a changed record list', [`UPDATE audit_ledger SET record_ids = '["EUROPOL:S-00099"]' WHERE sequence = 6`], 6],
    ['a deleted entry', ['DELETE FROM audit_ledger WHERE sequence = 5'], 5],
    [
      'two entries swapped',
      [
        'UPDATE audit_ledger SET sequence = -3 WHERE sequence = 3',
        'UPDATE audit_ledger SET sequence = 3 WHERE sequence = 7',
        'UPDATE audit_ledger SET sequence = 7 WHERE sequence = -3',
      ],
      3,
    ],
    ['a rewritten hash', ["UPDATE audit_ledger SET hash = 'f00d' WHERE sequence = 8"], 8],
  ])('finds and locates %s', async (_what, statements, firstBad) => {
    const { ledger, database } = await ledgerWith(10);
    await tamper(kind, database, statements);
    const result = await ledger.verify();
    expect(result.ok).toBe(false);
    expect(result.firstBadSequence).toBe(firstBad);
  });

  it('audit:verify exits non-zero on a broken chain and names the first bad entry', async () => {
    const { database } = await ledgerWith(6);
    const cli = (args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', '--agency', 'EUROPOL', '--database', database, ...args], {
        cwd: PROJECT_ROOT,
      });
    const intact = await cli([]);
    expect(intact.stdout).toMatch(/EUROPOL audit ledger holds: 6 entries/);
    await tamper(kind, database, ["UPDATE audit_ledger SET purpose = 'ASSET_RECOVERY' WHERE sequence = 2"]);
    const broken = await cli([]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/BROKEN at sequence 2 of 6 entries/);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe.each(STORE_KINDS)('a node on %s under concurrent disclosures', (kind) => {
  let dir: string;
  let db: TestDatabase;
  let node: Service;
  let issuer: DevIssuer;
  let store: RecordStore;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ledger-node-'));
    issuer = await ensureDevIssuer(dir);
    db = await createTestDatabase(kind, 'ledger-node');
    node = await startAgencyNode({
      agency: 'EUROPOL',
      port: 0,
      database: db.database,
      seedDemoData: true,
      verifier: new TokenVerifier(config.federation.trust, dir, config.directory),
      directory: config.directory,
      http: LOOPBACK_HTTP,
      logger: pino({ level: 'silent' }),
    });
    store = await openStore({ agency: 'EUROPOL', database: db.database });
  });

  afterAll(async () => {
    await node?.stop();
    await store?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function ask(agency: string, query: string) {
    const token = await tokenFor(issuer, config, { agency });
    return postGraphQL<{ subjects: { id: string }[] }>(
      node.url,
      query,
      {},
      {
        authorization: `Bearer ${token}`,
        'x-purpose': 'CRIMINAL_INVESTIGATION',
      },
    );
  }

  it('chains 200 simultaneous disclosing requests without a gap or a fork', async () => {
    const ledger = new AuditLedger(store);
    const before = (await ledger.verify()).length;
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => ask(i % 2 ? 'TH-RTP' : 'FR-PN', `query Burst${i} { subjects(first: 3) { id } }`)),
    );
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.subjects.length).toBeGreaterThan(0);
    }
    const result = await ledger.verify();
    expect(result.ok).toBe(true);
    expect(result.length - before).toBeGreaterThanOrEqual(200);
    const entries = await ledger.entries(10_000);
    expect(entries.map((e) => e.sequence)).toEqual(entries.map((_, i) => i + 1));
    const operations = new Set(entries.map((e) => e.operation));
    for (let i = 0; i < 200; i++) expect(operations.has(`Burst${i}`), `Burst${i}`).toBe(true);
  });

  it('waits for another process holding the write lock, instead of failing closed at once', async () => {
    if (kind !== 'sqlite') return expect(kind).toBe('postgres');
    // Another process (as an import would be) holds the write lock for 400 ms.
    const holder = execFile(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(${JSON.stringify(db.database)}); db.exec('BEGIN IMMEDIATE');
       process.stdout.write('locked'); setTimeout(() => { db.exec('COMMIT'); db.close(); }, 400);`,
      ],
      { cwd: PROJECT_ROOT },
    );
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    const { status, errors, data } = await ask('TH-RTP', '{ subjects(first: 2) { id } }');
    expect(status).toBe(200);
    expect(errors).toBeUndefined();
    expect(data!.subjects.length).toBeGreaterThan(0);
  });

  it('discloses nothing when the ledger cannot be written (fail closed)', async () => {
    const block =
      kind === 'sqlite'
        ? ["CREATE TRIGGER block_ledger BEFORE INSERT ON audit_ledger BEGIN SELECT RAISE(ABORT, 'ledger disk full'); END"]
        : [
            "CREATE FUNCTION block_ledger() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'ledger disk full'; END $$ LANGUAGE plpgsql",
            'CREATE TRIGGER block_ledger BEFORE INSERT ON audit_ledger FOR EACH ROW EXECUTE FUNCTION block_ledger()',
          ];
    await tamper(kind, db.database, block);
    try {
      const length = (await new AuditLedger(store).verify()).length;
      const answer = await ask('TH-RTP', '{ subjects(first: 5) { id names { full } } }');
      expect(answer.status).toBe(503);
      expect(answer.data).toBeNull();
      expect(answer.errors).toEqual([
        {
          message: 'EUROPOL could not record this disclosure in its audit ledger, so nothing was disclosed; try again later.',
          extensions: { code: 'AUDIT_UNAVAILABLE', agency: 'EUROPOL' },
        },
      ]);
      expect((await new AuditLedger(store).verify()).length).toBe(length);
      // The owner's own reads are not disclosures and still work.
      const own = await ask('EUROPOL', '{ subjects(first: 1) { id } }');
      expect(own.data!.subjects).toHaveLength(1);
    } finally {
      await tamper(
        kind,
        db.database,
        kind === 'sqlite' ? ['DROP TRIGGER block_ledger'] : ['DROP TRIGGER block_ledger ON audit_ledger', 'DROP FUNCTION block_ledger()'],
      );
    }
  });
});
