// A label whose values come from callers (operation names) must not grow without bound:
// every distinct value is a new time series in Prometheus, so a partner sending random
// names could exhaust the monitoring system's memory. Values are admitted first come,
// first served up to a limit; the rest share one value.

/** What a value becomes when it is malformed or the limit is reached. */
export const OTHER = 'other';

/** Short identifiers only: a long or odd value is more likely noise than a name to watch. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export class BoundedLabelValues {
  private readonly admitted = new Set<string>();

  constructor(private readonly limit: number) {}

  /**
   * The label value for `value`: itself if already admitted, or if `mayAdmit` and there is
   * room; otherwise OTHER. Callers pass `mayAdmit = false` for requests that should not be
   * able to claim a slot (e.g. ones refused before authentication).
   */
  valueFor(value: string, mayAdmit = true): string {
    if (this.admitted.has(value)) return value;
    if (!mayAdmit || !IDENTIFIER.test(value) || this.admitted.size >= this.limit) return OTHER;
    this.admitted.add(value);
    return value;
  }

  get size(): number {
    return this.admitted.size;
  }
}

/** A label whose values are known in advance (e.g. the directory's agencies); anything else is OTHER. */
export function withinKnown(known: ReadonlySet<string>, value: string): string {
  return known.has(value) ? value : OTHER;
}
