import type { Logger } from '../../../lib/logger.js';
import type { LinkFetch } from '../../../lib/tls/links.js';
import type { AuditLedger } from '../store/audit.js';
import type { WitnessRecords } from '../store/witnessing.js';
import { HeadChain } from './chain.js';
import type { AuditKeys, AuditSigner } from './keys.js';
import { callPeer, errorOf, type Peer } from './peers.js';
import { HEAD_TYPE, RECEIPT_TYPE, sign, StatementRefused, verified } from './statements.js';
import { MAX_HASHES_PER_OFFER } from './witness.js';
import { oneLine } from '../../../lib/text.js';

// The owner's side of witnessing: every interval, when its ledger has grown, the node signs
// its head and offers it to each other node, with the entry hashes since the head that node
// last countersigned (in steps of MAX_HASHES_PER_OFFER), and keeps each receipt. It runs on
// a timer beside the node's requests: an answer never waits for a witness, and a witness
// that is down is offered the head again (with everything it missed) when it is back.

/** How long one call to a witness may take. */
const CALL_TIMEOUT_MS = 5000;
/** The longest wait before offering again to a witness that failed or refused. */
const MAX_BACKOFF_MS = 60_000;
/** Offers to one witness in one go: a witness far behind is caught up over several rounds. */
const MAX_STEPS_PER_ROUND = 20;

export interface PublisherMetrics {
  head(sequence: number): void;
  witnessed(witness: string, sequence: number): void;
  failed(witness: string, reason: string): void;
}

interface WitnessState {
  /** The sequence this witness holds, by its last receipt or its own word; null: not known yet. */
  holds: number | null;
  failures: number;
  retryAt: number;
  /** The last problem logged, so a witness that stays down is logged once, not every round. */
  problem: string | null;
}

export interface PublisherOptions {
  signer: AuditSigner;
  peers: readonly Peer[];
  keys: AuditKeys;
  fetch: LinkFetch;
  ledger: AuditLedger;
  records: WitnessRecords;
  intervalMs: number;
  logger: Logger;
  metrics: PublisherMetrics;
}

export class HeadPublisher {
  private readonly chain: HeadChain;
  private readonly states = new Map<string, WitnessState>();
  /** Each witness is offered to on its own: a slow or hostile one never holds up the others. */
  private readonly offering = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private started = false;

  constructor(private readonly options: PublisherOptions) {
    this.chain = new HeadChain(options.ledger, options.logger);
  }

  /** Offers the head now and then every interval, until stopped. */
  start(): void {
    this.timer = setInterval(() => void this.round(), this.options.intervalMs);
    this.timer.unref();
    void this.round();
  }

