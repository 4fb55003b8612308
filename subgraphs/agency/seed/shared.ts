// Persons on file at two or three agencies at once: the cases federation has to reconcile.
// They come from their own random stream, derived from the seed alone, so whichever agency
// is generated the pool is the same and each agency picks out its own copies. Each copy is
// written the way that agency writes names and dates, with its own transliteration.
import { CRIME_TYPES, type CrimeType, type Gender } from '../store/records.js';
import { birthReading, passport, personDocuments, randomBirth } from './identity.js';
import { cultureOf } from './names.js';
import { latinName, pickPersonName, randomSpelling } from './naming.js';
import { DEMO_AGENCIES, PROFILES, handles, type DemoAgency } from './profiles.js';
import { Random, deriveSeed, type Weighted } from './random.js';
import { aliasNames, originalScriptName, primaryName, type SubjectDraft } from './subjects.js';

const SHARED_PERSON_COUNT = 30;

// Only countries at least one regional body deals with, so every person has two candidate stores.
const NATIONALITIES: Weighted<string> = [
  ['CN', 6],
  ['VN', 4],
  ['TH', 3],
  ['MM', 2],
  ['LA', 2],
  ['KH', 2],
  ['MY', 1],
  ['ID', 1],
  ['PH', 1],
  ['RU', 2],
  ['SY', 1],
  ['IQ', 1],
  ['MA', 1],
  ['DZ', 1],
  ['AL', 1],
  ['NG', 1],
  ['TR', 1],
];

export interface SharedPerson {
  /** What the person is wanted for, the same in every store. */
  readonly crime: CrimeType;
  readonly copies: ReadonlyMap<DemoAgency, SubjectDraft>;
}

export function sharedPersons(seed: number): SharedPerson[] {
  const rng = new Random(deriveSeed(seed, 'shared-persons'));
  return Array.from({ length: SHARED_PERSON_COUNT }, () => sharedPerson(rng));
}

function sharedPerson(rng: Random): SharedPerson {
  const nationality = rng.weighted(NATIONALITIES);
  const candidates = DEMO_AGENCIES.filter((agency) => handles(PROFILES[agency].nationalities, nationality));
  const stores = rng.sample(candidates, candidates.length > 2 && rng.chance(0.5) ? 3 : 2);
  const crime = rng.pick(CRIME_TYPES.filter((c) => stores.every((agency) => handles(PROFILES[agency].crimes, c))));
  const female = rng.chance(0.2);
  const gender: Gender = female ? 'FEMALE' : 'MALE';
  const name = pickPersonName(rng, cultureOf(nationality), female);
  const birth = randomBirth(rng);
  const holder = { nationality, secondNationality: null, birth, female, residence: nationality };
  const sharedPassport = rng.chance(0.8) ? passport(rng, nationality) : null;

  const copies = new Map<DemoAgency, SubjectDraft>();
  for (const agency of DEMO_AGENCIES.filter((a) => stores.includes(a))) {
    const style = PROFILES[agency].nameStyle;
    const primary = latinName(name, style, randomSpelling(rng, name, rng.chance(0.35)));
    copies.set(agency, {
      kind: 'PERSON',
      gender,
      names: [primaryName(primary), ...originalScriptName(name), ...aliasNames(rng, name, style, female, primary, rng.int(0, 2))],
      birthDates: rng.chance(0.9) ? [birthReading(rng, birth)] : [],
      nationalities: [nationality],
      documents: sharedPassport === null ? personDocuments(rng, holder) : [sharedPassport],
    });
  }
  return { crime, copies };
}
