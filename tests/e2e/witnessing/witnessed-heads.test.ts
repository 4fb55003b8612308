import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../lib/config/index.js';
import { entryHash, GENESIS_HASH } from '../../../subgraphs/agency/store/audit.js';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import type { RecordStore } from '../../../subgraphs/agency/store/store.js';
import { defaultSigningKeyFile, readSigningKey, type AuditSigner } from '../../../subgraphs/agency/witness/keys.js';
import { HEAD_TYPE, sign } from '../../../subgraphs/agency/witness/statements.js';
import { STORE_KINDS } from '../../helpers/databases.js';
import { metric, startTestFederation, type CallerSpec, type TestFederation } from '../../helpers/federation.js';

// Witnessed audit heads in a running federation (docs/audit.md), on SQLite and PostgreSQL:
// every node's head is countersigned by the other nodes; an owner that rewrites (re-hashing
// every entry after it) or shortens its own ledger is caught by audit:verify and
// verifyAuditTrail, naming the first contradicted sequence and the witness; a witness that is
// down delays nothing and catches up; forged and contradicting heads are refused.

const run = promisify(execFile);
const PARTNER: CallerSpec = { agency: 'TH-RTP', roles: ['officer'] };
const auditor = (agency: string): CallerSpec => ({ agency, roles: ['auditor'] });

interface Receipt {
  witness: string;
  sequence: number;
  countersignedAt: string;
}
interface Verification {
  ok: boolean;
  length: number;
  firstBadSequence: number | null;
  witnessed: {
    ok: boolean;
    contradiction: { kind: string; sequence: number; witness: string; countersignedAt: string; lastAgreedSequence: number | null } | null;
    receiptsChecked: number;
    witnesses: { witness: string; reachable: boolean; sequence: number | null; contradictionsRecorded: number | null }[];
  };
}

