// Birth dates at the precisions agencies actually hold them, and identity documents
// whose numbers follow each issuing country's visible format.
import type { BirthDateRecord, DocumentType, IdentityDocumentRecord } from '../store/records.js';
import { randomDateInYear, yearOf } from './dates.js';
import { DIGITS, LETTERS, type Random } from './random.js';

/** A full ISO birth date for an adult subject. */
export function randomBirth(rng: Random): string {
  return randomDateInYear(rng, rng.int(1955, 2005));
}

function exact(date: string): BirthDateRecord {
  return { qualifier: 'EXACT', date, from: null, to: null };
}

function approximately(year: number): BirthDateRecord {
  return { qualifier: 'APPROXIMATELY', date: String(year), from: null, to: null };
}

function between(from: number, to: number): BirthDateRecord {
  return { qualifier: 'BETWEEN', date: null, from: String(from), to: String(to) };
}

/** One reading of a birth date, at a precision that varies from record to record. */
export function birthReading(rng: Random, birth: string): BirthDateRecord {
  const year = yearOf(birth);
  const shape = rng.weighted([
    ['DAY', 55],
    ['MONTH', 5],
    ['YEAR', 15],
    ['ABOUT', 13],
    ['RANGE', 12],
  ] as const);
  switch (shape) {
    case 'DAY':
      return exact(birth);
    case 'MONTH':
      return exact(birth.slice(0, 7));
    case 'YEAR':
      return exact(String(year));
    case 'ABOUT':
      return approximately(year);
    case 'RANGE': {
      const from = year - rng.int(0, 2);
      return between(from, from + rng.int(2, 4));
    }
  }
}

/** The birth dates one record holds: usually one, sometimes none, sometimes two conflicting ones. */
export function birthRecords(rng: Random, birth: string): BirthDateRecord[] {
  const r = rng.int(0, 99);
  if (r < 6) return [];
  if (r < 12) {
    // Two documents disagreeing, as happens with forged or late-registered papers.
    const other = randomDateInYear(rng, yearOf(birth) + rng.pick([-1, 0, 1]));
    return [exact(birth), rng.chance(0.7) ? exact(other) : approximately(yearOf(other))];
  }
  return [birthReading(rng, birth)];
}

export interface Holder {
  readonly nationality: string;
  readonly secondNationality: string | null;
  /** Full ISO birth date. */
  readonly birth: string;
  readonly female: boolean;
  /** Country of residence, which issues driving licences and residence permits. */
  readonly residence: string;
}

const PASSPORT_FORMATS: Readonly<Record<string, (rng: Random) => string>> = {
  CN: (r) => 'E' + r.chars(DIGITS, 8),
  TH: (r) => r.chars(LETTERS, 2) + r.chars(DIGITS, 7),
  VN: (r) => r.pick(['B', 'C', 'N', 'P']) + r.chars(DIGITS, 7),
  LA: (r) => 'P' + r.chars(DIGITS, 7),
  MM: (r) => 'M' + r.pick(['A', 'B', 'C', 'D']) + r.chars(DIGITS, 6),
  KH: (r) => 'N' + r.chars(DIGITS, 8),
  MY: (r) => 'A' + r.chars(DIGITS, 8),
  ID: (r) => r.pick(['A', 'B', 'C', 'X']) + r.chars(DIGITS, 7),
  PH: (r) => 'P' + r.chars(DIGITS, 7) + r.chars(LETTERS, 1),
  SG: (r) => 'K' + r.chars(DIGITS, 7) + r.chars(LETTERS, 1),
  IN: (r) => r.chars(LETTERS, 1) + r.chars(DIGITS, 7),
  DE: (r) => 'C' + r.chars('CFGHJKLMNPRTVWXYZ0123456789', 8),
  FR: (r) => r.chars(DIGITS, 2) + r.chars(LETTERS, 2) + r.chars(DIGITS, 5),
  ES: (r) => r.chars(LETTERS, 3) + r.chars(DIGITS, 6),
  GB: (r) => r.chars(DIGITS, 9),
  US: (r) => r.chars(DIGITS, 9),
  RU: (r) => r.chars(DIGITS, 9),
};

// Codes of real prefectures and counties (Beijing, Shanghai, Shenzhen, Kunming, Jinghong, Ruili, ...).
const CN_REGIONS = ['110101', '310104', '440304', '530102', '532801', '533102', '450102', '350102', '510104', '330106'];
const CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const VN_PROVINCES = ['001', '079', '031', '048', '038', '092', '040', '075'];

