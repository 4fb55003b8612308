import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, generateDataset } from '../../subgraphs/agency/seed/generate.js';
import {
  CASE_ROLES,
  CASE_STATUSES,
  CRIME_TYPES,
  DATE_QUALIFIERS,
  DOCUMENT_TYPES,
  NOTICE_STATUSES,
  type AgencyDataset,
  type CrimeType,
  type SubjectRecord,
  type TextRecord,
} from '../../subgraphs/agency/store/records.js';

const AGENCIES = ['INTERPOL', 'EUROPOL', 'ASEANAPOL', 'LMLECC'] as const;
type Agency = (typeof AGENCIES)[number];
type Regional = Exclude<Agency, 'INTERPOL'>;
const DIRECTORY = new Set([
  'INTERPOL',
  'EUROPOL',
  'ASEANAPOL',
  'LMLECC',
  'TH-RTP',
  'VN-MPS',
  'CN-MPS',
  'LA-MPS',
  'MM-MPF',
  'KH-NP',
  'FR-PN',
  'DE-BKA',
]);
const INTERPOL_COLOURS = ['RED', 'YELLOW', 'BLUE', 'BLACK', 'GREEN', 'ORANGE', 'PURPLE', 'SILVER', 'UN_SPECIAL'];

/** `always`: the working languages every text of the agency is given in (docs/languages.md). */
const LANGUAGES: Record<Agency, { originals: string[]; all: string[]; always: string[] }> = {
  INTERPOL: { originals: ['en', 'fr', 'es', 'ar'], all: ['en', 'fr', 'es', 'ar'], always: ['en', 'fr', 'es', 'ar'] },
  EUROPOL: { originals: ['en', 'de', 'fr'], all: ['en', 'de', 'fr'], always: [] },
  ASEANAPOL: { originals: ['en', 'th', 'vi', 'ms', 'id'], all: ['en', 'th', 'vi', 'ms', 'id'], always: [] },
  LMLECC: {
    originals: ['zh', 'th', 'lo', 'my', 'km', 'vi'],
    all: ['zh', 'th', 'lo', 'my', 'km', 'vi', 'en'],
    always: ['zh', 'th', 'lo', 'my', 'km', 'vi', 'en'],
  },
};

const REGIONAL_CRIMES: Record<Regional, { dominant: CrimeType[]; allowed: CrimeType[] }> = {
  LMLECC: {
    dominant: ['DRUG_TRAFFICKING', 'TELECOM_FRAUD'],
    allowed: [
      'DRUG_TRAFFICKING',
      'TELECOM_FRAUD',
      'TRAFFICKING_IN_PERSONS',
      'MONEY_LAUNDERING',
      'FIREARMS_TRAFFICKING',
      'ENVIRONMENTAL_CRIME',
    ],
  },
  ASEANAPOL: {
    dominant: ['TRAFFICKING_IN_PERSONS', 'CYBER_FRAUD'],
    allowed: ['TRAFFICKING_IN_PERSONS', 'CYBER_FRAUD', 'TELECOM_FRAUD', 'DRUG_TRAFFICKING', 'MIGRANT_SMUGGLING'],
  },
  EUROPOL: {
    dominant: ['CYBERCRIME', 'MONEY_LAUNDERING'],
    allowed: [
      'CYBERCRIME',
      'MONEY_LAUNDERING',
      'DRUG_TRAFFICKING',
      'MIGRANT_SMUGGLING',
      'ORGANISED_CRIME',
      'CHILD_SEXUAL_EXPLOITATION',
      'TERRORISM',
      'TELECOM_FRAUD',
    ],
  },
};

const REGIONAL_NATIONALITIES: Partial<Record<Agency, string[]>> = {
  LMLECC: ['CN', 'TH', 'LA', 'MM', 'KH', 'VN'],
  ASEANAPOL: ['TH', 'VN', 'MY', 'ID', 'PH', 'SG', 'KH', 'LA', 'MM', 'BN'],
};

