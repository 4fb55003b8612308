import { oneLine } from '../../../lib/text.js';
import type { LinkFetch } from '../../../lib/tls/links.js';
import type { AuditLedger, ChainVerification } from '../store/audit.js';
import type { WitnessRecords } from '../store/witnessing.js';
import type { AuditKeys, AuditSigner } from './keys.js';
import { callPeer, errorOf, type Peer } from './peers.js';
import { foldHashes, HEAD_TYPE, QUESTION_TYPE, RECEIPT_TYPE, sign, verified, WITNESS_GENESIS } from './statements.js';

// Verifying a ledger against its witnesses (docs/audit.md): the chain is walked as before,
// and its head hash at every witnessed sequence is compared with what was countersigned:
// every receipt the owner holds, and the latest head each reachable witness holds. A chain
// rewritten (even re-hashed throughout) differs from the countersigned hash at every
// witnessed sequence from the first changed entry on; a shortened one ends before a
// witnessed sequence. Either is reported at the lowest such sequence, with the witness and
// when it countersigned.

const QUESTION_TIMEOUT_MS = 3000;
const PAGE = 5000;

export type ContradictionKindOfLedger = 'REWRITTEN' | 'SHORTENED';

export interface LedgerContradiction {
  kind: ContradictionKindOfLedger;
  /** The lowest witnessed sequence the local chain contradicts. */
  sequence: number;
  witness: string;
  countersignedAt: string;
  /** The highest witnessed sequence below it that the chain still agrees with (null: none). */
  lastAgreedSequence: number | null;
}

export interface WitnessStatus {
  witness: string;
  /** Whether the witness answered the question (false also when it could not be asked). */
  reachable: boolean;
  /** The latest sequence it holds of this ledger, and when it countersigned it. */
  sequence: number | null;
  countersignedAt: string | null;
  /** Heads of this ledger the witness refused as contradicting what it holds. */
  contradictionsRecorded: number | null;
  /** Why it did not answer, or why its answer was not used. */
  problem: string | null;
}

export interface WitnessedVerification {
  ok: boolean;
  contradiction: LedgerContradiction | null;
  receiptsChecked: number;
  /** Receipts whose signature or content did not verify (ignored). */
  receiptsUnverified: number;
  witnesses: WitnessStatus[];
}

export interface FullVerification extends ChainVerification {
  witnessed: WitnessedVerification;
}

/** Who the owner asks, and how: absent when the ledger is checked alone (no key, or offline). */
export interface WitnessPanel {
  signer: AuditSigner;
  peers: readonly Peer[];
  keys: AuditKeys;
  fetch: LinkFetch;
}

interface Claim {
  witness: string;
  sequence: number;
  hash: string;
  countersignedAt: string;
}

export async function verifyLedger(
  agency: string,
  ledger: AuditLedger,
  records: WitnessRecords,
  keys: AuditKeys,
  panel: WitnessPanel | undefined,
): Promise<FullVerification> {
  const [receipts, asked] = await Promise.all([receiptClaims(agency, records, keys), askWitnesses(agency, panel)]);
  const claims = [...receipts.claims, ...asked.claims];
  const chain = await ledger.verify();
  const contradiction = await firstContradiction(ledger, claims);
  // Not confirmed either: a receipt or a witness's answer that does not verify (a key changed
  // or pointed elsewhere, an answer tampered with), or a witness that kept contradicting heads
  // signed with this agency's key.
  const unconfirmed =
    receipts.unverified > 0 ||
    asked.statuses.some((status) => status.reachable && (status.problem !== null || (status.contradictionsRecorded ?? 0) > 0));
  return {
    ...chain,
    ok: chain.ok && !contradiction && !unconfirmed,
    witnessed: {
      ok: !contradiction && !unconfirmed,
      contradiction,
      receiptsChecked: receipts.claims.length,
      receiptsUnverified: receipts.unverified,
      witnesses: asked.statuses,
    },
  };
}

async function receiptClaims(agency: string, records: WitnessRecords, keys: AuditKeys): Promise<{ claims: Claim[]; unverified: number }> {
  const claims: Claim[] = [];
  let unverified = 0;
  for await (const row of records.allReceipts()) {
    try {
      const receipt = await verified(row.receipt, RECEIPT_TYPE, await keys.keyOf(row.witness));
      if (receipt.agency !== agency || receipt.witness !== row.witness) throw new Error('not for this ledger');
      claims.push({ witness: receipt.witness, sequence: receipt.sequence, hash: receipt.hash, countersignedAt: receipt.countersignedAt });
    } catch {
      unverified += 1;
    }
  }
  return { claims, unverified };
}

