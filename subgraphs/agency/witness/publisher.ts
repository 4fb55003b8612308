import type { Logger } from '../../../lib/logger.js';
import type { LinkFetch } from '../../../lib/tls/links.js';
import type { AuditLedger } from '../store/audit.js';
import type { WitnessRecords } from '../store/witnessing.js';
import { HeadChain } from './chain.js';
import type { AuditKeys, AuditSigner } from './keys.js';
import { callPeer, errorOf, type Peer } from './peers.js';
import { HEAD_TYPE, RECEIPT_TYPE, sign, StatementRefused, verified } from './statements.js';
import { MAX_HASHES_PER_OFFER } from './witness.js';

// The owner's side of witnessing: every interval, when its ledger has grown, the node signs
// its head and offers it to each other node, with the entry hashes since the head that node
// last countersigned (in steps of MAX_HASHES_PER_OFFER), and keeps each receipt. It runs on
// a timer beside the node's requests: an answer never waits for a witness, and a witness
// that is down is offered the head again (with everything it missed) when it is back.

/** How long one call to a witness may take. */
const CALL_TIMEOUT_MS = 5000;
/** The longest wait before offering again to a witness that failed or refused. */
const MAX_BACKOFF_MS = 60_000;
/** Offers to one witness in one round: a witness far behind is caught up over several rounds. */
const MAX_STEPS_PER_ROUND = 50;

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

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round: offer the current head to every witness that does not hold it yet. */
  round(): Promise<void> {
    this.running ??= this.offerAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async offerAll(): Promise<void> {
    try {
      if (!this.started) {
        const held = await this.options.records.lastReceiptSequences();
        for (const peer of this.options.peers) this.states.set(peer.code, newState(held.get(peer.code) ?? null));
        this.started = true;
      }
      await this.chain.advance();
      this.options.metrics.head(this.chain.sequence);
      if (this.chain.sequence === 0) return;
      const now = Date.now();
      await Promise.all(
        this.options.peers
          .filter((peer) => {
            const state = this.states.get(peer.code)!;
            return state.holds !== this.chain.sequence && state.retryAt <= now;
          })
          .map((peer) => this.offerTo(peer, this.states.get(peer.code)!)),
      );
    } catch (error) {
      this.options.logger.error({ err: error }, 'offering the audit head to witnesses failed');
    }
  }

  private async offerTo(peer: Peer, state: WitnessState): Promise<void> {
    const { signer, logger } = this.options;
    for (let step = 0; step < MAX_STEPS_PER_ROUND && state.holds !== this.chain.sequence; step += 1) {
      const from = state.holds;
      if (from !== null && from > this.chain.sequence) {
        return this.failed(
          peer,
          state,
          'shortened',
          `${peer.code} countersigned sequence ${from}, but this ledger ends at ${this.chain.sequence}: it was shortened`,
          true,
        );
      }
      const target = from === null ? this.chain.sequence : Math.min(this.chain.sequence, from + MAX_HASHES_PER_OFFER);
      const { hash, entryHashes } = from === null ? { hash: this.chain.hash, entryHashes: [] } : await this.chain.at(target, from);
      const head = { agency: signer.agency, witness: peer.code, sequence: target, hash, signedAt: new Date().toISOString() };
      const token = await sign(signer, HEAD_TYPE, head);
      const answer = await callPeer(this.options.fetch, peer, 'audit/heads', { head: token, from, hashes: entryHashes }, CALL_TIMEOUT_MS);
      if (answer.status === 200) {
        const receipt = (answer.body as { receipt?: unknown }).receipt;
        if (!(await this.keep(peer, head, receipt)))
          return this.failed(peer, state, 'bad_receipt', `${peer.code} answered with a receipt that does not verify`);
        state.holds = target;
        state.failures = 0;
        if (state.problem) logger.info({ witness: peer.code, sequence: target }, 'witness countersigns the audit head again');
        state.problem = null;
        this.options.metrics.witnessed(peer.code, target);
        continue;
      }
      const error = errorOf(answer);
      if (answer.status === 409 && error?.code === 'RESEND_FROM' && typeof error.held?.sequence === 'number') {
        if (error.held.sequence === from)
          return this.failed(peer, state, 'refused', `${peer.code} asks again for the head after sequence ${from}`);
        state.holds = error.held.sequence;
        continue;
      }
      if (answer.status === 409 && error?.code === 'CONTRADICTION') {
        return this.failed(
          peer,
          state,
          'contradiction',
          `${peer.code} refused the head as contradicting one it countersigned: ${error.message}`,
          true,
        );
      }
      if (answer.status === 0) return this.failed(peer, state, 'unreachable', `${peer.code} did not answer (${answer.failure})`);
      return this.failed(
        peer,
        state,
        'refused',
        `${peer.code} refused the head (${answer.status}): ${error?.message ?? 'no reason given'}`,
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