/** Unicode Script property value for each ISO 15924 code the data may use. */
const SCRIPTS: Record<string, string> = {
  Latn: 'Latin',
  Hans: 'Han',
  Thai: 'Thai',
  Laoo: 'Lao',
  Mymr: 'Myanmar',
  Khmr: 'Khmer',
  Arab: 'Arabic',
  Cyrl: 'Cyrillic',
  Deva: 'Devanagari',
};
const LANGUAGE_SCRIPT: Record<string, string> = {
  zh: 'Han',
  th: 'Thai',
  lo: 'Lao',
  my: 'Myanmar',
  km: 'Khmer',
  ar: 'Arabic',
  en: 'Latin',
  fr: 'Latin',
  es: 'Latin',
  de: 'Latin',
  vi: 'Latin',
  ms: 'Latin',
  id: 'Latin',
};
const NATIONAL_SCRIPT: Record<string, string> = {
  CN: 'Hans',
  TH: 'Thai',
  LA: 'Laoo',
  MM: 'Mymr',
  KH: 'Khmr',
  SY: 'Arab',
  IQ: 'Arab',
  EG: 'Arab',
  MA: 'Arab',
  RU: 'Cyrl',
  IN: 'Deva',
};

const hasScript = (text: string, script: string) => new RegExp(`\\p{Script=${script}}`, 'u').test(text);
const onlyScript = (text: string, script: string) =>
  new RegExp(`^[\\p{Script=${script}}\\p{Script=Common}\\p{Script=Inherited}]+$`, 'u').test(text);

function isPartialDate(value: string): boolean {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  if (month < 1 || month > 12) return false;
  if (m[3] === undefined) return true;
  const day = Number(m[3]);
  return day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isRecordDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && isPartialDate(value) && value >= '2015-01-01' && value <= '2026-10-31';
}

const datasets = Object.fromEntries(AGENCIES.map((a) => [a, generateDataset(a)])) as Record<Agency, AgencyDataset>;

function primaryOf(subject: SubjectRecord): string {
  return subject.names.find((n) => n.kind === 'PRIMARY')?.full ?? '';
}

function referencedSubjects(dataset: AgencyDataset): Set<string> {
  return new Set([
    ...dataset.notices.map((n) => n.subjectLocalId),
    ...dataset.cases.flatMap((c) => c.subjects.map((s) => s.subjectLocalId)),
  ]);
}

function expectTexts(texts: TextRecord[], agency: Agency, where: string): void {
  expect(texts.length, where).toBeGreaterThanOrEqual(1);
  expect(texts.length, where).toBeLessThanOrEqual(Math.max(4, LANGUAGES[agency].all.length));
  for (const language of LANGUAGES[agency].always)
    expect(
      texts.map((t) => t.language),
      where,
    ).toContain(language);
  expect(
    texts.filter((t) => t.original),
    where,
  ).toHaveLength(1);
  expect(new Set(texts.map((t) => t.language)).size, where).toBe(texts.length);
  const original = texts.find((t) => t.original);
  expect(LANGUAGES[agency].originals, where).toContain(original?.language);
  for (const t of texts) {
    expect(LANGUAGES[agency].all, where).toContain(t.language);
    expect(t.text.trim().length, where).toBeGreaterThan(0);
    const script = LANGUAGE_SCRIPT[t.language] ?? 'Latin';
    expect(hasScript(t.text, script), `${where}: ${t.language} "${t.text}"`).toBe(true);
    if (script !== 'Latin') expect(hasScript(t.text, 'Latin'), `${where}: ${t.text}`).toBe(false);
  }
}

