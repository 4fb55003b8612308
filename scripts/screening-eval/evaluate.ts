import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { screen } from '../../subgraphs/agency/screening/screen.js';
import { openStore } from '../../subgraphs/agency/store/open.js';
import { DisclosureRecord } from '../../subgraphs/agency/reader/disclosures.js';
import { readerFor } from '../../subgraphs/agency/reader/record-reader.js';
import type { RecordStore } from '../../subgraphs/agency/store/store.js';
import { importUnList, type ImportProgress } from '../../subgraphs/agency/un/import.js';
import type { LabelledQuery, ListedPerson, Variation } from './labelled-set.js';

// Runs labelled queries against a store holding an imported UN list, as the owner's
// officer, and counts how the top hit compares with the label.

export const DEFAULT_THRESHOLD = 0.8;
const AGENCY = 'INTERPOL';
/** The owner's own officer: the evaluation measures matching, not disclosure. */
const OWNER = { code: AGENCY, circles: [] };
/** The owner reading its own store: no disclosure to another agency, so nothing for a ledger. */
const ownReads = () => new DisclosureRecord();

export interface Outcome {
  query: LabelledQuery;
  top: { id: string; score: number } | null;
}

export interface Figures {
  queries: number;
  /** Queries with a labelled subject (the others are negatives). */
  positives: number;
  recall: number;
  precision: number;
  /** Top hits that are not the labelled subject (any hit, for a negative). */
  falseHits: number;
}

/** A temporary SQLite store with the list imported (the import indexes it for screening); `close` removes it. */
export async function storeWithUnList(
  file: string,
  onProgress?: (progress: ImportProgress) => void,
): Promise<{ store: RecordStore; close(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'screening-eval-'));
  const store = await openStore({ agency: AGENCY, database: path.join(dir, 'un.sqlite') });
  const close = async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await importUnList(store, file, onProgress);
  } catch (error) {
    // A refused list leaves no temporary store behind.
    await close();
    throw error;
  }
  return { store, close };
}

/** The persons of the UN list in the store (the importer's subject ids start with UNS-). */
export async function listedPersons(store: RecordStore): Promise<ListedPerson[]> {
  const reader = readerFor(store, OWNER, { agency: AGENCY, circles: [] }, ownReads());
  const subjects = (await reader.listSubjects({ first: 1_000_000, kinds: ['PERSON'] })).filter((s) => s.localId.startsWith('UNS-'));
  const [names, dates, nationalities] = await Promise.all([
    reader.contentOfEach('names', subjects),
    reader.contentOfEach('birthDates', subjects),
    reader.contentOfEach('nationalities', subjects),
  ]);
  return subjects.map(({ localId }, i) => {
    const own = names[i]!;
    const years = dates[i]!.flatMap((date) =>
      [date.date, date.dateFrom].filter((value): value is string => !!value).map((value) => Number(value.slice(0, 4))),
    );
    return {
      id: localId,
      primary: own.find((name) => name.kind === 'PRIMARY')?.full ?? own[0]!.full,
      aliases: own.filter((name) => name.kind === 'ALIAS' && name.script === 'Latn' && name.quality !== 'LOW').map((name) => name.full),
      originalScript: own.find((name) => name.kind === 'ORIGINAL_SCRIPT')?.full ?? null,
      birthYears: [...new Set(years)],
      nationalities: nationalities[i]!.map((row) => row.country),
    };
  });
}

export async function runQueries(
  store: RecordStore,
  queries: readonly LabelledQuery[],
  threshold = DEFAULT_THRESHOLD,
  onQuery?: (done: number) => void,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const query of queries) {
    const hits = await screen(
      readerFor(store, OWNER, { agency: AGENCY, circles: ['GLOBAL'] }, ownReads()),
      { name: query.name, dateOfBirth: query.dateOfBirth, nationality: query.nationality },
      threshold,
      5,
    );
    outcomes.push({ query, top: hits[0] ? { id: hits[0].subject.localId, score: hits[0].score } : null });
    onQuery?.(outcomes.length);
  }
  return outcomes;
}

/**
 * Recall: positive queries whose top hit is the labelled subject. Precision: top hits that
 * are right, among all top hits (a wrong subject on a positive query, or any hit on a
 * negative, is a false positive).
 */
export function figures(outcomes: readonly Outcome[]): Figures {
  const positives = outcomes.filter((o) => o.query.expected !== null);
  const right = positives.filter((o) => o.top?.id === o.query.expected).length;
  const wrong = outcomes.filter((o) => o.top && o.top.id !== o.query.expected).length;
  return {
    queries: outcomes.length,
    positives: positives.length,
    recall: positives.length ? right / positives.length : 1,
    precision: right + wrong ? right / (right + wrong) : 1,
    falseHits: wrong,
  };
}

export function figuresByVariation(outcomes: readonly Outcome[]): Map<Variation | 'with_dob' | 'without_dob', Figures> {
  const groups = new Map<Variation | 'with_dob' | 'without_dob', Outcome[]>();
  for (const outcome of outcomes) {
    for (const key of [outcome.query.variation, outcome.query.withDateOfBirth ? 'with_dob' : 'without_dob'] as const) {
      groups.set(key, [...(groups.get(key) ?? []), outcome]);
    }
  }
  return new Map([...groups].map(([key, group]) => [key, figures(group)]));
}
