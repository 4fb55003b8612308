import { DATASET_FORMAT, type ConformanceDataset, type DatasetLabels } from './format.js';

// Builds the conformance data set (conformance/dataset.json) from a few rules, so that it
// covers the policy by construction: each kind of record takes every combination of TLP
// label, audience and discoverability once (50), and links join records of different
// labels, so every caller meets FULL, HIT_ONLY and NONE records at both ends of a link.
// Names are invented; each comes in Latin script and, for most, an original script.

const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const;
/** Audiences by agency code, by trust circle, by both, and none (directory codes). */
const AUDIENCES: string[][] = [[], ['TH-RTP'], ['ASEAN'], ['EU'], ['DE-BKA', 'MEKONG']];
const HANDLING = ['H0', 'H1', 'H2', 'H3'] as const;
const COMBINATIONS = TLPS.length * AUDIENCES.length * 2;

/**
 * A notice's title in every shape the language rule meets (docs/languages.md): written in
 * English with a French translation; in Thai with English, a narrower Chinese tag and French
 * (so that reading Accept-Language by q and in written order differ); in Arabic with French
 * only, so that a language the owner lacks falls back to the original.
 */
function noticeTitle(i: number): ConformanceDataset['notices'][number]['title'] {
  const n = i + 1;
  if (i % 3 === 0)
    return [
      { language: 'en', text: `Conformance notice ${n}`, original: true },
      { language: 'fr', text: `Notice de conformité ${n}`, original: false },
    ];
  if (i % 3 === 1)
    return [
      { language: 'th', text: `ประกาศทดสอบ ${n}`, original: true },
      { language: 'en', text: `Conformance notice ${n}`, original: false },
      { language: 'zh-Hant', text: `一致性通報 ${n}`, original: false },
      { language: 'fr', text: `Notice de conformité ${n}`, original: false },
    ];
  return [
    { language: 'ar', text: `إشعار المطابقة ${n}`, original: true },
    { language: 'fr', text: `Notice de conformité ${n}`, original: false },
  ];
}

/** Charges written in English with Spanish, in Spanish with English, or in Spanish alone (the original is the fallback). */
function noticeCharges(i: number): ConformanceDataset['notices'][number]['charges'] {
  const english = `Invented charge ${i + 1}`;
  const spanish = `Cargo inventado ${i + 1}`;
  if (i % 3 === 0)
    return [
      { language: 'en', text: english, original: true },
      { language: 'es', text: spanish, original: false },
    ];
  if (i % 3 === 1)
    return [
      { language: 'es', text: spanish, original: true },
      { language: 'en', text: english, original: false },
    ];
  return [{ language: 'es', text: spanish, original: true }];
}

/** Invented persons; the surname is unique to each, so a name filter on it finds that person's subjects only. */
const PERSONS: {
  latin: string;
  surname: string;
  original?: { full: string; script: string };
  nationality: string;
  gender: 'MALE' | 'FEMALE';
}[] = [
  { latin: 'CHEN Weilong', surname: 'Weilong', original: { full: '陈伟龙', script: 'Hans' }, nationality: 'CN', gender: 'MALE' },
  {
    latin: 'SOMCHAI Rattanakornphan',
    surname: 'Rattanakornphan',
    original: { full: 'สมชาย รัตนากรพันธ์', script: 'Thai' },
    nationality: 'TH',
    gender: 'MALE',
  },
  {
    latin: 'HADDAD Karimuddin',
    surname: 'Karimuddin',
    original: { full: 'كريم الدين حداد', script: 'Arab' },
    nationality: 'MA',
    gender: 'MALE',
  },
  {
    latin: 'SOKOLOVA Yevdokiya',
    surname: 'Yevdokiya',
    original: { full: 'Евдокия Соколова', script: 'Cyrl' },
    nationality: 'RU',
    gender: 'FEMALE',
  },
  { latin: 'SOK Daravuthy', surname: 'Daravuthy', original: { full: 'សុខ ដារាវុធី', script: 'Khmr' }, nationality: 'KH', gender: 'MALE' },
  {
    latin: 'AUNG Minhtetkyaw',
    surname: 'Minhtetkyaw',
    original: { full: 'အောင်မင်းထက်ကျော်', script: 'Mymr' },
    nationality: 'MM',
    gender: 'MALE',
  },
  {
    latin: 'VONGSA Khamphanxay',
    surname: 'Khamphanxay',
    original: { full: 'ວົງສາ ຄຳພັນໄຊ', script: 'Laoo' },
    nationality: 'LA',
    gender: 'MALE',
  },
  { latin: 'NGUYEN Thi Hoaithuong', surname: 'Hoaithuong', nationality: 'VN', gender: 'FEMALE' },
  { latin: 'DUBOIS-MARCHETTI Elodiane', surname: 'Elodiane', nationality: 'FR', gender: 'FEMALE' },
  { latin: 'OKONKWO Chidubemeze', surname: 'Chidubemeze', nationality: 'NG', gender: 'MALE' },
];