describe('generateDataset', () => {
  it('is deterministic for an agency and seed, byte for byte', () => {
    for (const agency of AGENCIES) {
      const again = generateDataset(agency);
      expect(again).toEqual(datasets[agency]);
      expect(JSON.stringify(again)).toBe(JSON.stringify(datasets[agency]));
      expect(JSON.stringify(generateDataset(agency, DEFAULT_SEED))).toBe(JSON.stringify(again));
    }
  });

  it("carries translations in INTERPOL's working languages and the Mekong centre's", () => {
    const translated = new Set(
      AGENCIES.flatMap((agency) =>
        [...datasets[agency].notices.flatMap((n) => [...n.title, ...n.charges]), ...datasets[agency].cases.flatMap((c) => c.title)]
          .filter((text) => !text.original)
          .map((text) => text.language),
      ),
    );
    for (const language of ['ar', 'zh', 'fr', 'es', 'th', 'vi', 'lo', 'my', 'km', 'en']) expect(translated, language).toContain(language);
  });

  it('gives different data for a different seed', () => {
    for (const agency of AGENCIES) {
      expect(JSON.stringify(generateDataset(agency, 7))).not.toBe(JSON.stringify(datasets[agency]));
    }
  });

  it('rejects unknown agency codes', () => {
    expect(() => generateDataset('FBI')).toThrow(/FBI/);
    expect(() => generateDataset('interpol')).toThrow();
  });

  it('stays valid for other seeds', () => {
    for (const seed of [1, 2, 3, 0xdeadbeef]) {
      for (const agency of AGENCIES) {
        const d = generateDataset(agency, seed);
        expect(d.subjects.length).toBeGreaterThanOrEqual(240);
        expect(d.cases.filter((c) => c.crimeTypes.includes('TELECOM_FRAUD')).length).toBeGreaterThanOrEqual(10);
      }
    }
  });
});

