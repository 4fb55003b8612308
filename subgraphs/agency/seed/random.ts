// A small seeded chooser over pure-rand. Every draw goes through one generator so a
// dataset is a pure function of its seed.
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** Values with relative weights, e.g. [['RED', 3], ['BLUE', 1]]. */
export type Weighted<T> = readonly (readonly [T, number])[];

/**
 * Derives an independent stream seed from a base seed and a label (FNV-1a, then a
 * murmur3 finaliser), so each agency, and the shared-person pool, get their own
 * sequence: adding a draw for one agency never shifts the data of another.
 */
export function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

export class Random {
  private readonly rng: RandomGenerator;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }

  /** True with probability p (0..1). */
  chance(p: number): boolean {
    return this.int(0, 999_999) < p * 1_000_000;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  weighted<T>(entries: Weighted<T>): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    if (total <= 0) throw new Error('Random.weighted: no positive weight');
    let r = this.int(0, total - 1);
    for (const [value, w] of entries) {
      if (r < w) return value;
      r -= w;
    }
    throw new Error('Random.weighted: unreachable');
  }

  /** Up to n distinct values, drawn by weight without replacement. */
  weightedSample<T>(entries: Weighted<T>, n: number): T[] {
    const left = [...entries];
    const out: T[] = [];
    while (out.length < n && left.length > 0) {
      const value = this.weighted(left);
      out.push(value);
      left.splice(
        left.findIndex(([v]) => v === value),
        1,
      );
    }
    return out;
  }

  /** Up to n distinct items, in random order (a partial Fisher-Yates shuffle). */
  sample<T>(items: readonly T[], n: number): T[] {
    const out = [...items];
    const k = Math.min(n, out.length);
    for (let i = 0; i < k; i++) {
      const j = this.int(i, out.length - 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out.slice(0, k);
  }

  shuffle<T>(items: readonly T[]): T[] {
    return this.sample(items, items.length);
  }

  /** A string of n characters from the alphabet. */
  chars(alphabet: string, n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }
}

export const DIGITS = '0123456789';
export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
