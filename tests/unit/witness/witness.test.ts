import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import type { RecordStore } from '../../../subgraphs/agency/store/store.js';
import { KEPT_SPAN, MAX_CONTRADICTIONS_PER_AGENCY, WitnessRecords } from '../../../subgraphs/agency/store/witnessing.js';
import { AuditKeys, ensureSigningKey, type AuditSigner } from '../../../subgraphs/agency/witness/keys.js';
import {
  foldHashes,
  HEAD_TYPE,
  QUESTION_TYPE,
  RECEIPT_TYPE,
  sign,
  verified,
  WITNESS_GENESIS,
} from '../../../subgraphs/agency/witness/statements.js';
import { COUNTERSIGNS_PER_WINDOW, Witness, type WitnessAnswer } from '../../../subgraphs/agency/witness/witness.js';

// A witness's decisions, on a real store: what it countersigns, what it asks again for, and
// what it refuses and keeps as a contradiction. The owner's heads are signed here with the
// owner's real key; the expected hashes are folded by hand (sha256 of the two hex texts).

let dir: string;
let store: RecordStore;
let owner: AuditSigner;
let witnessSigner: AuditSigner;
let keys: AuditKeys;
let witness: Witness;
const counted = { countersigned: 0, contradictions: [] as string[], refused: [] as string[] };

const hex = (n: number) => n.toString(16).padStart(64, '0');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'witness-'));
  const keyFile = (agency: string, half: string) => path.join(dir, 'keys', `${agency}.${half}.jwk.json`);
  owner = await ensureSigningKey('EUROPOL', keyFile('europol', 'private'), keyFile('europol', 'public'), keyFile('europol', 'public'));
  witnessSigner = await ensureSigningKey(
    'INTERPOL',
    keyFile('interpol', 'private'),
    keyFile('interpol', 'public'),
    keyFile('interpol', 'public'),
  );
  keys = new AuditKeys(
    new Map([
      ['EUROPOL', keyFile('europol', 'public')],
      ['INTERPOL', keyFile('interpol', 'public')],
    ]),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await store?.close();
  store = await openStore({ agency: 'INTERPOL', database: path.join(dir, `${Math.random().toString(36).slice(2)}.sqlite`) });
  counted.countersigned = 0;
  counted.contradictions = [];
  counted.refused = [];
  witness = new Witness(witnessSigner, keys, new WitnessRecords(store), pino({ level: 'silent' }), {
    countersigned: () => void (counted.countersigned += 1),
    contradiction: (_agency, kind) => void counted.contradictions.push(kind),
    refused: (code) => void counted.refused.push(code),
  });
});

async function offer(
  sequence: number,
  hash: string,
  from: number | null,
  hashes: string[] = [],
  signedAt = new Date(),
  previous: { sequence: number; hash: string } | null = from === null ? null : { sequence: from, hash: headAt(from) },
): Promise<WitnessAnswer> {
  const head = await sign(owner, HEAD_TYPE, {
    agency: 'EUROPOL',
    witness: 'INTERPOL',
    sequence,
    hash,
    signedAt: signedAt.toISOString(),
    previous,
  });
  return witness.receive({ head, from, hashes });
}

function codeOf(answer: WitnessAnswer): string | undefined {
  return 'error' in answer.body ? answer.body.error.code : undefined;
}

/** W(n) of a ledger whose entry hashes are hex(1)..hex(n), folded by hand. */
function headAt(n: number): string {
  return foldHashes(
    WITNESS_GENESIS,
    Array.from({ length: n }, (_, i) => hex(i + 1)),
  );
}
const between = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => hex(from + i + 1));

