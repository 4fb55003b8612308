// Calendar arithmetic on whole UTC days: Date is only used with explicit UTC values,
// never with the clock or the local time zone.
import type { Random } from './random.js';

const DAY_MS = 86_400_000;

function toDay(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

function toIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Window in which notices are issued and cases opened. */
export const RECORD_WINDOW = { from: '2015-01-01', to: '2026-10-31' } as const;

/** A full ISO date between from and to, both included. */
export function randomDate(rng: Random, from: string, to: string): string {
  return toIso(rng.int(toDay(from), toDay(to)));
}

/** A full ISO date within the given year. */
export function randomDateInYear(rng: Random, year: number): string {
  return randomDate(rng, `${year}-01-01`, `${year}-12-31`);
}

export function yearOf(iso: string): number {
  return Number(iso.slice(0, 4));
}

export function monthOf(iso: string): number {
  return Number(iso.slice(5, 7));
}