describe.each(AGENCIES)('%s dataset', (agency) => {
  const d = datasets[agency];
  const subjectIds = new Set(d.subjects.map((s) => s.localId));

  it('names its agency and has the minimum sizes', () => {
    expect(d.agency).toBe(agency);
    expect(d.subjects.length).toBeGreaterThanOrEqual(240);
    expect(d.cases.length).toBeGreaterThanOrEqual(220);
    if (agency === 'INTERPOL') {
      expect(d.notices.length).toBeGreaterThanOrEqual(300);
      expect(d.notices.length).toBeLessThanOrEqual(340);
    } else {
      expect(d.notices.length).toBeGreaterThanOrEqual(80);
      expect(d.notices.length).toBeLessThanOrEqual(120);
    }
  });

  it('numbers ids sequentially, 5 digits zero-padded', () => {
    const expectIds = (ids: string[], prefix: string) =>
      ids.forEach((id, i) => expect(id).toBe(`${prefix}-${String(i + 1).padStart(5, '0')}`));
    expectIds(
      d.subjects.map((s) => s.localId),
      'S',
    );
    expectIds(
      d.notices.map((n) => n.localId),
      'N',
    );
    expectIds(
      d.cases.map((c) => c.localId),
      'C',
    );
  });

  it('has unique, well-formed references matching their dates', () => {
    expect(new Set(d.notices.map((n) => n.reference)).size).toBe(d.notices.length);
    expect(new Set(d.cases.map((c) => c.reference)).size).toBe(d.cases.length);
    for (const n of d.notices) {
      if (agency === 'INTERPOL') {
        const m = /^[A-Z]-\d{1,5}\/(\d{1,2})-(\d{4})$/.exec(n.reference);
        expect(m, n.reference).not.toBeNull();
        expect(Number(m?.[1])).toBe(Number(n.issuedOn.slice(5, 7)));
        expect(m?.[2]).toBe(n.issuedOn.slice(0, 4));
      } else {
        const m = new RegExp(`^${agency}-DIF-(\\d{4})-\\d{4}$`).exec(n.reference);
        expect(m, n.reference).not.toBeNull();
        expect(m?.[1]).toBe(n.issuedOn.slice(0, 4));
      }
    }
    for (const c of d.cases) {
      const m = new RegExp(`^${agency}-(\\d{4})-[A-Z]{2}-\\d{4}$`).exec(c.reference);
      expect(m, c.reference).not.toBeNull();
      expect(m?.[1]).toBe(c.openedOn.slice(0, 4));
    }
  });

  it('issues notices that reference existing subjects, with valid dates and statuses', () => {
    for (const n of d.notices) {
      expect(subjectIds.has(n.subjectLocalId)).toBe(true);
      expect(isRecordDate(n.issuedOn), n.issuedOn).toBe(true);
      expect(NOTICE_STATUSES).toContain(n.status);
    }
    const active = d.notices.filter((n) => n.status === 'ACTIVE').length;
    expect(active / d.notices.length).toBeGreaterThan(0.6);
    expect(d.notices.some((n) => n.status === 'CANCELLED')).toBe(true);
    expect(d.notices.some((n) => n.status === 'EXPIRED')).toBe(true);
  });

  if (agency === 'INTERPOL') {
    it('covers every colour with at least 10 notices and sends no diffusions', () => {
      for (const colour of INTERPOL_COLOURS) {
        expect(d.notices.filter((n) => n.colour === colour).length, colour).toBeGreaterThanOrEqual(10);
      }
      expect(d.notices.some((n) => n.colour === 'DIFFUSION')).toBe(false);
    });

    it('sets the requesting country on every notice but UN special notices', () => {
      for (const n of d.notices) {
        if (n.colour === 'UN_SPECIAL') expect(n.requestingCountry).toBeNull();
        else expect(n.requestingCountry).toMatch(/^[A-Z]{2}$/);
        expect(n.recipients).toEqual([]);
      }
    });

    it('spreads nationalities worldwide and crimes over most types', () => {
      const nationalities = new Set(d.subjects.flatMap((s) => s.nationalities));
      expect(nationalities.size).toBeGreaterThanOrEqual(30);
      expect(new Set(d.cases.flatMap((c) => c.crimeTypes)).size).toBeGreaterThanOrEqual(12);
    });
  } else {
    it('only sends diffusions, each to 1-4 partners', () => {
      for (const n of d.notices) {
        expect(n.colour).toBe('DIFFUSION');
        expect(n.recipients.length).toBeGreaterThanOrEqual(1);
        expect(n.recipients.length).toBeLessThanOrEqual(4);
        expect(new Set(n.recipients).size).toBe(n.recipients.length);
        for (const r of n.recipients) expect(DIRECTORY.has(r), r).toBe(true);
        expect(n.recipients).not.toContain(agency);
        if (n.requestingCountry !== null) expect(n.requestingCountry).toMatch(/^[A-Z]{2}$/);
      }
    });

    it('works mostly on the crimes of its region', () => {
      const { dominant, allowed } = REGIONAL_CRIMES[agency];
      for (const c of d.cases) for (const crime of c.crimeTypes) expect(allowed).toContain(crime);
      const withDominant = d.cases.filter((c) => c.crimeTypes.some((crime) => dominant.includes(crime))).length;
      expect(withDominant / d.cases.length).toBeGreaterThan(0.5);
    });
  }

  it('attaches charges to red notices and diffusions only', () => {
    for (const n of d.notices) {
      if (n.colour === 'RED' || n.colour === 'DIFFUSION') expectTexts(n.charges, agency, `${n.localId} charges`);
      else expect(n.charges).toEqual([]);
    }
  });

  it('writes every title with exactly one original in the agency languages', () => {
    for (const n of d.notices) expectTexts(n.title, agency, `${n.localId} title`);
    for (const c of d.cases) expectTexts(c.title, agency, `${c.localId} title`);
  });

  it('builds cases from existing subjects, with at least one suspect', () => {
    for (const c of d.cases) {
      expect(c.subjects.length).toBeGreaterThanOrEqual(1);
      expect(c.subjects.length).toBeLessThanOrEqual(5);
      expect(new Set(c.subjects.map((s) => s.subjectLocalId)).size).toBe(c.subjects.length);
      for (const s of c.subjects) {
        expect(subjectIds.has(s.subjectLocalId)).toBe(true);
        expect(CASE_ROLES).toContain(s.role);
      }
      expect(c.subjects.some((s) => s.role === 'SUSPECT')).toBe(true);
      expect(c.crimeTypes.length).toBeGreaterThanOrEqual(1);
      expect(c.crimeTypes.length).toBeLessThanOrEqual(3);
      expect(new Set(c.crimeTypes).size).toBe(c.crimeTypes.length);
      for (const crime of c.crimeTypes) expect(CRIME_TYPES).toContain(crime);
      expect(CASE_STATUSES).toContain(c.status);
      expect(isRecordDate(c.openedOn), c.openedOn).toBe(true);
      expect(c.participatingAgencies).toContain(agency);
      expect(new Set(c.participatingAgencies).size).toBe(c.participatingAgencies.length);
      expect(c.participatingAgencies.length).toBeLessThanOrEqual(4);
      for (const a of c.participatingAgencies) expect(DIRECTORY.has(a), a).toBe(true);
    }
    expect(new Set(d.cases.map((c) => c.status)).size).toBe(CASE_STATUSES.length);
  });

  it('has at least 10 telecom fraud cases', () => {
    expect(d.cases.filter((c) => c.crimeTypes.includes('TELECOM_FRAUD')).length).toBeGreaterThanOrEqual(10);
  });

  it('holds about 90% persons and 10% organisations', () => {
    const persons = d.subjects.filter((s) => s.kind === 'PERSON');
    expect(persons.length / d.subjects.length).toBeGreaterThan(0.8);
    expect(persons.length / d.subjects.length).toBeLessThan(0.97);
    for (const s of d.subjects) {
      if (s.kind === 'ORGANISATION') {
        expect(s.gender).toBeNull();
        expect(s.birthDates).toEqual([]);
        expect(s.nationalities).toHaveLength(1);
      } else {
        expect(['MALE', 'FEMALE', 'UNKNOWN']).toContain(s.gender);
        expect(s.nationalities.length).toBeGreaterThanOrEqual(1);
        expect(s.nationalities.length).toBeLessThanOrEqual(2);
      }
      for (const c of s.nationalities) expect(c).toMatch(/^[A-Z]{2}$/);
    }
    const region = REGIONAL_NATIONALITIES[agency];
    if (region !== undefined) for (const s of d.subjects) for (const c of s.nationalities) expect(region).toContain(c);
  });

  it('names every subject once in Latin script, and original-script names in their real script', () => {
    for (const s of d.subjects) {
      const primaries = s.names.filter((n) => n.kind === 'PRIMARY');
      expect(primaries).toHaveLength(1);
      expect(primaries[0]?.script).toBe('Latn');
      expect(primaries[0]?.quality).toBeNull();
      expect(hasScript(primaries[0]?.full ?? '', 'Latin'), primaries[0]?.full).toBe(true);
      const aliases = s.names.filter((n) => n.kind === 'ALIAS');
      expect(aliases.length).toBeLessThanOrEqual(3);
      for (const n of s.names) {
        const script = SCRIPTS[n.script] ?? '';
        expect(script, n.script).not.toBe('');
        expect(hasScript(n.full, script), `${n.script}: ${n.full}`).toBe(true);
        expect(onlyScript(n.full, script), `${n.script}: ${n.full}`).toBe(true);
        if (n.kind === 'ORIGINAL_SCRIPT') expect(n.script).not.toBe('Latn');
        if (n.kind !== 'ALIAS') expect(n.quality).toBeNull();
        else expect([null, 'GOOD', 'LOW']).toContain(n.quality);
      }
    }
  });

  it('writes names of non-Latin-script nationals in their script too', () => {
    const persons = d.subjects.filter((s) => s.kind === 'PERSON' && s.nationalities[0] !== undefined);
    for (const [country, code] of Object.entries(NATIONAL_SCRIPT)) {
      const nationals = persons.filter((s) => s.nationalities[0] === country);
      if (agency === 'INTERPOL') expect(nationals.length, country).toBeGreaterThan(0);
      for (const s of nationals) {
        expect(
          s.names.some((n) => n.kind === 'ORIGINAL_SCRIPT' && n.script === code),
          primaryOf(s),
        ).toBe(true);
      }
    }
    // Vietnamese is written in Latin script, with diacritics.
    const vietnamese = persons.filter((s) => s.nationalities[0] === 'VN');
    for (const s of vietnamese) expect(s.names.some((n) => n.kind === 'ORIGINAL_SCRIPT')).toBe(false);
    if (vietnamese.length > 0) expect(vietnamese.some((s) => /[^\p{ASCII}]/u.test(primaryOf(s)))).toBe(true);
  });

  it('records birth dates at every precision, valid and in range', () => {
    const persons = d.subjects.filter((s) => s.kind === 'PERSON');
    const qualifiers = new Set(persons.flatMap((s) => s.birthDates.map((b) => b.qualifier)));
    expect([...qualifiers].sort()).toEqual([...DATE_QUALIFIERS].sort());
    expect(persons.some((s) => s.birthDates.length === 0)).toBe(true);
    expect(persons.some((s) => s.birthDates.length === 2)).toBe(true);
    const dates = persons.flatMap((s) => s.birthDates);
    expect(dates.some((b) => b.qualifier === 'EXACT' && b.date?.length === 4)).toBe(true);
    expect(dates.filter((b) => b.qualifier === 'EXACT' && b.date?.length === 10).length / dates.length).toBeGreaterThan(0.5);
    for (const b of dates) {
      const inRange = (v: string) => isPartialDate(v) && v >= '1900' && v <= '2026-10-31';
      if (b.qualifier === 'BETWEEN') {
        expect(b.date).toBeNull();
        expect(inRange(b.from ?? '') && inRange(b.to ?? ''), JSON.stringify(b)).toBe(true);
        expect((b.from ?? '') < (b.to ?? '')).toBe(true);
      } else {
        expect(inRange(b.date ?? ''), JSON.stringify(b)).toBe(true);
        expect(b.from).toBeNull();
        expect(b.to).toBeNull();
      }
    }
  });

  it('gives 0-3 identity documents with plausible numbers', () => {
    for (const s of d.subjects) {
      expect(s.documents.length).toBeLessThanOrEqual(3);
      for (const doc of s.documents) {
        expect(DOCUMENT_TYPES).toContain(doc.type);
        expect(doc.number).toMatch(/^[A-Z0-9][A-Z0-9-]{5,20}$/);
        if (doc.issuingCountry !== null) expect(doc.issuingCountry).toMatch(/^[A-Z]{2}$/);
      }
    }
    expect(d.subjects.some((s) => s.documents.some((doc) => doc.type === 'PASSPORT'))).toBe(true);
  });
});

