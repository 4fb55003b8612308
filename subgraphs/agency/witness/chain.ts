import type { Logger } from '../../../lib/logger.js';
import type { AuditLedger } from '../store/audit.js';
import { foldHashes, WITNESS_GENESIS } from './statements.js';

// The owner's head hash W(n) (statements.ts), followed as the ledger grows: folded once
// from the store's entries at start, then only over new entries. W at older sequences (for a
// witness that is behind) comes from a checkpoint every CHECKPOINT entries and the entries
// after it, so memory stays at a few bytes per thousand entries.

const CHECKPOINT = 1024;
const PAGE = 5000;

export class HeadChain {
  sequence = 0;
  hash = WITNESS_GENESIS;
  private lastEntryHash: string | undefined;
  private readonly checkpoints = new Map<number, string>([[0, WITNESS_GENESIS]]);

  constructor(
    private readonly ledger: AuditLedger,
    private readonly logger: Logger,
  ) {}

  /**
   * Folds in the entries appended since the last call. Starts again from the first entry
   * when the entry it stopped at is no longer the one it read (the store was changed under
   * the running node): the heads it offers then are those of the store as it is, which the
   * witnesses will hold against what they countersigned.
   */
  async advance(): Promise<void> {
    if (this.sequence > 0) {
      const [last] = await this.ledger.entryHashes(this.sequence - 1, this.sequence);
      if (last?.hash !== this.lastEntryHash) {
        this.logger.error(
          { sequence: this.sequence },
          'audit ledger changed under the running node: the entry its witnesses were last offered is no longer there as it was',
        );
        this.reset();
      }
    }
    for (;;) {
      const rows = await this.ledger.entryHashes(this.sequence, this.sequence + PAGE);
      for (const row of rows) {
        if (row.sequence !== this.sequence + 1) {
          // A gap: the chain itself is broken; offer nothing past it (audit:verify names it).
          this.logger.error({ after: this.sequence, next: row.sequence }, 'audit ledger has a gap: heads are offered only up to it');
          return;
        }
        this.hash = foldHashes(this.hash, [row.hash]);
        this.sequence = row.sequence;
        this.lastEntryHash = row.hash;
        if (this.sequence % CHECKPOINT === 0) this.checkpoints.set(this.sequence, this.hash);
      }
      if (rows.length < PAGE) return;
    }
  }

  /**
   * W at `sequence` (at most the current one) and at `from` (at most `sequence`), with the
   * entry hashes after `from` up to `sequence`. Throws when the store no longer has every entry
   * in between: a head is never signed over a ledger read in part.
   */
  async at(sequence: number, from: number): Promise<{ hash: string; previous: string; entryHashes: string[] }> {
    const checkpoint = Math.floor(Math.min(sequence, from) / CHECKPOINT) * CHECKPOINT;
    const start = this.checkpoints.get(checkpoint);
    if (start === undefined || sequence > this.sequence) throw new Error(`no head of this ledger at sequence ${sequence} yet`);
    const rows = await this.ledger.entryHashes(checkpoint, sequence);
    if (rows.length !== sequence - checkpoint || rows.some((row, index) => row.sequence !== checkpoint + index + 1)) {
      throw new Error(`the ledger no longer holds every entry from ${checkpoint + 1} to ${sequence}`);
    }
    const hashes = rows.map((row) => row.hash);
    const before = hashes.slice(0, from - checkpoint);
    const previous = foldHashes(start, before);
    return { hash: foldHashes(previous, hashes.slice(from - checkpoint)), previous, entryHashes: hashes.slice(from - checkpoint) };
  }

  private reset(): void {
    this.sequence = 0;
    this.hash = WITNESS_GENESIS;
    this.lastEntryHash = undefined;
    this.checkpoints.clear();
    this.checkpoints.set(0, WITNESS_GENESIS);
  }
}
