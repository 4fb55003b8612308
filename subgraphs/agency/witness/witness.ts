import { z } from 'zod';
import type { Logger } from '../../../lib/logger.js';
import type { WitnessRecords } from '../store/witnessing.js';
import type { WitnessedHeadsTable } from '../store/tables.js';
import type { AuditKeys, AuditSigner } from './keys.js';
import {
  claimedSigner,
  foldHashes,
  HEAD_TYPE,
  MAX_SEQUENCE,
  QUESTION_TYPE,
  RECEIPT_TYPE,
  sign,
  StatementRefused,
  verified,
  type Head,
} from './statements.js';

// A node as witness of the other agencies' ledgers (docs/audit.md). It countersigns a head
// only when the head is signed by its agency's key, addressed to this node, and extends the
// last head it countersigned for that agency: the entry hashes in between fold from the hash
// it holds to the new one. A signed head that contradicts what it holds (another hash at a
// sequence it countersigned, a chain that no longer folds from it, or a shorter ledger signed
// later) is refused and kept as evidence: two heads signed by the same owner that cannot both
// be true.

/** How many entry hashes one offer may carry; an owner further ahead offers in steps. */
export const MAX_HASHES_PER_OFFER = 1000;
/** How far ahead of this node's clock a head may be signed (clock skew between agencies). */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;
/** How old (or early) a question may be: one that is replayed later is refused. */
const QUESTION_WINDOW_MS = 5 * 60_000;
/**
 * Countersignings per agency per window: an owner catching a witness up needs a handful, a
 * compromised node signing made-up heads as fast as it can must not fill the witness's store.
 */
export const COUNTERSIGNS_PER_WINDOW = 50;
const COUNTERSIGN_WINDOW_MS = 10_000;

export type ContradictionKind = 'FORK' | 'REWRITTEN';

export interface HeldHead {
  sequence: number;
  hash: string;
  signedAt: string;
  countersignedAt: string;
}

/** A witness's answer, as HTTP status and JSON body (routes.ts sends it). */
export type WitnessAnswer =
  | { status: 200; body: { receipt: string } }
  | { status: 200; body: { head: string | null; receipt: string | null; contradictions: number } }
  | { status: 400 | 403 | 409 | 429; body: { error: { code: string; message: string; kind?: ContradictionKind; held?: HeldHead } } };

export interface WitnessMetrics {
  countersigned(agency: string): void;
  contradiction(agency: string, kind: ContradictionKind): void;
  refused(code: string): void;
}

const offerSchema = z.strictObject({
  head: z.string().max(4096),
  from: z.number().int().min(0).max(MAX_SEQUENCE).nullable(),
  hashes: z
    .array(z.string().regex(/^[0-9a-f]{64}$/))
    .max(MAX_HASHES_PER_OFFER)
    .default([]),
});
export type Offer = z.input<typeof offerSchema>;

const questionBodySchema = z.strictObject({ question: z.string().max(4096) });