describe('cross-store subjects', () => {
  // The same document in two stores is how an analyst links records: use it to find the shared persons.
  const holders = new Map<string, { agency: Agency; subject: SubjectRecord }[]>();
  for (const agency of AGENCIES) {
    for (const subject of datasets[agency].subjects) {
      for (const doc of subject.documents) {
        if (doc.type !== 'PASSPORT' || doc.issuingCountry === null) continue;
        const key = `${doc.issuingCountry}:${doc.number}`;
        holders.set(key, [...(holders.get(key) ?? []), { agency, subject }]);
      }
    }
  }
  const linked = [...holders.values()].filter((h) => new Set(h.map((x) => x.agency)).size >= 2);

  it('finds persons on file at several agencies under differently spelled names', () => {
    const spelledApart = linked.filter((h) => new Set(h.map((x) => primaryOf(x.subject))).size >= 2);
    expect(spelledApart.length).toBeGreaterThanOrEqual(5);
    expect(linked.some((h) => new Set(h.map((x) => x.agency)).size >= 3)).toBe(true);
  });

  it('keeps their nationality and lists them in notices or cases of every store holding them', () => {
    for (const h of linked) {
      expect(new Set(h.map((x) => x.subject.nationalities.join('+'))).size).toBe(1);
      for (const { agency, subject } of h) {
        expect(referencedSubjects(datasets[agency]).has(subject.localId), `${agency} ${primaryOf(subject)}`).toBe(true);
      }
    }
  });
});
