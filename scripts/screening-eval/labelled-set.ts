import { Random } from '../../subgraphs/agency/seed/random.js';

// A labelled screening set made from real listed persons: each query is a way an officer
// might write a listed person's name (an alias, another word order, a typo, another
// transliteration, the original script, a missing middle name), with or without a date of
// birth, plus negatives: ordinary names that must not match. The seed is fixed.

export const EVALUATION_SEED = 20_241_126;

export type Variation = 'alias' | 'reordered' | 'misspelled' | 'transliteration' | 'original_script' | 'missing_middle_name' | 'negative';

export interface ListedPerson {
  id: string;
  primary: string;
  aliases: string[];
  originalScript: string | null;
  birthYears: number[];
  nationalities: string[];
}

export interface LabelledQuery {
  variation: Variation;
  withDateOfBirth: boolean;
  name: string;
  dateOfBirth: string | null;
  nationality: string | null;
  /** The subject that must be the top hit; null for negatives (no hit expected). */
  expected: string | null;
}

/** Transliteration variants an officer may write for the same name part. */
const VARIANTS: string[][] = [
  ['muhammad', 'mohammed', 'mohamed', 'mohammad', 'muhammed'],
  ['ahmad', 'ahmed'],
  ['yusuf', 'youssef', 'yousef'],
  ['abdul', 'abd al'],
  ['hussein', 'husayn', 'hussain'],
  ['omar', 'umar'],
  ['usama', 'osama'],
  ['abu', 'abou'],
  ['khalid', 'khaled'],
  ['said', 'saeed', 'sayed'],
  ['hassan', 'hasan'],
  ['ibrahim', 'ebrahim'],
  ['abdullah', 'abdallah'],
  ['nasser', 'nasir', 'naser'],
  ['mustafa', 'mostafa'],
  ['mahmoud', 'mahmud'],
  ['rahman', 'rehman'],
  ['jamal', 'gamal'],
  ['sheikh', 'shaykh'],
];

/** Ordinary names from many places, none of them listed, for negatives. */
const GIVEN = [
  'Somchai',
  'Nguyen Thi',
  'Maria',
  'Lukas',
  'Aiko',
  'Priya',
  'Olumide',
  'Sofia',
  'Kenji',
  'Fatuma',
  'Pierre',
  'Ingrid',
  'Chen',
  'Juan Carlos',
  'Anh',
  'Malee',
  'Tomasz',
  'Elif',
  'Kwame',
  'Lucia',
];
const FAMILY = [
  'Srisuk',
  'Lan',
  'Schneider',
  'Tanaka',
  'Sharma',
  'Adeyemi',
  'Rossi',
  'Yamamoto',
  'Mwangi',
  'Dubois',
  'Larsen',
  'Zhang',
  'Fernandez',
  'Tran',
  'Kowalski',
  'Yilmaz',
  'Mensah',
  'Moreau',
  'Okafor',
  'Lindqvist',
];

const tokens = (name: string) => name.split(/\s+/).filter(Boolean);

function misspell(random: Random, name: string): string | null {
  const parts = tokens(name);
  const long = parts.map((part, i) => [part, i] as const).filter(([part]) => part.length >= 5);
  if (long.length === 0) return null;
  const [part, index] = random.pick(long);
  const at = random.int(1, part.length - 2);
  const edits = [
    part.slice(0, at) + part.slice(at + 1), // a letter dropped
    part.slice(0, at) + part[at + 1] + part[at] + part.slice(at + 2), // two letters swapped
    part.slice(0, at) + part[at] + part.slice(at), // a letter doubled
  ];
  parts[index] = random.pick(edits);
  return parts.join(' ');
}

function transliterate(random: Random, name: string): string | null {
  const lower = ` ${name.toLowerCase()} `;
  const applicable = VARIANTS.flatMap((group) =>
    group.filter((form) => lower.includes(` ${form} `)).map((form) => ({ form, others: group.filter((other) => other !== form) })),
  );
  if (applicable.length === 0) return null;
  const { form, others } = random.pick(applicable);
  return lower.replace(` ${form} `, ` ${random.pick(others)} `).trim();
}

function reorder(name: string): string | null {
  const parts = tokens(name);
  return parts.length < 2 ? null : [parts.at(-1)!, ...parts.slice(0, -1)].join(' ');
}

function dropMiddle(name: string): string | null {
  const parts = tokens(name);
  return parts.length < 3 ? null : [parts[0]!, ...parts.slice(2)].join(' ');
}

export function labelledSet(persons: readonly ListedPerson[], seed = EVALUATION_SEED): LabelledQuery[] {
  const random = new Random(seed);
  const queries: LabelledQuery[] = [];
  const add = (variation: Variation, person: ListedPerson, name: string | null) => {
    if (!name) return;
    const withDateOfBirth = person.birthYears.length > 0 && random.chance(0.5);
    queries.push({
      variation,
      withDateOfBirth,
      name,
      dateOfBirth: withDateOfBirth ? String(random.pick(person.birthYears)) : null,
      nationality: null,
      expected: person.id,
    });
  };
  for (const person of persons) {
    if (person.aliases.length > 0) add('alias', person, random.pick(person.aliases));
    add('reordered', person, reorder(person.primary));
    add('misspelled', person, misspell(random, person.primary));
    add('transliteration', person, transliterate(random, person.primary));
    add('original_script', person, person.originalScript);
    add('missing_middle_name', person, dropMiddle(person.primary));
  }
  const negatives = Math.round(queries.length / 3);
  for (let i = 0; i < negatives; i++) {
    const withDateOfBirth = random.chance(0.5);
    queries.push({
      variation: 'negative',
      withDateOfBirth,
      name: `${random.pick(GIVEN)} ${random.pick(FAMILY)}`,
      dateOfBirth: withDateOfBirth ? String(random.int(1950, 1999)) : null,
      nationality: null,
      expected: null,
    });
  }
  return queries;
}
