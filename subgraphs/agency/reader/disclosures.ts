import type { Disclosure } from '../store/rows.js';

/**
 * What one request disclosed, by global record id, and the facts its ledger entry should
 * carry (e.g. the fingerprints of screening questions). Filled by the record reader only;
 * read by the audit plugin before the answer leaves the node.
 */
export class DisclosureRecord {
  private readonly levels = new Map<string, Disclosure>();
  private readonly details = new Map<string, string[]>();

  note(globalId: string, level: Disclosure): void {
    // A record read at HIT_ONLY and at FULL within one request was disclosed in full.
    if (this.levels.get(globalId) !== 'FULL') this.levels.set(globalId, level);
  }

  addDetail(key: string, value: string): void {
    const values = this.details.get(key);
    if (values) values.push(value);
    else this.details.set(key, [value]);
  }

  get size(): number {
    return this.levels.size;
  }

  /** Record ids by level, each list sorted. */
  byLevel(): Record<Disclosure, string[]> {
    const levels: Record<Disclosure, string[]> = { FULL: [], HIT_ONLY: [] };
    for (const [id, level] of this.levels) levels[level].push(id);
    levels.FULL.sort();
    levels.HIT_ONLY.sort();
    return levels;
  }

  /** The details, each key's values joined by commas; null when there are none. */
  detail(): Record<string, string> | null {
    if (this.details.size === 0) return null;
    return Object.fromEntries([...this.details].map(([key, values]) => [key, values.join(',')]));
  }
}
