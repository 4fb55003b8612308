// The subjects of one store, numbered, and the helpers notices and cases use to draw on them.
import type { CrimeType, SubjectRecord } from '../store/records.js';
import { yearOf } from './dates.js';
import type { AgencyProfile } from './profiles.js';
import type { Random } from './random.js';
import type { SharedPerson } from './shared.js';
import { localOrganisation, localPerson, type SubjectDraft } from './subjects.js';

export interface SharedEntry {
  readonly subject: SubjectRecord;
  readonly crime: CrimeType;
}

export interface SubjectPool {
  readonly all: readonly SubjectRecord[];
  readonly persons: readonly SubjectRecord[];
  readonly organisations: readonly SubjectRecord[];
  /** Persons this store shares with others; each must show up in its notices and cases. */
  readonly shared: readonly SharedEntry[];
}

export function localId(prefix: 'S' | 'N' | 'C', n: number): string {
  return `${prefix}-${String(n).padStart(5, '0')}`;
}

export function buildSubjectPool(rng: Random, profile: AgencyProfile, shared: readonly SharedPerson[]): SubjectPool {
  const used = new Set<string>();
  const organisations = Math.round(profile.subjects / 10);
  const entries: { draft: SubjectDraft; crime: CrimeType | null }[] = [];
  for (let i = 0; i < profile.subjects; i++) {
    const draft = i < organisations ? localOrganisation(rng, profile, used) : localPerson(rng, profile);
    entries.push({ draft, crime: null });
  }
  for (const person of shared) {
    const copy = person.copies.get(profile.code);
    if (copy !== undefined) entries.push({ draft: copy, crime: person.crime });
  }
  // Shuffled so that an id tells nothing about how the subject was made.
  const numbered = rng.shuffle(entries).map(({ draft, crime }, i) => ({
    subject: { localId: localId('S', i + 1), ...draft },
    crime,
  }));
  const all = numbered.map((e) => e.subject);
  return {
    all,
    persons: all.filter((s) => s.kind === 'PERSON'),
    organisations: all.filter((s) => s.kind === 'ORGANISATION'),
    shared: numbered.flatMap(({ subject, crime }) => (crime === null ? [] : [{ subject, crime }])),
  };
}

/** Draws items in shuffled rounds, so picks spread over the whole list before repeating. */
export function drawer<T>(rng: Random, items: readonly T[]): () => T {
  let round: T[] = [];
  return () => {
    if (round.length === 0) round = rng.shuffle(items);
    const next = round.pop();
    if (next === undefined) throw new Error('drawer: empty list');
    return next;
  };
}

/**
 * Serial numbers that grow through each year, the way a registry numbers what it issues;
 * gaps stand for records this store does not hold. Dates must be sorted.
 */
export function yearlySerials(rng: Random, dates: readonly string[], step: readonly [number, number]): number[] {
  const last = new Map<number, number>();
  return dates.map((date) => {
    const serial = (last.get(yearOf(date)) ?? 0) + rng.int(...step);
    last.set(yearOf(date), serial);
    return serial;
  });
}

/** Records sorted by date, oldest first; ties keep their order. */
export function byDate<T>(items: readonly T[], dateOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => (dateOf(a) < dateOf(b) ? -1 : dateOf(a) > dateOf(b) ? 1 : 0));
}

/** Up to n further crimes, weighted as the agency sees them. */
export function relatedCrimes(rng: Random, profile: AgencyProfile, primary: CrimeType, n: number): CrimeType[] {
  return rng.weightedSample(
    profile.crimes.filter(([crime]) => crime !== primary),
    n,
  );
}
