import type { ArgumentBounds, ArgumentRule, ArgumentRules } from '../lib/limits/arguments.js';
import { isWellFormedAgencyCode } from '../lib/ids.js';
import { isLanguageTag } from '../lib/language.js';
import { clip } from '../lib/text.js';

// The ranges of the records contract's arguments, in one place: the gateway refuses a value
// out of range once, before it fans out (lib/limits/arguments.ts), every node refuses it
// from a direct caller, and the resolvers read their bounds from here. The SDL's
// descriptions state the same ranges for people.

/** Every list's `first`, screening's too: each agency's share of the answer. */
export const MAX_PAGE = 100;
/** A screening name: long enough for any real name in any script, short enough to score cheaply. */
export const NAME_LENGTH = { min: 2, max: 200 } as const;
/** Why a partner asks for a record (requestAccess). */
export const MAX_JUSTIFICATION = 2000;
/** A reviewer's note on a decision. */
export const MAX_NOTE = 2000;
/** More agencies than any federation runs; a longer list is a mistake or an attack. */
export const MAX_AGENCIES = 64;

export const IDEMPOTENCY_KEY = /^[\w.:-]{1,128}$/;
export const PARTIAL_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
export const COUNTRY_CODE = /^[A-Za-z]{2}$/;
/** A whole day: cooperation figures' periods (docs/cooperation.md). */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function integer(min: number, max: number, why = ''): ArgumentRule {
  return (value) =>
    typeof value === 'number' && !(Number.isInteger(value) && value >= min && value <= max)
      ? `must be between ${min} and ${max}${why}; got ${value}.`
      : undefined;
}

function fraction(value: unknown): string | undefined {
  return typeof value === 'number' && !(value >= 0 && value <= 1) ? `must be between 0 and 1; got ${value}.` : undefined;
}

function text(min: number, max: number, { trimmed = false } = {}): ArgumentRule {
  return (value) => {
    if (typeof value !== 'string') return undefined;
    const length = (trimmed ? value.trim() : value).length;
    return length < min || length > max ? `must be ${min} to ${max} characters; got ${length}.` : undefined;
  };
}

function matching(pattern: RegExp, what: string): ArgumentRule {
  return (value) => (typeof value === 'string' && !pattern.test(value) ? `must be ${what}; got ${shown(value)}.` : undefined);
}

function agencyList(given: unknown): string | undefined {
  // GraphQL reads a single value where a list is expected as a list of one.
  const value = typeof given === 'string' ? [given] : given;
  if (!Array.isArray(value)) return undefined;
  if (value.length > MAX_AGENCIES) return `names at most ${MAX_AGENCIES} agencies; got ${value.length}.`;
  const bad = value.find((code) => typeof code === 'string' && !isWellFormedAgencyCode(code));
  return bad === undefined ? undefined : `agency codes are 2-32 capital letters, digits or hyphens, e.g. "INTERPOL"; got ${shown(bad)}.`;
}

/** The caller's own value, cut short: enough to find it, never a megabyte echoed back. */
function shown(value: string): string {
  return JSON.stringify(clip(value, 40));
}

function languageTag(value: unknown): string | undefined {
  return typeof value === 'string' && !isLanguageTag(value)
    ? `must be a BCP 47 language tag such as fr, zh-Hans or pt-BR; got ${shown(value)}.`
    : undefined;
}

/** A text field's language (docs/languages.md). */
const inLanguage = { lang: languageTag };

const page = integer(0, MAX_PAGE, " (each agency's share of the list)");
const list = { first: page, agencies: agencyList };

export const ARGUMENT_RULES: ArgumentRules = new Map<string, Record<string, ArgumentRule>>([
  ['Query.notices', list],
  [
    'Query.subjects',
    {
      ...list,
      // A name pattern of 50,000 characters is more than SQLite's LIKE will take.
      'filter.name': text(0, NAME_LENGTH.max),
      'filter.nationality': matching(COUNTRY_CODE, 'an ISO 3166-1 alpha-2 code such as AF'),
    },
  ],
  ['Query.cases', list],
  [
    'Query.screen',
    {
      ...list,
      minScore: fraction,
      'person.name': text(NAME_LENGTH.min, NAME_LENGTH.max, { trimmed: true }),
      'person.dateOfBirth': matching(PARTIAL_DATE, 'ISO 8601: 1961, 1961-03 or 1961-03-05'),
      'person.nationality': matching(COUNTRY_CODE, 'an ISO 3166-1 alpha-2 code such as AF'),
      'person.documentNumber': text(0, 64),
    },
  ],
  [
    'Query.cooperationReport',
    {
      'period.from': matching(ISO_DATE, 'an ISO 8601 date such as 2026-01-31'),
      'period.to': matching(ISO_DATE, 'an ISO 8601 date such as 2026-12-31'),
    },
  ],
  ['Notice.title', inLanguage],
  ['Notice.charges', inLanguage],
  ['Case.title', inLanguage],
  ['UnListing.narrative', inLanguage],
  ['Query.auditTrail', { first: page, after: integer(0, 2 ** 31 - 1) }],
  ['Query.witnessedHeads', { first: page }],
  ['Query.accessRequests', { agencies: agencyList }],
  [
    'Mutation.requestAccess',
    {
      justification: text(1, MAX_JUSTIFICATION, { trimmed: true }),
      idempotencyKey: matching(IDEMPOTENCY_KEY, '1 to 128 letters, digits or . _ : - (e.g. a UUID you keep for retries)'),
    },
  ],
  [
    'Mutation.decideAccessRequest',
    {
      note: text(0, MAX_NOTE),
      expiresAt: matching(DATE_TIME, 'an ISO 8601 date-time with a time zone, e.g. "2027-01-31T23:59:59Z"'),
    },
  ],
]);

/** Every other argument: no list (a filter's values, a role list) over 100, no string (an id, a code) over 2000 characters. */
export const ARGUMENT_BOUNDS: ArgumentBounds = {
  maxList: 100,
  maxString: 2000,
  // The gateway's batches of entity references to a node: as many as the question holds.
  exempt: new Set(['Query._entities']),
};
