import Negotiator from 'negotiator';

// Which language a text is given in (docs/languages.md): the languages a caller asks for,
// from a field's `lang` or the request's Accept-Language, and the choice among the versions
// an owner holds: the first asked for that it holds (a tag or a broader one: zh-Hans-CN,
// zh-Hans, zh, as RFC 4647's lookup), else English, else the original. With nothing asked
// for, the original. Tags are compared in their canonical form, so "ZH-hans" is "zh-Hans".

/** Longer than any real tag (RFC 5646 suggests 35 characters), short enough to refuse cheaply. */
export const MAX_LANGUAGE_TAG = 64;
/** Accept-Language ranges considered: a browser sends a handful; more is noise or an attack. */
const MAX_ACCEPTED = 16;
/** Accept-Language bytes read: enough for any browser's header. */
const MAX_ACCEPT_HEADER = 1024;
const FALLBACK = 'en';

/** The canonical form of a well-formed BCP 47 tag ("zh-hans-cn" → "zh-Hans-CN"), or undefined. */
export function canonicalLanguageTag(tag: string): string | undefined {
  if (tag.length === 0 || tag.length > MAX_LANGUAGE_TAG) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/**
 * The languages an Accept-Language header asks for, most wanted first: the wildcard, ranges
 * with q=0 and malformed ones are left out (a header is advice, never an error).
 */
export function acceptedLanguages(header: string | string[] | undefined): string[] {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return [];
  const ranges = new Negotiator({ headers: { 'accept-language': value.slice(0, MAX_ACCEPT_HEADER) } }).languages();
  const tags = ranges.flatMap((range) => (range === '*' ? [] : [canonicalLanguageTag(range) ?? []].flat()));
  return [...new Set(tags)].slice(0, MAX_ACCEPTED);
}

/** One version of a text. */
export interface TextVersion {
  readonly language: string;
  readonly original: boolean;
}

/**
 * The version to give for `wanted` (canonical tags, most wanted first): the first wanted
 * language held, else English, else the original. Undefined only when there is no version.
 */
export function chooseVersion<T extends TextVersion>(versions: readonly T[], wanted: readonly string[]): T | undefined {
  const original = versions.find((version) => version.original) ?? versions[0];
  if (wanted.length === 0) return original;
  const held = versions.map((version) => ({ version, tag: (canonicalLanguageTag(version.language) ?? version.language).toLowerCase() }));
  for (const tag of [...wanted, FALLBACK]) {
    const found = lookup(held, tag.toLowerCase());
    if (found) return found;
  }
  return original;
}

function lookup<T>(held: readonly { version: T; tag: string }[], wanted: string): T | undefined {
  // RFC 4647 lookup: the tag, then ever broader, dropping a lone letter (a singleton) too.
  for (let range = wanted; range; range = broader(range)) {
    const exact = held.find((entry) => entry.tag === range);
    if (exact) return exact.version;
  }
  // A broad request a narrower version answers: "zh" is answered by "zh-Hant".
  return held.find((entry) => entry.tag.startsWith(`${wanted}-`))?.version;
}

function broader(range: string): string {
  const parts = range.split('-');
  parts.pop();
  if (parts.length > 0 && parts[parts.length - 1]!.length === 1) parts.pop();
  return parts.join('-');
}