describe('a witness', () => {
  it('countersigns a first head, then only heads that extend it, and signs receipts the owner can check', async () => {
    const first = await offer(3, headAt(3), null);
    expect(first.status).toBe(200);
    const receipt = await verified((first.body as { receipt: string }).receipt, RECEIPT_TYPE, witnessSigner.publicKey);
    expect(receipt).toMatchObject({ agency: 'EUROPOL', witness: 'INTERPOL', sequence: 3, hash: headAt(3) });
    const next = await offer(7, headAt(7), 3, between(3, 7));
    expect(next.status).toBe(200);
    expect(counted.countersigned).toBe(2);
    // The same head again (a retry) gets the same receipt, and nothing new is stored.
    const again = await offer(7, headAt(7), 3, between(3, 7));
    expect(again.status).toBe(200);
    expect(counted.countersigned).toBe(2);
    expect((await new WitnessRecords(store).latestHead('EUROPOL'))!.sequence).toBe(7);
  });

  it('asks for the hashes after the head it holds when the owner offers from elsewhere', async () => {
    await offer(5, headAt(5), null);
    const answer = await offer(9, headAt(9), 2, between(2, 9));
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ error: { code: 'RESEND_FROM', held: { sequence: 5, hash: headAt(5) } } });
    expect(counted.contradictions).toEqual([]);
  });

  it('refuses an extension of another ledger as REWRITTEN, and keeps both signed heads', async () => {
    await offer(5, headAt(5), null);
    // The owner changed entry 4 and re-hashed: its own W(5) is another, and so is every W after it.
    const rewritten5 = foldHashes(WITNESS_GENESIS, [hex(1), hex(2), hex(3), hex(99), hex(5)]);
    const rewritten8 = foldHashes(rewritten5, between(5, 8));
    const answer = await offer(8, rewritten8, 5, between(5, 8), new Date(), { sequence: 5, hash: rewritten5 });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ error: { code: 'CONTRADICTION', kind: 'REWRITTEN', held: { sequence: 5 } } });
    const [kept] = await new WitnessRecords(store).contradictions('EUROPOL');
    expect(kept).toMatchObject({ kind: 'REWRITTEN', offeredSequence: 8, offeredHash: rewritten8 });
    // Both are the owner's own signatures, giving sequence 5 two hashes: evidence anyone with its public key can check.
    await expect(verified(kept!.heldHead, HEAD_TYPE, owner.publicKey)).resolves.toMatchObject({ sequence: 5, hash: headAt(5) });
    await expect(verified(kept!.offeredHead, HEAD_TYPE, owner.publicKey)).resolves.toMatchObject({
      previous: { sequence: 5, hash: rewritten5 },
    });
    expect((await new WitnessRecords(store).latestHead('EUROPOL'))!.sequence).toBe(5);
  });

  it('refuses, without recording anything, entry hashes changed on the way (they are not signed)', async () => {
    await offer(5, headAt(5), null);
    const tampered = between(5, 8);
    tampered[1] = hex(4242);
    const answer = await offer(8, headAt(8), 5, tampered);
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'BAD_OFFER' } } });
    expect(counted.contradictions).toEqual([]);
    // The untouched offer is countersigned.
    expect((await offer(8, headAt(8), 5, between(5, 8))).status).toBe(200);
  });

  it('refuses another hash at a sequence it countersigned as a FORK', async () => {
    await offer(5, headAt(5), null);
    await offer(9, headAt(9), 5, between(5, 9));
    expect(codeOf(await offer(9, hex(1234), null))).toBe('CONTRADICTION');
    // An older sequence it countersigned too.
    expect((await offer(5, hex(42), null)).body).toMatchObject({ error: { kind: 'FORK', held: { sequence: 5 } } });
    expect(counted.contradictions).toEqual(['FORK', 'FORK']);
  });

  it('answers a shorter head it does not hold with the head it holds, and records nothing (not provable by itself)', async () => {
    await offer(10, headAt(10), null);
    expect(codeOf(await offer(6, headAt(6), null))).toBe('RESEND_FROM');
    expect(codeOf(await offer(6, hex(77), null, [], new Date(Date.now() - 60_000)))).toBe('RESEND_FROM');
    expect(counted.contradictions).toEqual([]);
  });

  it('refuses heads it cannot trust: another key, another witness, its own agency, a bad offer, a head from the future', async () => {
    const stranger = await ensureSigningKey('EUROPOL', path.join(dir, 'x.private'), path.join(dir, 'x.public'), path.join(dir, 'x.public'));
    const forged = await sign(stranger, HEAD_TYPE, {
      agency: 'EUROPOL',
      witness: 'INTERPOL',
      sequence: 1,
      hash: hex(1),
      signedAt: new Date().toISOString(),
      previous: null,
    });
    expect(await witness.receive({ head: forged, from: null, hashes: [] })).toMatchObject({
      status: 403,
      body: { error: { code: 'BAD_SIGNATURE' } },
    });
    const unknown = await sign({ ...owner, agency: 'FR-PN' }, HEAD_TYPE, {
      agency: 'FR-PN',
      witness: 'INTERPOL',
      sequence: 1,
      hash: hex(1),
      signedAt: new Date().toISOString(),
      previous: null,
    });
    expect(await witness.receive({ head: unknown, from: null, hashes: [] })).toMatchObject({
      status: 403,
      body: { error: { code: 'UNKNOWN_SIGNER' } },
    });
    const own = await sign(witnessSigner, HEAD_TYPE, {
      agency: 'INTERPOL',
      witness: 'INTERPOL',
      sequence: 1,
      hash: hex(1),
      signedAt: new Date().toISOString(),
      previous: null,
    });
    expect((await witness.receive({ head: own, from: null, hashes: [] })).status).toBe(400);
    // A receipt is not a head, even with a valid signature.
    const receiptAsHead = await sign(owner, RECEIPT_TYPE, {
      agency: 'EUROPOL',
      witness: 'INTERPOL',
      sequence: 1,
      hash: hex(1),
      signedAt: new Date().toISOString(),
      countersignedAt: new Date().toISOString(),
    });
    expect((await witness.receive({ head: receiptAsHead, from: null, hashes: [] })).status).toBe(400);
    // A head claiming to speak for another agency than its signer.
    const impersonating = await sign(owner, HEAD_TYPE, {
      agency: 'LMLECC',
      witness: 'INTERPOL',
      sequence: 1,
      hash: hex(1),
      signedAt: new Date().toISOString(),
      previous: null,
    });
    expect((await witness.receive({ head: impersonating, from: null, hashes: [] })).status).toBe(400);
    expect((await offer(1, hex(1), null, [], new Date(Date.now() + 3_600_000))).status).toBe(400);
    for (const body of [
      null,
      'x',
      { head: 1 },
      { head: 'a.b.c', from: -1, hashes: [] },
      { head: 'a.b.c', from: 0, hashes: ['zz'] },
      { head: 'a.b.c', from: 0, hashes: [], extra: 1 },
    ]) {
      const answer = await witness.receive(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(answer.body)).not.toMatch(/\n|at .*\.ts/);
    }
    expect(counted.countersigned).toBe(0);
    expect(await new WitnessRecords(store).latestHead('EUROPOL')).toBeUndefined();
  });

  it('wants exactly the hashes between the held head and the offered one', async () => {
    await offer(2, headAt(2), null);
    const short = await offer(5, headAt(5), 2, between(2, 4));
    expect(short).toMatchObject({ status: 400, body: { error: { code: 'BAD_OFFER' } } });
    expect(JSON.stringify(short.body)).toMatch(/carries the 3 entry hashes in between, not 2/);
  });

  it('keeps at most a bounded number of contradictions per agency', async () => {
    await offer(1, headAt(1), null);
    const records = new WitnessRecords(store);
    for (let i = 0; i < MAX_CONTRADICTIONS_PER_AGENCY + 5; i += 1) {
      await records.addContradiction({
        agency: 'EUROPOL',
        kind: 'FORK',
        heldHead: 'h',
        offeredSequence: 1,
        offeredHash: hex(10_000 + i),
        offeredHead: 'o',
        recordedAt: '',
      });
    }
    expect(await records.contradictionCount('EUROPOL')).toBe(MAX_CONTRADICTIONS_PER_AGENCY);
  });

  it('keeps of each span of sequences the first receipt and the latest, so storage grows with the ledger, not with time', async () => {
    const records = new WitnessRecords(store);
    const sequences = Array.from({ length: 400 }, (_, i) => 1 + i * 7); // 1 .. 2794, every few entries
    for (const sequence of sequences) {
      await records.addReceipt({ witness: 'LMLECC', sequence, hash: hex(sequence), countersignedAt: '', receipt: 'r' });
    }
    const kept = (await records.receipts(100, 'LMLECC')).map((r) => r.sequence).sort((a, b) => a - b);
    const expected = new Set<number>();
    for (let span = 0; span * KEPT_SPAN <= sequences.at(-1)!; span += 1) {
      const inSpan = sequences.filter((s) => Math.floor(s / KEPT_SPAN) === span);
      if (inSpan.length > 0) expected.add(inSpan[0]!).add(inSpan.at(-1)!);
    }
    // The last of an earlier span stays too (it was the latest when the next span began).
    expect(kept).toEqual([...expected].sort((a, b) => a - b));
    expect((await records.lastReceiptSequences()).get('LMLECC')).toBe(sequences.at(-1));
  });

  it('countersigns a bounded number of heads per agency in a window', async () => {
    await offer(1, headAt(1), null);
    let refused: WitnessAnswer | undefined;
    for (let n = 2; n <= COUNTERSIGNS_PER_WINDOW + 2 && !refused; n += 1) {
      const answer = await offer(n, headAt(n), n - 1, [hex(n)]);
      if (answer.status !== 200) refused = answer;
    }
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'SLOW_DOWN' } } });
    expect(counted.countersigned).toBe(COUNTERSIGNS_PER_WINDOW);
  });

  it('answers the owner what it holds, only to a fresh question signed by the owner', async () => {
    await offer(4, headAt(4), null);
    const question = (askedAt: Date, signer = owner) =>
      sign(signer, QUESTION_TYPE, { agency: signer.agency, witness: 'INTERPOL', askedAt: askedAt.toISOString() });
    const answer = await witness.answer({ question: await question(new Date()) });
    expect(answer.status).toBe(200);
    const held = answer.body as { head: string; receipt: string; contradictions: number };
    await expect(verified(held.head, HEAD_TYPE, owner.publicKey)).resolves.toMatchObject({ sequence: 4 });
    expect(held.contradictions).toBe(0);
    expect((await witness.answer({ question: await question(new Date(Date.now() - 3_600_000)) })).status).toBe(400);
    const stranger = await ensureSigningKey('EUROPOL', path.join(dir, 'y.private'), path.join(dir, 'y.public'), path.join(dir, 'y.public'));
    expect((await witness.answer({ question: await question(new Date(), stranger) })).status).toBe(403);
  });
});