describe.each(STORE_KINDS)('witnessed audit heads on %s', (store) => {
  let fed: TestFederation;
  beforeAll(async () => {
    fed = await startTestFederation({ store, witnessIntervalMs: 300 });
  }, 120_000);
  afterAll(async () => {
    await fed?.stop();
  });

  /** A partner reads some of an agency's records: disclosures its ledger records. */
  async function disclose(agency: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i += 1) {
      const { errors, data } = await fed.query<{ subjects: unknown[] }>(
        `{ subjects(first: ${5 + i}, agencies: ["${agency}"]) { id } }`,
        {},
        { as: PARTNER },
      );
      expect(errors).toBeUndefined();
      expect(data!.subjects.length).toBeGreaterThan(0);
    }
  }

  async function verification(agency: string): Promise<Verification> {
    const { data, errors } = await fed.query<{ verifyAuditTrail: Verification }>(
      `query($a: ID!) { verifyAuditTrail(agency: $a) { ok length firstBadSequence witnessed {
         ok receiptsChecked contradiction { kind sequence witness countersignedAt lastAgreedSequence }
         witnesses { witness reachable sequence contradictionsRecorded } } } }`,
      { a: agency },
      { as: auditor(agency) },
    );
    expect(errors).toBeUndefined();
    return data!.verifyAuditTrail;
  }

  async function receipts(agency: string, witness?: string): Promise<Receipt[]> {
    const { data, errors } = await fed.query<{ witnessedHeads: Receipt[] }>(
      'query($a: ID!, $w: String) { witnessedHeads(agency: $a, first: 100, witness: $w) { witness sequence countersignedAt } }',
      { a: agency, w: witness ?? null },
      { as: auditor(agency) },
    );
    expect(errors).toBeUndefined();
    return data!.witnessedHeads;
  }

  /** The highest sequence each witness countersigned, by the owner's receipts. */
  async function witnessedUpTo(agency: string): Promise<Record<string, number>> {
    const latest: Record<string, number> = {};
    for (const receipt of await receipts(agency)) latest[receipt.witness] = Math.max(latest[receipt.witness] ?? 0, receipt.sequence);
    return latest;
  }

  const others = (agency: string) => ['INTERPOL', 'EUROPOL', 'ASEANAPOL', 'LMLECC'].filter((code) => code !== agency);

  async function allCountersigned(agency: string): Promise<number> {
    const { length } = await verification(agency);
    await expect.poll(() => witnessedUpTo(agency), { timeout: 15_000 }).toEqual(Object.fromEntries(others(agency).map((w) => [w, length])));
    return length;
  }

  function auditVerify(agency: string, ...args: string[]) {
    return run(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', '--agency', agency, ...args], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        FEDERATION_CONFIG: path.join(fed.config.federation.dataDir, 'federation.json'),
        DATA_DIR: fed.config.federation.dataDir,
      },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  }

  /** Opens a node's store while the node is stopped, as its owner (or anyone with the file) could. */
  async function withStoreOf<T>(agency: string, work: (store: RecordStore) => Promise<T>): Promise<T> {
    const node = fed.config.federation.agencies.find((entry) => entry.code === agency)!;
    const opened = await openStore({ agency, database: node.database, mustExist: true });
    try {
      return await work(opened);
    } finally {
      await opened.close();
    }
  }

  function signerOf(agency: string): Promise<AuditSigner | undefined> {
    return readSigningKey(agency, defaultSigningKeyFile(fed.config.federation.dataDir, agency));
  }

  function offer(witness: string, body: unknown): Promise<Response> {
    return fed.fetch(new URL('/audit/heads', fed.nodeUrl(witness)), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it("countersigns each node's head at the other three nodes, and verification agrees with them", async () => {
    await disclose('INTERPOL', 3);
    const length = await allCountersigned('INTERPOL');
    expect(length).toBeGreaterThanOrEqual(3);
    const result = await verification('INTERPOL');
    expect(result.ok).toBe(true);
    expect(result.witnessed.contradiction).toBeNull();
    expect(result.witnessed.receiptsChecked).toBeGreaterThanOrEqual(3);
    expect(result.witnessed.witnesses.map((w) => [w.witness, w.reachable, w.sequence])).toEqual(
      others('INTERPOL').map((w) => [w, true, length]),
    );
    const cli = await auditVerify('INTERPOL');
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/INTERPOL audit ledger holds: \d+ entries/);
    expect(cli.stdout).toMatch(/witness EUROPOL: holds sequence \d+/);
  });

  it('keeps answering while a witness is down, and the witness catches up when it is back', async () => {
    await fed.federation.kill('LMLECC');
    const before = (await verification('INTERPOL')).length;
    await disclose('INTERPOL', 4);
    const length = (await verification('INTERPOL')).length;
    expect(length).toBeGreaterThan(before);
    await expect.poll(async () => (await witnessedUpTo('INTERPOL')).EUROPOL, { timeout: 15_000 }).toBe(length);
    expect((await witnessedUpTo('INTERPOL')).LMLECC).toBeLessThan(length);
    const down = (await verification('INTERPOL')).witnessed.witnesses.find((w) => w.witness === 'LMLECC')!;
    expect(down.reachable).toBe(false);
    await fed.federation.restart('LMLECC');
    await expect.poll(async () => (await witnessedUpTo('INTERPOL')).LMLECC, { timeout: 70_000 }).toBe(length);
  }, 120_000);

  it('refuses a forged head (another key), one addressed to another witness, and a malformed offer', async () => {
    await disclose('EUROPOL', 2);
    const held = await allCountersigned('EUROPOL');
    const { privateKey } = await generateKeyPair('ES256');
    const forger = { agency: 'EUROPOL', key: privateKey } as AuditSigner;
    const head = {
      agency: 'EUROPOL',
      witness: 'INTERPOL',
      sequence: held + 1,
      hash: 'a'.repeat(64),
      signedAt: new Date().toISOString(),
      previous: null,
    };
    const forged = await offer('INTERPOL', { head: await sign(forger, HEAD_TYPE, head), from: held, hashes: ['b'.repeat(64)] });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('BAD_SIGNATURE');

    const europol = (await signerOf('EUROPOL'))!;
    const elsewhere = await offer('INTERPOL', {
      head: await sign(europol, HEAD_TYPE, { ...head, witness: 'LMLECC' }),
      from: held,
      hashes: [],
    });
    expect(elsewhere.status).toBe(400);
    expect(((await elsewhere.json()) as { error: { message: string } }).error.message).toMatch(/addressed to witness LMLECC/);

    const garbage = await offer('INTERPOL', { head: 'not.a.jws', from: 0, hashes: [] });
    expect(garbage.status).toBe(400);
    const text = await garbage.text();
    expect(text).not.toMatch(/at \w+ \(|\/work|node_modules|select /i);
    // Nothing was countersigned for any of it.
    expect((await witnessedUpTo('EUROPOL')).INTERPOL).toBe(held);
  });

  it('a witness refuses a signed head that contradicts the one it holds, and records the contradiction', async () => {
    const held = await allCountersigned('EUROPOL');
    const europol = (await signerOf('EUROPOL'))!;
    const fork = {
      agency: 'EUROPOL',
      witness: 'ASEANAPOL',
      sequence: held,
      hash: 'c'.repeat(64),
      signedAt: new Date().toISOString(),
      previous: null,
    };
    const answer = await offer('ASEANAPOL', { head: await sign(europol, HEAD_TYPE, fork), from: null, hashes: [] });
    expect(answer.status).toBe(409);
    const body = (await answer.json()) as { error: { code: string; kind: string; held: { sequence: number } } };
    expect(body.error).toMatchObject({ code: 'CONTRADICTION', kind: 'FORK', held: { sequence: held } });
    // An extension of another ledger: the owner's signed head gives the held sequence another hash.
    const rewritten = { ...fork, sequence: held + 2, hash: 'd'.repeat(64), previous: { sequence: held, hash: 'a'.repeat(64) } };
    const second = await offer('ASEANAPOL', {
      head: await sign(europol, HEAD_TYPE, rewritten),
      from: held,
      hashes: ['e'.repeat(64), 'f'.repeat(64)],
    });
    expect(((await second.json()) as { error: { kind: string } }).error.kind).toBe('REWRITTEN');
    expect(await metric(fed.nodeUrl('ASEANAPOL'), 'audit_witness_contradictions_total{agency="EUROPOL",kind="FORK"}', fed.fetch)).toBe(1);
    const seen = (await verification('EUROPOL')).witnessed.witnesses.find((w) => w.witness === 'ASEANAPOL')!;
    expect(seen.contradictionsRecorded).toBe(2);
    // The witness still holds what it countersigned, not the contradicting heads.
    expect(seen.sequence).toBe(held);
  });

  it('catches a rewritten ledger, re-hashed throughout, at the first witnessed sequence after the change', async () => {
    await disclose('EUROPOL', 3);
    const length = await allCountersigned('EUROPOL');
    const witnessed = (await receipts('EUROPOL')).map((r) => r.sequence);
    await fed.federation.kill('EUROPOL');
    const changed = 2;
    await withStoreOf('EUROPOL', async (owner) => {
      const rows = await owner.db.selectFrom('auditLedger').selectAll().orderBy('sequence').execute();
      let previousHash = rows.find((row) => row.sequence === changed - 1)?.hash ?? GENESIS_HASH;
      for (const row of rows.filter((r) => r.sequence >= changed)) {
        const entry = {
          sequence: row.sequence,
          recordedAt: row.recordedAt,
          event: row.event as never,
          callerAgency: row.callerAgency,
          callerSub: row.callerSub,
          purpose: row.purpose,
          operation: row.sequence === changed ? 'nothing-to-see-here' : row.operation,
          recordIds: row.sequence === changed ? [] : (JSON.parse(row.recordIds) as string[]),
          disclosure: row.disclosure as never,
          detail: row.detail ? JSON.parse(row.detail) : null,
          previousHash,
        };
        const hash = entryHash(entry);
        await owner.db
          .updateTable('auditLedger')
          .set({ operation: entry.operation, recordIds: JSON.stringify(entry.recordIds), previousHash, hash })
          .where('sequence', '=', row.sequence)
          .execute();
        previousHash = hash;
      }
    });
    const expected = Math.min(...witnessed.filter((s) => s >= changed));
    // The chain alone holds (that is the attack); the receipts it keeps catch it.
    let cli = await auditVerify('EUROPOL', '--offline');
    expect(cli.code, cli.stdout + cli.stderr).toBe(1);
    expect(cli.stderr).toMatch(
      new RegExp(`CONTRADICTS its witnesses .* differs at sequence ${expected}: .*which (INTERPOL|ASEANAPOL|LMLECC) countersigned at`),
    );
    // An owner thorough enough to drop its receipts too is caught by the witnesses' own heads.
    await withStoreOf('EUROPOL', (owner) => owner.db.deleteFrom('auditReceipts').execute());
    cli = await auditVerify('EUROPOL');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(
      new RegExp(`differs at sequence ${length}: entries up to it were rewritten, which (INTERPOL|ASEANAPOL|LMLECC) countersigned at`),
    );

    await fed.federation.restart('EUROPOL');
    const result = await verification('EUROPOL');
    expect(result.firstBadSequence).toBeNull();
    expect(result.ok).toBe(false);
    expect(result.witnessed.contradiction).toMatchObject({ kind: 'REWRITTEN', sequence: length });
    // Offered the rewritten head, the witnesses refuse it (another hash at the sequence they hold) and record it.
    const recordedAt = async (witness: string) =>
      (await verification('EUROPOL')).witnessed.witnesses.find((w) => w.witness === witness)!.contradictionsRecorded;
    await expect.poll(() => recordedAt('INTERPOL'), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => recordedAt('LMLECC'), { timeout: 15_000 }).toBeGreaterThan(0);
  }, 60_000);

  it('catches a shortened ledger at the first witnessed sequence past its new end', async () => {
    await disclose('LMLECC', 4);
    const length = await allCountersigned('LMLECC');
    await fed.federation.kill('LMLECC');
    const keep = length - 2;
    await withStoreOf('LMLECC', async (owner) => {
      await owner.db.deleteFrom('auditLedger').where('sequence', '>', keep).execute();
      await owner.db.deleteFrom('auditReceipts').execute();
    });
    const cli = await auditVerify('LMLECC');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(
      new RegExp(`ends at sequence ${keep}, before sequence ${length}, which (INTERPOL|EUROPOL|ASEANAPOL) countersigned at`),
    );
    await fed.federation.restart('LMLECC');
    const result = await verification('LMLECC');
    expect(result.firstBadSequence).toBeNull();
    expect(result.witnessed.contradiction).toMatchObject({ kind: 'SHORTENED', sequence: length });
  }, 60_000);
});