  /** Stops offering: calls in flight are cut off, so a black-holed witness cannot hold up a shutdown. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.running;
    await Promise.allSettled(this.offering.values());
  }

  /** One round: follow the ledger, and start an offer to every witness that does not hold its head yet. */
  round(): Promise<void> {
    this.running ??= this.offerAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async offerAll(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    try {
      if (!this.started) {
        const held = await this.options.records.lastReceiptSequences();
        for (const peer of this.options.peers) this.states.set(peer.code, newState(held.get(peer.code) ?? null));
        this.started = true;
      }
      if (this.offering.size === 0) await this.chain.advance();
      this.options.metrics.head(this.chain.sequence);
      if (this.chain.sequence === 0) return;
      const now = Date.now();
      for (const peer of this.options.peers) {
        const state = this.states.get(peer.code)!;
        if (this.offering.has(peer.code) || state.holds === this.chain.sequence || state.retryAt > now) continue;
        const offer = this.offerTo(peer, state)
          .catch((error: unknown) => this.failed(peer, state, 'refused', `offering to ${peer.code} failed: ${oneLine(String(error), 200)}`))
          .finally(() => this.offering.delete(peer.code));
        this.offering.set(peer.code, offer);
      }
    } catch (error) {
      this.options.logger.error({ err: error }, 'offering the audit head to witnesses failed');
    }
  }

  private async offerTo(peer: Peer, state: WitnessState): Promise<void> {
    const { signer } = this.options;
    const target = this.chain.sequence;
    for (let step = 0; step < MAX_STEPS_PER_ROUND && state.holds !== target && !this.stopping.signal.aborted; step += 1) {
      const from = state.holds;
      if (from !== null && from > target) {
        return this.failed(
          peer,
          state,
          'shortened',
          `${peer.code} countersigned sequence ${from}, but this ledger ends at ${target}: it was shortened`,
          true,
        );
      }
      const sequence = from === null ? target : Math.min(target, from + MAX_HASHES_PER_OFFER);
      const { hash, entryHashes, previous } = await this.chain.at(sequence, from ?? sequence);
      const head = {
        agency: signer.agency,
        witness: peer.code,
        sequence,
        hash,
        signedAt: new Date().toISOString(),
        previous: from === null ? null : { sequence: from, hash: previous },
      };
      const token = await sign(signer, HEAD_TYPE, head);
      const hashes = from === null ? [] : entryHashes;
      const answer = await callPeer(
        this.options.fetch,
        peer,
        'audit/heads',
        { head: token, from, hashes },
        CALL_TIMEOUT_MS,
        this.stopping.signal,
      );
      if (this.stopping.signal.aborted) return;
      const body = answer.body !== null && typeof answer.body === 'object' ? (answer.body as { receipt?: unknown }) : {};
      if (answer.status === 200) {
        if (!(await this.keep(peer, head, body.receipt))) {
          return this.failed(peer, state, 'bad_receipt', `${peer.code} answered with a receipt that does not verify`);
        }
        state.holds = sequence;
        state.failures = 0;
        if (state.problem) this.options.logger.info({ witness: peer.code, sequence }, 'witness countersigns the audit head again');
        state.problem = null;
        this.options.metrics.witnessed(peer.code, sequence);
        continue;
      }
      const error = errorOf(answer);
      const held = error?.held?.sequence;
      if (answer.status === 409 && error?.code === 'RESEND_FROM' && Number.isInteger(held) && (held as number) >= 0) {
        // Once per witness word: a witness that keeps naming other sequences is failing, not behind.
        if (held === from || step > 0)
          return this.failed(peer, state, 'refused', `${peer.code} asks again for the head after sequence ${String(held)}`);
        state.holds = held as number;
        continue;
      }
      if (answer.status === 409 && error?.code === 'CONTRADICTION') {
        return this.failed(
          peer,
          state,
          'contradiction',
          `${peer.code} refused the head as contradicting one it countersigned: ${oneLine(String(error.message), 300)}`,
          true,
        );
      }
      if (answer.status === 0) return this.failed(peer, state, 'unreachable', `${peer.code} did not answer (${answer.failure})`);
      return this.failed(
        peer,
        state,
        'refused',
        `${peer.code} refused the head (${answer.status}): ${oneLine(String(error?.message ?? 'no reason given'), 300)}`,
      );
    }
  }

  /** Checks the receipt (signed by the witness, for exactly this head) and keeps it. */
  private async keep(peer: Peer, head: { sequence: number; hash: string; signedAt: string }, receipt: unknown): Promise<boolean> {
    if (typeof receipt !== 'string') return false;
    try {
      const payload = await verified(receipt, RECEIPT_TYPE, await this.options.keys.keyOf(peer.code));
      const same =
        payload.witness === peer.code &&
        payload.agency === this.options.signer.agency &&
        payload.sequence === head.sequence &&
        payload.hash === head.hash;
      if (!same) return false;
      await this.options.records.addReceipt({
        witness: peer.code,
        sequence: payload.sequence,
        hash: payload.hash,
        countersignedAt: payload.countersignedAt,
        receipt,
      });
      return true;
    } catch (error) {
      if (error instanceof StatementRefused) return false;
      throw error;
    }
  }

  private failed(peer: Peer, state: WitnessState, reason: string, message: string, severe = false): void {
    state.failures += 1;
    state.retryAt = Date.now() + Math.min(MAX_BACKOFF_MS, this.options.intervalMs * 2 ** Math.min(state.failures, 10));
    this.options.metrics.failed(peer.code, reason);
    if (state.problem === message) return;
    state.problem = message;
    const fields = { witness: peer.code, reason, sequence: this.chain.sequence };
    if (severe) this.options.logger.error(fields, message);
    else this.options.logger.warn(fields, `audit head not countersigned yet: ${message}; offered again later`);
  }
}

function newState(holds: number | null): WitnessState {
  return { holds, failures: 0, retryAt: 0, problem: null };
}
