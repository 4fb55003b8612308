// Picking a person's name from a culture's pools and writing it down the way a given
// record-keeping style does (word order, upper-case family name, chosen transliteration).
import type { Culture, NamePart } from './names.js';
import type { Random } from './random.js';

export interface PersonName {
  readonly culture: Culture;
  /** Given names; a Vietnamese middle name comes first. */
  readonly given: readonly NamePart[];
  readonly family: readonly NamePart[];
  /** Malay "bin"/"binti" before the father's name; null elsewhere. */
  readonly connector: string | null;
}

export interface NameStyle {
  /** NATIVE keeps the culture's own order. */
  readonly order: 'NATIVE' | 'FAMILY_FIRST' | 'GIVEN_FIRST';
  readonly upperFamily: boolean;
}

/** Which transliteration of each part to use, and whether diacritics were dropped. */
export interface Spelling {
  /** Index into each part's Latin spellings, given parts first; missing entries mean the usual one. */
  readonly variants: readonly number[];
  readonly ascii: boolean;
}

const USUAL: Spelling = { variants: [], ascii: false };

export function pickPersonName(rng: Random, culture: Culture, female: boolean): PersonName {
  const given = rng.sample(female ? culture.female : culture.male, rng.int(...culture.givenCount));
  if (culture.middle !== undefined) {
    given.unshift(rng.pick(female ? culture.middle.female : culture.middle.male));
  }
  const feminine = culture.feminineFamily;
  const family = rng
    .sample(culture.family, culture.familyCount)
    .map((part) =>
      female && feminine !== undefined
        ? { latin: part.latin.map(feminine), native: part.native === null ? null : feminine(part.native) }
        : part,
    );
  const connector = culture.patronymic === undefined ? null : female ? culture.patronymic.female : culture.patronymic.male;
  return { culture, given, family, connector };
}

/** A random transliteration choice for every part of the name. */
export function randomSpelling(rng: Random, name: PersonName, ascii: boolean): Spelling {
  return { variants: [...name.given, ...name.family].map((part) => rng.int(0, part.latin.length - 1)), ascii };
}

export function latinName(name: PersonName, style: NameStyle, spelling: Spelling = USUAL): string {
  const spelled = [...name.given, ...name.family].map((part, i) => {
    const latin = part.latin[(spelling.variants[i] ?? 0) % part.latin.length] ?? '';
    return spelling.ascii ? stripDiacritics(latin) : latin;
  });
  const given = spelled.slice(0, name.given.length);
  const family = spelled.slice(name.given.length);
  // A Malay patronymic is not a family name: records keep it as written.
  if (name.connector !== null) return [...given, name.connector, ...family].join(' ');
  // Burmese names are a single unit, filed whole in the family-name field.
  if (family.length === 0) return style.upperFamily ? given.join(' ').toUpperCase() : given.join(' ');
  const written = style.upperFamily ? family.map((f) => f.toUpperCase()) : family;
  return (writesFamilyFirst(name, style) ? [...written, ...given] : [...given, ...written]).join(' ');
}

export function writesFamilyFirst(name: PersonName, style: NameStyle): boolean {
  return style.order === 'FAMILY_FIRST' || (style.order === 'NATIVE' && name.culture.order === 'FAMILY_FIRST');
}

/** Whether the name has a family name that a clerk could put on the wrong side. */
export function isReorderable(name: PersonName): boolean {
  return name.family.length > 0 && name.connector === null;
}

/** The name in its original script, or null when the culture writes names in Latin script. */
export function nativeName(name: PersonName): { full: string; script: string } | null {
  const script = name.culture.script;
  if (script === null) return null;
  const parts = name.culture.order === 'FAMILY_FIRST' ? [...name.family, ...name.given] : [...name.given, ...name.family];
  const natives: string[] = [];
  for (const part of parts) {
    if (part.native === null) return null;
    natives.push(part.native);
  }
  return { full: natives.join(name.culture.nativeJoin), script };
}

// Letters that do not decompose into base letter + combining mark.
const UNDECOMPOSED: Readonly<Record<string, string>> = { đ: 'd', Đ: 'D', ł: 'l', Ł: 'L', ı: 'i' };

export function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐłŁı]/g, (c) => UNDECOMPOSED[c] ?? c);
}