function digitsOf(text: string): number[] {
  return [...text].map(Number);
}

const NATIONAL_ID_FORMATS: Readonly<Record<string, (rng: Random, holder: Holder) => string>> = {
  // Resident identity card: region, birth date, sequence (odd for men), ISO 7064 MOD 11-2 check.
  CN: (r, h) => {
    const body = r.pick(CN_REGIONS) + h.birth.replaceAll('-', '') + r.chars(DIGITS, 2) + String(r.int(0, 4) * 2 + (h.female ? 0 : 1));
    const sum = digitsOf(body).reduce((s, d, i) => s + d * (CN_WEIGHTS[i] ?? 0), 0);
    return body + '10X98765432'[sum % 11];
  },
  // 13 digits with a mod-11 check digit.
  TH: (r) => {
    const body = String(r.int(1, 8)) + r.chars(DIGITS, 11);
    const sum = digitsOf(body).reduce((s, d, i) => s + d * (13 - i), 0);
    return body + String((11 - (sum % 11)) % 10);
  },
  // MyKad: YYMMDD-PB-###G, last digit odd for men.
  MY: (r, h) => {
    const ymd = h.birth.slice(2).replaceAll('-', '');
    const place = String(r.int(1, 14)).padStart(2, '0');
    return `${ymd}-${place}-${r.chars(DIGITS, 3)}${r.int(0, 4) * 2 + (h.female ? 0 : 1)}`;
  },
  // Citizen identity card: province, sex-and-century digit, year of birth, serial.
  VN: (r, h) => {
    const year = yearOf(h.birth);
    const sexCentury = (year >= 2000 ? 2 : 0) + (h.female ? 1 : 0);
    return r.pick(VN_PROVINCES) + String(sexCentury) + h.birth.slice(2, 4) + r.chars(DIGITS, 6);
  },
  // DNI: 8 digits and the mod-23 control letter.
  ES: (r) => {
    const n = r.int(10_000_000, 99_999_999);
    return String(n) + 'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23];
  },
};

function document(type: DocumentType, number: string, issuingCountry: string): IdentityDocumentRecord {
  return { type, number, issuingCountry };
}

export function passport(rng: Random, country: string): IdentityDocumentRecord {
  const format = PASSPORT_FORMATS[country] ?? ((r: Random) => r.chars(LETTERS, 2) + r.chars(DIGITS, 7));
  return document('PASSPORT', format(rng), country);
}

function nationalId(rng: Random, holder: Holder, country: string): IdentityDocumentRecord {
  const format = NATIONAL_ID_FORMATS[country] ?? ((r: Random) => r.chars(DIGITS, 9));
  return document('NATIONAL_ID', format(rng, holder), country);
}

/** 0-3 documents; the first is usually a passport. */
export function personDocuments(rng: Random, holder: Holder): IdentityDocumentRecord[] {
  const count = rng.weighted([
    [0, 15],
    [1, 45],
    [2, 30],
    [3, 10],
  ]);
  if (count === 0) return [];
  const home = holder.nationality;
  const first = rng.chance(0.8) ? passport(rng, home) : nationalId(rng, holder, home);
  const more: (() => IdentityDocumentRecord)[] = [
    () => (first.type === 'PASSPORT' ? nationalId(rng, holder, home) : passport(rng, home)),
    () => document('DRIVING_LICENCE', rng.chars(LETTERS, 1) + rng.chars(DIGITS, 8), holder.residence),
    () => document('OTHER', rng.chars(DIGITS, 8), home),
  ];
  const second = holder.secondNationality;
  if (second !== null) more.push(() => passport(rng, second));
  if (holder.residence !== home) {
    more.push(() => document('RESIDENCE_PERMIT', rng.chars(LETTERS, 2) + rng.chars(DIGITS, 7), holder.residence));
  }
  const documents = [first, ...rng.sample(more, count - 1).map((make) => make())];
  // Some records lost track of who issued a document.
  return documents.map((d) => (rng.chance(0.05) ? { ...d, issuingCountry: null } : d));
}

/** Company registration number, recorded as an OTHER document. */
export function registration(rng: Random, country: string): IdentityDocumentRecord {
  const number = country === 'TH' ? '0105' + rng.chars(DIGITS, 9) : rng.chars(DIGITS, rng.int(8, 10));
  return document('OTHER', number, country);
}
