// Subjects known to a single agency: persons of the nationalities it deals with and the
// organisations (front companies, scam compounds, charities) that turn up in its files.
import type { Gender, NameRecord, SubjectRecord } from '../store/records.js';
import { birthRecords, personDocuments, randomBirth, registration } from './identity.js';
import { cultureOf } from './names.js';
import {
  isReorderable,
  latinName,
  nativeName,
  pickPersonName,
  randomSpelling,
  stripDiacritics,
  writesFamilyFirst,
  type NameStyle,
  type PersonName,
} from './naming.js';
import type { AgencyProfile } from './profiles.js';
import type { Random, Weighted } from './random.js';

export type SubjectDraft = Omit<SubjectRecord, 'localId'>;

type Quality = NameRecord['quality'];

// Another spelling of the same name is a strong alias; a moniker is a weak one.
const SPELLING_QUALITY: Weighted<Quality> = [
  ['GOOD', 6],
  [null, 4],
];
const MONIKER_QUALITY: Weighted<Quality> = [
  ['LOW', 7],
  [null, 3],
];
const FALSE_IDENTITY_QUALITY: Weighted<Quality> = [
  ['GOOD', 4],
  ['LOW', 5],
  [null, 1],
];

const ALIAS_COUNTS: Weighted<number> = [
  [0, 45],
  [1, 30],
  [2, 17],
  [3, 8],
];

export function primaryName(full: string): NameRecord {
  return { full, script: 'Latn', kind: 'PRIMARY', quality: null };
}

export function originalScriptName(name: PersonName): NameRecord[] {
  const native = nativeName(name);
  return native === null ? [] : [{ ...native, kind: 'ORIGINAL_SCRIPT', quality: null }];
}

function alias(full: string, quality: Quality): NameRecord {
  return { full, script: 'Latn', kind: 'ALIAS', quality };
}

/** Up to count aliases, none equal to the primary name or to each other. */
export function aliasNames(rng: Random, name: PersonName, style: NameStyle, female: boolean, primary: string, count: number): NameRecord[] {
  if (count === 0) return [];
  const candidates: (() => NameRecord)[] = [
    () => alias(stripDiacritics(primary), rng.weighted(SPELLING_QUALITY)),
    () => alias(latinName(name, style, randomSpelling(rng, name, false)), rng.weighted(SPELLING_QUALITY)),
    () => alias(latinName(pickPersonName(rng, name.culture, female), style), rng.weighted(FALSE_IDENTITY_QUALITY)),
  ];
  if (isReorderable(name)) {
    // Given and family name swapped, as when a form was filled in the other order.
    const swapped: NameStyle = { order: writesFamilyFirst(name, style) ? 'GIVEN_FIRST' : 'FAMILY_FIRST', upperFamily: false };
    candidates.push(() => alias(latinName(name, swapped), rng.weighted(SPELLING_QUALITY)));
  }
  const nicknames = name.culture.nicknames;
  if (nicknames !== undefined) {
    candidates.push(() => alias(rng.pick(female ? nicknames.female : nicknames.male), rng.weighted(MONIKER_QUALITY)));
  }
  // Names differing only in letter case are the same name to a reader.
  const seen = new Set([primary.toUpperCase()]);
  const out: NameRecord[] = [];
  for (const make of rng.shuffle(candidates)) {
    if (out.length === count) break;
    const candidate = make();
    if (!seen.has(candidate.full.toUpperCase())) {
      seen.add(candidate.full.toUpperCase());
      out.push(candidate);
    }
  }
  return out;
}

export function localPerson(rng: Random, profile: AgencyProfile): SubjectDraft {
  const nationality = rng.weighted(profile.nationalities);
  const secondNationality = rng.chance(0.12) ? rng.weighted(profile.nationalities.filter(([country]) => country !== nationality)) : null;
  const gender = rng.weighted<Gender>([
    ['MALE', 55],
    ['FEMALE', 43],
    ['UNKNOWN', 2],
  ]);
  const female = gender === 'FEMALE' || (gender === 'UNKNOWN' && rng.chance(0.5));
  const name = pickPersonName(rng, cultureOf(nationality), female);
  const primary = latinName(name, profile.nameStyle);
  const birth = randomBirth(rng);
  return {
    kind: 'PERSON',
    gender,
    names: [
      primaryName(primary),
      ...originalScriptName(name),
      ...aliasNames(rng, name, profile.nameStyle, female, primary, rng.weighted(ALIAS_COUNTS)),
    ],
    birthDates: birthRecords(rng, birth),
    nationalities: secondNationality === null ? [nationality] : [nationality, secondNationality],
    documents: personDocuments(rng, {
      nationality,
      secondNationality,
      birth,
      female,
      residence: rng.weighted(profile.nationalities),
    }),
  };
}

/** An organisation whose name is not yet in `used` (which it extends). */
export function localOrganisation(rng: Random, profile: AgencyProfile, used: Set<string>): SubjectDraft {
  const family = rng.pick(profile.organisations);
  const country = rng.weighted(profile.nationalities.filter(([c]) => family.countries.includes(c)));
  const free = family.names(country).filter((n) => !used.has(n.latin));
  const name = rng.pick(free);
  used.add(name.latin);
  const names: NameRecord[] = [primaryName(name.latin)];
  if (name.native !== null && name.script !== null) {
    names.push({ full: name.native, script: name.script, kind: 'ORIGINAL_SCRIPT', quality: null });
  }
  // Front companies get renamed; the old name stays on file.
  if (rng.chance(0.3)) {
    const former = rng.pick(free.filter((n) => n !== name));
    used.add(former.latin);
    names.push(alias(former.latin, null));
  }
  return {
    kind: 'ORGANISATION',
    gender: null,
    names,
    birthDates: [],
    nationalities: [country],
    documents: rng.chance(0.6) ? [registration(rng, country)] : [],
  };
}