export class Witness {
  /** One decision at a time per agency, so two offers cannot both extend the same held head. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly recent = new Map<string, { since: number; count: number }>();

  constructor(
    private readonly self: AuditSigner,
    private readonly keys: AuditKeys,
    private readonly records: WitnessRecords,
    private readonly logger: Logger,
    private readonly metrics: WitnessMetrics,
  ) {}

  /** An owner offers its ledger's head (POST /audit/heads). */
  async receive(body: unknown): Promise<WitnessAnswer> {
    try {
      const parsed = offerSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return this.refuse(
          400,
          'BAD_OFFER',
          `The offer's ${issue.path.join('.') || 'body'}: ${issue.message}. Send { head, from, hashes }.`,
        );
      }
      const offer = parsed.data;
      const agency = claimedSigner(offer.head, HEAD_TYPE);
      if (agency === this.self.agency) return this.refuse(400, 'BAD_OFFER', 'A node does not witness its own ledger.');
      const head = await verified(offer.head, HEAD_TYPE, await this.keys.keyOf(agency));
      if (head.witness !== this.self.agency) {
        return this.refuse(400, 'BAD_OFFER', `The head is addressed to witness ${head.witness}, not ${this.self.agency}.`);
      }
      if (Date.parse(head.signedAt) > Date.now() + MAX_CLOCK_AHEAD_MS) {
        return this.refuse(
          400,
          'BAD_OFFER',
          `The head is signed at ${head.signedAt}, ahead of this witness's clock; check the owner's clock.`,
        );
      }
      return await this.serially(agency, () => this.decide(head, offer.head, offer.from, offer.hashes));
    } catch (error) {
      if (error instanceof StatementRefused) return this.refuse(error.code === 'BAD_STATEMENT' ? 400 : 403, error.code, error.message);
      throw error;
    }
  }

  /** The owner asks what this node holds of its ledger (POST /audit/witnessed), to verify it. */
  async answer(body: unknown): Promise<WitnessAnswer> {
    try {
      const parsed = questionBodySchema.safeParse(body);
      if (!parsed.success) return this.refuse(400, 'BAD_QUESTION', 'Send { question } signed by the owner of the ledger.');
      const agency = claimedSigner(parsed.data.question, QUESTION_TYPE);
      const question = await verified(parsed.data.question, QUESTION_TYPE, await this.keys.keyOf(agency));
      if (question.witness !== this.self.agency) {
        return this.refuse(400, 'BAD_QUESTION', `The question is addressed to witness ${question.witness}, not ${this.self.agency}.`);
      }
      if (Math.abs(Date.parse(question.askedAt) - Date.now()) > QUESTION_WINDOW_MS) {
        return this.refuse(
          400,
          'BAD_QUESTION',
          'The question was asked more than 5 minutes away from now: ask again (and check the clocks).',
        );
      }
      const held = await this.records.latestHead(agency);
      const contradictions = await this.records.contradictionCount(agency);
      return { status: 200, body: { head: held?.head ?? null, receipt: held?.receipt ?? null, contradictions } };
    } catch (error) {
      if (error instanceof StatementRefused) return this.refuse(error.code === 'BAD_STATEMENT' ? 400 : 403, error.code, error.message);
      throw error;
    }
  }

  private async decide(head: Head, token: string, from: number | null, hashes: string[]): Promise<WitnessAnswer> {
    const held = await this.records.latestHead(head.agency);
    if (!held) return this.countersign(head, token);
    if (head.sequence === held.sequence) {
      return head.hash === held.hash ? { status: 200, body: { receipt: held.receipt } } : this.contradicted('FORK', head, token, held);
    }
    if (head.sequence < held.sequence) {
      const earlier = await this.records.headAt(head.agency, head.sequence);
      if (earlier) {
        return head.hash === earlier.hash
          ? { status: 200, body: { receipt: earlier.receipt } }
          : this.contradicted('FORK', head, token, earlier);
      }
      // A shorter head than the one it holds says nothing provable by itself (an old head
      // arriving late, a clock stepped back): the owner is told what this witness holds, and
      // verification finds a ledger that really ends before it.
      return this.resendFrom(held);
    }
    if (from !== held.sequence || head.previous?.sequence !== held.sequence) return this.resendFrom(held);
    // The owner signed another hash for a sequence this witness countersigned: its ledger up to
    // there is not the one it was.
    if (head.previous.hash !== held.hash) return this.contradicted('REWRITTEN', head, token, held);
    if (hashes.length !== head.sequence - held.sequence) {
      return this.refuse(
        400,
        'BAD_OFFER',
        `An offer from sequence ${from} to ${head.sequence} carries the ${head.sequence - from} entry hashes in between, not ${hashes.length}.`,
      );
    }
    // Not recorded: the hashes are not signed, so anyone on the way could have changed them.
    if (foldHashes(held.hash, hashes) !== head.hash) {
      return this.refuse(400, 'BAD_OFFER', `The entry hashes after sequence ${from} do not fold to the offered head; offer them again.`);
    }
    return this.countersign(head, token);
  }

  private async countersign(head: Head, token: string): Promise<WitnessAnswer> {
    const now = Date.now();
    const window = this.recent.get(head.agency);
    if (!window || now - window.since >= COUNTERSIGN_WINDOW_MS) this.recent.set(head.agency, { since: now, count: 1 });
    else if (++window.count > COUNTERSIGNS_PER_WINDOW) {
      return this.refuse(
        429,
        'SLOW_DOWN',
        `More than ${COUNTERSIGNS_PER_WINDOW} heads of ${head.agency} in ${COUNTERSIGN_WINDOW_MS / 1000} s; offer again later.`,
      );
    }
    const countersignedAt = new Date().toISOString();
    const { previous: _previous, ...countersigned } = head;
    const receipt = await sign(this.self, RECEIPT_TYPE, { ...countersigned, countersignedAt });
    await this.records.addHead({
      agency: head.agency,
      sequence: head.sequence,
      hash: head.hash,
      signedAt: head.signedAt,
      countersignedAt,
      head: token,
      receipt,
    });
    this.metrics.countersigned(head.agency);
    return { status: 200, body: { receipt } };
  }

  private async contradicted(kind: ContradictionKind, head: Head, token: string, held: WitnessedHeadsTable): Promise<WitnessAnswer> {
    const recorded = await this.records.addContradiction({
      agency: head.agency,
      kind,
      heldHead: held.head,
      offeredSequence: head.sequence,
      offeredHash: head.hash,
      offeredHead: token,
      recordedAt: new Date().toISOString(),
    });
    if (recorded) {
      this.metrics.contradiction(head.agency, kind);
      this.logger.error(
        {
          agency: head.agency,
          kind,
          held: { sequence: held.sequence, hash: held.hash },
          offered: { sequence: head.sequence, hash: head.hash },
        },
        'witness refused a head that contradicts one it countersigned; both signed heads are kept',
      );
    }
    return {
      status: 409,
      body: {
        error: {
          code: 'CONTRADICTION',
          kind,
          message: `${EXPLAIN[kind](head, held)} ${this.self.agency} countersigned sequence ${held.sequence} at ${held.countersignedAt}; both signed heads are kept as evidence.`,
          held: heldOf(held),
        },
      },
    };
  }

  private resendFrom(held: WitnessedHeadsTable): WitnessAnswer {
    return {
      status: 409,
      body: {
        error: {
          code: 'RESEND_FROM',
          message: `${this.self.agency} holds sequence ${held.sequence} of this ledger: offer the head with the entry hashes after it.`,
          held: heldOf(held),
        },
      },
    };
  }

  private refuse(status: 400 | 403 | 429, code: string, message: string): WitnessAnswer {
    this.metrics.refused(code);
    return { status, body: { error: { code, message } } };
  }

  private serially<T>(agency: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(agency) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(agency, settled);
    void settled.then(() => {
      if (this.queues.get(agency) === settled) this.queues.delete(agency);
    });
    return next;
  }
}

const EXPLAIN: Record<ContradictionKind, (head: Head, held: WitnessedHeadsTable) => string> = {
  FORK: (head) => `The head gives sequence ${head.sequence} another hash than the one countersigned for it.`,
  REWRITTEN: (head, held) =>
    `The head extends another ledger than the one countersigned: it gives sequence ${held.sequence} another hash, so entries up to ${held.sequence} were changed.`,
};

function heldOf(held: WitnessedHeadsTable): HeldHead {
  return { sequence: held.sequence, hash: held.hash, signedAt: held.signedAt, countersignedAt: held.countersignedAt };
}