function labelsOf(combination: number, ordinal: number): DatasetLabels {
  const c = combination % COMBINATIONS;
  return {
    tlp: TLPS[Math.floor(c / (AUDIENCES.length * 2))]!,
    releasableTo: AUDIENCES[Math.floor(c / 2) % AUDIENCES.length]!,
    discoverable: c % 2 === 0,
    handling: HANDLING[ordinal % HANDLING.length]!,
  };
}

const pad = (n: number) => String(n).padStart(3, '0');
const day = (offset: number) => new Date(Date.UTC(2024, 0, 1 + offset)).toISOString().slice(0, 10);

export function buildDataset(): ConformanceDataset {
  const labels: ConformanceDataset['labels'] = {};
  const subjects: ConformanceDataset['subjects'] = [];
  const notices: ConformanceDataset['notices'] = [];
  const cases: ConformanceDataset['cases'] = [];
  const subjectId = (i: number) => `CS-${pad((i % COMBINATIONS) + 1)}`;
  for (let i = 0; i < COMBINATIONS; i += 1) {
    const person = PERSONS[i % PERSONS.length]!;
    const id = subjectId(i);
    subjects.push({
      localId: id,
      kind: 'PERSON',
      gender: person.gender,
      names: [
        { full: person.latin, script: 'Latn', kind: 'PRIMARY', quality: null },
        ...(person.original
          ? [{ full: person.original.full, script: person.original.script, kind: 'ORIGINAL_SCRIPT' as const, quality: null }]
          : []),
      ],
      birthDates: [{ qualifier: 'EXACT', date: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`, from: null, to: null }],
      nationalities: [person.nationality],
      documents: [{ type: 'PASSPORT', number: `CP${pad(i + 1)}${person.nationality}7`, issuingCountry: person.nationality }],
    });
    labels[id] = labelsOf(i, i);
  }
  for (let i = 0; i < COMBINATIONS; i += 1) {
    const id = `CN-${pad(i + 1)}`;
    notices.push({
      localId: id,
      colour: (['RED', 'YELLOW', 'BLUE', 'DIFFUSION'] as const)[i % 4]!,
      status: (['ACTIVE', 'CANCELLED', 'EXPIRED'] as const)[i % 3]!,
      subjectLocalId: subjectId(i * 3),
      reference: `CONF-N/${pad(i + 1)}-2024`,
      title: noticeTitle(i),
      charges: noticeCharges(i),
      // Dates in another order than ids: a list ordered by a withheld date does not look ordered by id.
      issuedOn: day((i * 17) % COMBINATIONS),
      requestingCountry: i % 5 === 0 ? null : PERSONS[i % PERSONS.length]!.nationality,
      recipients: i % 4 === 3 ? ['TH-RTP', 'DE-BKA'] : [],
    });
    labels[id] = labelsOf(i * 7 + 3, i + 1);
  }
  for (let i = 0; i < COMBINATIONS; i += 1) {
    const id = `CC-${pad(i + 1)}`;
    cases.push({
      localId: id,
      reference: `CONF-C/${pad(i + 1)}`,
      title: [{ language: 'en', text: `Conformance case ${i + 1}`, original: true }],
      crimeTypes: [(['TELECOM_FRAUD', 'DRUG_TRAFFICKING', 'MONEY_LAUNDERING'] as const)[i % 3]!],
      status: (['OPEN', 'UNDER_INVESTIGATION', 'SUSPENDED', 'CLOSED'] as const)[i % 4]!,
      openedOn: day(((i * 23) % COMBINATIONS) * 2),
      subjects: [
        { subjectLocalId: subjectId(i * 7), role: 'SUSPECT' },
        { subjectLocalId: subjectId(i * 11 + 1), role: 'WITNESS' },
      ],
      participatingAgencies: i % 3 === 0 ? ['TH-RTP'] : [],
    });
    labels[id] = labelsOf(i * 13 + 5, i + 2);
  }
  return {
    format: DATASET_FORMAT,
    description:
      'The conformance data set of the records federation (docs/conformance.md): 50 subjects, 50 notices and 50 cases, ' +
      'every combination of TLP label, audience and discoverability for each kind, linked across labels. Invented names.',
    subjects,
    notices,
    cases,
    labels,
  };
}

/** The names of each invented person's subjects share a part no other person's have (the name filter check asks for it). */
export const NAME_PARTS: readonly string[] = PERSONS.map((person) => person.surname);
