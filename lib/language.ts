import Negotiator from 'negotiator';

// Which language a text is given in (docs/languages.md): the languages a caller asks for,
// from a field's `lang` or the request's Accept-Language, and the choice among the versions
// an owner holds: the first asked for that it holds (a tag or a broader one: zh-Hans-CN,
// zh-Hans, zh, as RFC 4647's lookup), else English, else the original. With nothing asked
// for, the original. Tags are compared without regard to case (RFC 5646 §2.1.1) and nothing
// else: no alias is mapped (iw is not he), so every implementation of the contract, and
// every ICU version, chooses the same version.

/** Longer than any real tag (RFC 5646 suggests 35 characters), short enough to refuse cheaply. */
export const MAX_LANGUAGE_TAG = 64;
/** Accept-Language ranges considered: a browser sends a handful; more is noise or an attack. */
const MAX_ACCEPTED = 16;
/** Accept-Language characters read, and passed on by the gateway: enough for any browser's header. */
export const MAX_ACCEPT_HEADER = 1024;
const FALLBACK = 'en';

/** Whether `tag` is a well-formed language tag (a Unicode BCP 47 locale identifier, as Intl reads one). */
export function isLanguageTag(tag: string): boolean {
  if (tag.length === 0 || tag.length > MAX_LANGUAGE_TAG) return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/**
 * The languages an Accept-Language header asks for, most wanted first (by q, then order), as
 * written: the wildcard, ranges with q=0 and malformed ones are left out, each language once
 * (a header is advice, never an error). Only whole ranges within the first kilobyte are read.
 */
export function acceptedLanguages(header: string | string[] | undefined): string[] {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return [];
  const ranges = new Negotiator({ headers: { 'accept-language': wholeRanges(value) } }).languages();
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const range of ranges) {
    if (range === '*' || !isLanguageTag(range) || seen.has(range.toLowerCase())) continue;
    seen.add(range.toLowerCase());
    tags.push(range);
    if (tags.length === MAX_ACCEPTED) break;
  }
  return tags;
}

/** The header cut to its first kilobyte at a comma: a range cut in half would lose its q and jump ahead. */
function wholeRanges(value: string): string {
  if (value.length <= MAX_ACCEPT_HEADER) return value;
  const cut = value.lastIndexOf(',', MAX_ACCEPT_HEADER);
  return cut > 0 ? value.slice(0, cut) : '';
}

/** Languages as an Accept-Language header, most wanted first, whole tags only, within the kilobyte a reader reads. */
export function acceptLanguageHeader(tags: readonly string[]): string {
  let header = '';
  for (const tag of tags) {
    const next = header ? `${header}, ${tag}` : tag;
    if (next.length > MAX_ACCEPT_HEADER) break;
    header = next;
  }
  return header;
}

/** One version of a text. */
export interface TextVersion {
  readonly language: string;
  readonly original: boolean;
}

/**
 * The version to give for `wanted` (tags, most wanted first): the first wanted language held,
 * else English, else the original. Among versions that answer equally (two narrower ones),
 * the first the owner lists. Undefined only when there is no version.
 */
export function chooseVersion<T extends TextVersion>(versions: readonly T[], wanted: readonly string[]): T | undefined {
  const original = versions.find((version) => version.original) ?? versions[0];
  if (wanted.length === 0) return original;
  const held = versions.map((version) => ({ version, tag: version.language.toLowerCase() }));
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
