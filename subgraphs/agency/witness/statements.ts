import { createHash } from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader, type CryptoKey } from 'jose';
import { z } from 'zod';
import { isWellFormedAgencyCode } from '../../../lib/ids.js';
import { GENESIS_HASH } from '../store/audit.js';
import { AUDIT_ALGORITHM, type AuditSigner } from './keys.js';

// What nodes sign for each other (docs/audit.md), as compact JWS with the signer's agency
// code as `kid` and a `typ` per kind, so a statement of one kind is never taken for another:
// - a head: the owner's ledger at `sequence` has head hash `hash`, offered to `witness`;
// - a receipt: `witness` countersigned that head at `countersignedAt`;
// - a question: the owner asks `witness` what it holds of its ledger, at `askedAt`.
//
// The head hash folds the ledger's entry hashes: W(0) = 64 zeros, W(n) = SHA-256 of the hex
// text W(n-1) followed by entry n's hash. A witness holding W(m) checks a head W(n) from the
// n - m entry hashes in between, without seeing a single entry; an owner can only produce a
// W(n) that extends W(m) from the very entries it had at m.

export const HEAD_TYPE = 'records-audit-head';
export const RECEIPT_TYPE = 'records-audit-receipt';
export const QUESTION_TYPE = 'records-audit-question';

const HEX_HASH = /^[0-9a-f]{64}$/;

export function foldHashes(start: string, entryHashes: readonly string[]): string {
  let hash = start;
  for (const entry of entryHashes) hash = createHash('sha256').update(hash).update(entry).digest('hex');
  return hash;
}

export const WITNESS_GENESIS = GENESIS_HASH;

const agencyCode = z.string().refine(isWellFormedAgencyCode, { error: 'must be an agency code' });
const isoTime = z.iso.datetime({ offset: true });

/** Sequences are stored as 32-bit integers (PostgreSQL integer, GraphQL Int). */
export const MAX_SEQUENCE = 2 ** 31 - 1;
const sequence = z.number().int().min(0).max(MAX_SEQUENCE);

const headSchema = z.strictObject({
  agency: agencyCode,
  witness: agencyCode,
  sequence: sequence.min(1),
  hash: z.string().regex(HEX_HASH),
  signedAt: isoTime,
  /**
   * The head this one extends, as the owner computes it from its own ledger (null on a first
   * offer): signed, so a witness holding another hash at that sequence holds proof of a
   * rewrite, and nobody on the way can make an honest owner look like one.
   */
  previous: z.strictObject({ sequence, hash: z.string().regex(HEX_HASH) }).nullable(),
});
export type Head = z.infer<typeof headSchema>;

const receiptSchema = headSchema.omit({ previous: true }).extend({ countersignedAt: isoTime });
export type Receipt = z.infer<typeof receiptSchema>;

const questionSchema = z.strictObject({ agency: agencyCode, witness: agencyCode, askedAt: isoTime });
export type Question = z.infer<typeof questionSchema>;

const KINDS = {
  [HEAD_TYPE]: headSchema,
  [RECEIPT_TYPE]: receiptSchema,
  [QUESTION_TYPE]: questionSchema,
} as const;
type Kind = keyof typeof KINDS;
type Payload<K extends Kind> = z.infer<(typeof KINDS)[K]>;

export function sign<K extends Kind>(signer: AuditSigner, type: K, payload: Payload<K>): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: AUDIT_ALGORITHM, kid: signer.agency, typ: type })
    .sign(signer.key);
}

/** Why a statement was refused, worded for the node that sent it. */
export class StatementRefused extends Error {
  constructor(
    readonly code: 'BAD_STATEMENT' | 'UNKNOWN_SIGNER' | 'BAD_SIGNATURE',
    message: string,
  ) {
    super(message);
  }
}

/** The agency a statement claims to be signed by (its `kid`), read before its signature is checked. */
export function claimedSigner(token: string, type: Kind): string {
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new StatementRefused('BAD_STATEMENT', `The ${describe(type)} is not a compact JWS.`);
  }
  if (header.typ !== type || header.alg !== AUDIT_ALGORITHM) {
    throw new StatementRefused('BAD_STATEMENT', `The ${describe(type)} must be a JWS of typ "${type}" signed with ${AUDIT_ALGORITHM}.`);
  }
  if (typeof header.kid !== 'string' || !isWellFormedAgencyCode(header.kid)) {
    throw new StatementRefused('BAD_STATEMENT', `The ${describe(type)} must name the signing agency as its kid.`);
  }
  return header.kid;
}

/** The statement's payload when `key` (the claimed signer's) signed it and it is well formed. */
export async function verified<K extends Kind>(token: string, type: K, key: CryptoKey | undefined): Promise<Payload<K>> {
  const signer = claimedSigner(token, type);
  if (!key) throw new StatementRefused('UNKNOWN_SIGNER', `No audit key is configured here for agency ${signer}.`);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, key, { algorithms: [AUDIT_ALGORITHM] }));
  } catch {
    throw new StatementRefused('BAD_SIGNATURE', `The ${describe(type)}'s signature does not verify with the audit key of ${signer}.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw new StatementRefused('BAD_STATEMENT', `The ${describe(type)}'s payload is not JSON.`);
  }
  const result = KINDS[type].safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new StatementRefused('BAD_STATEMENT', `The ${describe(type)}'s ${issue.path.join('.') || 'payload'} ${issue.message}.`);
  }
  const signedFor = 'agency' in result.data && type !== RECEIPT_TYPE ? result.data.agency : (result.data as Receipt).witness;
  if (signedFor !== signer) {
    throw new StatementRefused('BAD_STATEMENT', `The ${describe(type)} is signed by ${signer} but speaks for ${signedFor}.`);
  }
  return result.data as Payload<K>;
}

function describe(type: Kind): string {
  return type === HEAD_TYPE ? 'head' : type === RECEIPT_TYPE ? 'receipt' : 'question';
}

/** Reads a statement this node stored after checking it (no signature check again). */
export function storedPayload<K extends Kind>(token: string, type: K): Payload<K> {
  const part = token.split('.')[1] ?? '';
  return KINDS[type].parse(JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))) as Payload<K>;
}