async function askWitnesses(agency: string, panel: WitnessPanel | undefined): Promise<{ claims: Claim[]; statuses: WitnessStatus[] }> {
  if (!panel) return { claims: [], statuses: [] };
  const answers = await Promise.all(panel.peers.map((peer) => askWitness(agency, panel, peer)));
  return {
    claims: answers.flatMap((answer) => (answer.claim ? [answer.claim] : [])),
    statuses: answers.map((answer) => answer.status),
  };
}

async function askWitness(agency: string, panel: WitnessPanel, peer: Peer): Promise<{ claim?: Claim; status: WitnessStatus }> {
  const status: WitnessStatus = {
    witness: peer.code,
    reachable: false,
    sequence: null,
    countersignedAt: null,
    contradictionsRecorded: null,
    problem: null,
  };
  const question = await sign(panel.signer, QUESTION_TYPE, { agency, witness: peer.code, askedAt: new Date().toISOString() });
  const answer = await callPeer(panel.fetch, peer, 'audit/witnessed', { question }, QUESTION_TIMEOUT_MS);
  if (answer.status !== 200) {
    const reason = oneLine(String(errorOf(answer)?.message ?? 'no reason given'), 200);
    status.problem = answer.status === 0 ? `did not answer (${answer.failure})` : `refused (${answer.status}): ${reason}`;
    return { status };
  }
  status.reachable = true;
  if (answer.body === null || typeof answer.body !== 'object') {
    status.problem = 'answered with something that is not a witness answer (ignored)';
    return { status };
  }
  const body = answer.body as { head?: unknown; receipt?: unknown; contradictions?: unknown };
  status.contradictionsRecorded = typeof body.contradictions === 'number' ? body.contradictions : null;
  if (body.head === null) return { status };
  try {
    // The head must be the owner's own signature, addressed to this witness: a witness cannot make one up.
    const head = await verified(String(body.head), HEAD_TYPE, panel.signer.publicKey);
    const receipt = await verified(String(body.receipt), RECEIPT_TYPE, await panel.keys.keyOf(peer.code));
    if (head.agency !== agency || head.witness !== peer.code || receipt.sequence !== head.sequence || receipt.hash !== head.hash) {
      throw new Error('mismatch');
    }
    status.sequence = head.sequence;
    status.countersignedAt = receipt.countersignedAt;
    return { status, claim: { witness: peer.code, sequence: head.sequence, hash: head.hash, countersignedAt: receipt.countersignedAt } };
  } catch {
    status.problem = 'answered with a head or receipt that does not verify (ignored)';
    return { status };
  }
}

/** Walks the entry hashes once, folding the head hash, and compares it at each claimed sequence. */
async function firstContradiction(ledger: AuditLedger, claims: Claim[]): Promise<LedgerContradiction | null> {
  if (claims.length === 0) return null;
  const sorted = [...claims].sort((a, b) => a.sequence - b.sequence || a.countersignedAt.localeCompare(b.countersignedAt));
  let index = 0;
  let lastAgreed: number | null = null;
  let hash = WITNESS_GENESIS;
  let sequence = 0;
  for (;;) {
    const rows = await ledger.entryHashes(sequence, sequence + PAGE);
    for (const row of rows) {
      if (row.sequence !== sequence + 1) break;
      hash = foldHashes(hash, [row.hash]);
      sequence = row.sequence;
      while (index < sorted.length && sorted[index]!.sequence === sequence) {
        const claim = sorted[index]!;
        if (claim.hash !== hash) return { kind: 'REWRITTEN', ...pick(claim), lastAgreedSequence: lastAgreed };
        lastAgreed = sequence;
        index += 1;
      }
      if (index === sorted.length) return null;
    }
    if (rows.length < PAGE || rows[rows.length - 1]!.sequence !== sequence) break;
  }
  // Claims past the chain's end (or past a gap in it): the ledger is shorter than witnessed.
  const claim = sorted[index];
  return claim ? { kind: 'SHORTENED', ...pick(claim), lastAgreedSequence: lastAgreed } : null;
}

function pick(claim: Claim) {
  return { sequence: claim.sequence, witness: claim.witness, countersignedAt: claim.countersignedAt };
}
