import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultAuditKeyFile } from '../../../lib/config/federation.js';
import type { Service } from '../../../lib/service.js';
import { PLAIN_LINKS } from '../../../lib/tls/links.js';
import { startAgencyNode } from '../../../subgraphs/agency/server.js';
import { AuditLedger, type NewAuditEntry } from '../../../subgraphs/agency/store/audit.js';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import { WitnessRecords } from '../../../subgraphs/agency/store/witnessing.js';
import { AuditKeys, defaultSigningKeyFile, ensureSigningKey } from '../../../subgraphs/agency/witness/keys.js';
import { verifyLedger } from '../../../subgraphs/agency/witness/verify.js';
import { witnessPanel } from '../../../subgraphs/agency/witness/witnessing.js';
import { MAX_HASHES_PER_OFFER } from '../../../subgraphs/agency/witness/witness.js';
import { inProcessNodeOptions } from '../../helpers/node.js';

// An owner far ahead of its witness (a ledger of thousands of entries the witness never saw
// past its first head) catches it up over real HTTP in steps of MAX_HASHES_PER_OFFER, each
// step checked by the witness and receipted; verification then agrees with the witness.

let dir: string;
const nodes: Service[] = [];
afterAll(async () => {
  for (const node of nodes) await node.stop();
  await rm(dir, { recursive: true, force: true });
});

const entry = (i: number): NewAuditEntry => ({
  event: 'DISCLOSURE',
  callerAgency: 'TH-RTP',
  callerSub: 'officer',
  purpose: 'BORDER_CONTROL',
  operation: `Lookup${i}`,
  recordIds: [`EUROPOL:S-${i}`],
  disclosure: 'FULL',
  detail: null,
});

let federation: {
  agencies: { code: string; url: string; auditKey: string; port: number; database: string }[];
  audit: { witnessIntervalMs: number };
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'catch-up-'));
  const agencies = await Promise.all(
    ['EUROPOL', 'INTERPOL'].map(async (code) => {
      const port = await getPort();
      return {
        code,
        port,
        url: `http://127.0.0.1:${port}/`,
        auditKey: path.join(dir, defaultAuditKeyFile(code)),
        database: path.join(dir, `${code}.sqlite`),
      };
    }),
  );
  federation = { agencies, audit: { witnessIntervalMs: 100 } };
});

it(`catches up a witness ${3 * MAX_HASHES_PER_OFFER}+ entries behind, in checked steps`, async () => {
  const [europol, interpol] = federation.agencies;
  const signers = await Promise.all(
    federation.agencies.map((node) => ensureSigningKey(node.code, defaultSigningKeyFile(dir, node.code), node.auditKey, node.auditKey)),
  );
  // The owner's ledger, written before any witness runs.
  const total = 3 * MAX_HASHES_PER_OFFER + 217;
  const store = await openStore({ agency: 'EUROPOL', database: europol!.database });
  const ledger = new AuditLedger(store);
  await ledger.append([entry(0)]);
  await store.close();
  const start = (index: number) =>
    startAgencyNode(
      inProcessNodeOptions(dir, {
        agency: federation.agencies[index]!.code,
        database: federation.agencies[index]!.database,
        port: federation.agencies[index]!.port,
        witnessing: { signer: signers[index]!, federation, fetch: PLAIN_LINKS.fetch },
      }),
    );
  nodes.push(await start(1));
  const owner = await start(0);
  nodes.push(owner);
  const ownerStore = await openStore({ agency: 'EUROPOL', database: europol!.database, mustExist: true });
  try {
    const records = new WitnessRecords(ownerStore);
    // The witness takes the first head on first sight...
    await expect.poll(async () => (await records.lastReceiptSequences()).get('INTERPOL'), { timeout: 10_000 }).toBe(1);
    // ...then the owner's ledger grows by thousands at once.
    const owned = new AuditLedger(ownerStore);
    await ownerStore.writeTransaction(async (trx) => {
      for (let i = 1; i < total; i += 1000)
        await owned.appendIn(
          trx,
          Array.from({ length: Math.min(1000, total - i) }, (_, k) => entry(i + k)),
        );
    });
    await expect.poll(async () => (await records.lastReceiptSequences()).get('INTERPOL'), { timeout: 30_000 }).toBe(total);
    const steps = (await records.receipts(100, 'INTERPOL')).map((r) => r.sequence).sort((a, b) => a - b);
    expect(steps).toEqual([1, 1 + MAX_HASHES_PER_OFFER, 1 + 2 * MAX_HASHES_PER_OFFER, 1 + 3 * MAX_HASHES_PER_OFFER, total]);
    const panel = witnessPanel(signers[0]!, { agencies: [interpol!] }, PLAIN_LINKS.fetch);
    const verification = await verifyLedger('EUROPOL', owned, records, AuditKeys.of(federation.agencies), panel);
    expect(verification.ok).toBe(true);
    expect(verification.witnessed).toMatchObject({
      ok: true,
      receiptsChecked: 5,
      witnesses: [{ witness: 'INTERPOL', reachable: true, sequence: total }],
    });
  } finally {
    await ownerStore.close();
  }
}, 60_000);
