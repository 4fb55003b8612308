// Dates of birth as people know them: exact, year only, approximate, or a range. Two
// dates agree when their possible years overlap (approximate: within two years).

export interface BirthDate {
  qualifier: 'EXACT' | 'APPROXIMATELY' | 'BETWEEN';
  date: string | null;
  from: string | null;
  to: string | null;
}

export type DateAgreement = 'EXACT' | 'SAME_YEAR' | 'COMPATIBLE' | 'CONFLICT' | 'UNKNOWN';

const APPROXIMATE_YEARS = 2;

function yearRange(date: BirthDate): [number, number] | null {
  const year = (value: string | null) => (value && /^\d{4}/.test(value) ? Number(value.slice(0, 4)) : null);
  if (date.qualifier === 'BETWEEN') {
    const from = year(date.from);
    const to = year(date.to);
    return from !== null && to !== null ? [Math.min(from, to), Math.max(from, to)] : null;
  }
  const exact = year(date.date);
  if (exact === null) return null;
  return date.qualifier === 'APPROXIMATELY' ? [exact - APPROXIMATE_YEARS, exact + APPROXIMATE_YEARS] : [exact, exact];
}

/** How the asked date (ISO 8601, possibly reduced: 1961, 1961-03, 1961-03-05) agrees with a subject's dates. */
export function compareBirthDates(asked: string, known: readonly BirthDate[]): DateAgreement {
  const askedRange = yearRange({ qualifier: 'EXACT', date: asked, from: null, to: null });
  if (!askedRange || known.length === 0) return 'UNKNOWN';
  let best: DateAgreement = 'CONFLICT';
  let sawAny = false;
  for (const date of known) {
    const range = yearRange(date);
    if (!range) continue;
    sawAny = true;
    const overlaps = askedRange[0] <= range[1] && range[0] <= askedRange[1];
    if (!overlaps) continue;
    if (date.qualifier !== 'EXACT' || !date.date) {
      if (best === 'CONFLICT') best = 'COMPATIBLE';
      continue;
    }
    // Both exact: compare as far as both are precise (year, month, day).
    const precision = Math.min(asked.length, date.date.length);
    if (asked.slice(0, precision) !== date.date.slice(0, precision)) continue;
    if (precision >= 10) return 'EXACT';
    best = 'SAME_YEAR';
  }
  return sawAny ? best : 'UNKNOWN';
}
