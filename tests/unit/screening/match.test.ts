import { describe, expect, it } from 'vitest';
import { scoreCandidate, type Candidate } from '../../../subgraphs/agency/screening/match.js';
import { nameKeys } from '../../../subgraphs/agency/screening/normalize.js';

// Each kind of variation real names need, on its own, against the default threshold.

const THRESHOLD = 0.8;

function person(names: string[], extra: Partial<Candidate> = {}): Candidate {
  return { names, birthDates: [], nationalities: [], documents: [], ...extra };
}

const ANWARI = person(['MUHAMMAD TAHER ANWARI', 'محمد طاهر انوری', 'Mohammad Tahre'], {
  birthDates: [{ qualifier: 'APPROXIMATELY', date: '1961', from: null, to: null }],
  nationalities: ['AF'],
  documents: ['OR 801168'],
});

const score = (name: string, candidate: Candidate = ANWARI, extra: object = {}) =>
  scoreCandidate({ name, ...extra }, candidate)?.score ?? 0;

describe('name matching', () => {
  it.each([
    ['case and diacritics', 'muhammad táhér ANWARI'],
    ['token order', 'ANWARI Muhammad Taher'],
    ['a missing middle name', 'Muhammad Anwari'],
    ['Muhammad / Mohammed', 'Mohammed Taher Anwari'],
    ['Muhammad / Mohamed', 'Mohamed Taher Anwari'],
    ['a small spelling error', 'Muhamad Taher Anwary'],
    ['two letters swapped', 'Muhammad Tahre Anwari'],
    ['the original script', 'محمد طاهر انوری'],
  ])('matches %s', (_what, name) => {
    expect(score(name)).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('matches an extra middle name', () => {
    expect(score('Muhammad Taher Ahmad Anwari')).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('matches Abd al- / Abdul and Yusuf / Youssef', () => {
    const candidate = person(['ABDUL RAHMAN YUSUF AL-SAMARRAI']);
    expect(score('Abd al-Rahman Youssef al-Samarrai', candidate)).toBeGreaterThanOrEqual(THRESHOLD);
    expect(score('Abdulrahman Yusuf Samarrai', candidate)).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('compares names in Arabic and Chinese script through transliteration', () => {
    expect(score('محمد طاهر انوري', person(['MUHAMMAD TAHER ANWARI']))).toBeGreaterThanOrEqual(THRESHOLD);
    expect(score('王伟', person(['WANG Wei']))).toBeGreaterThanOrEqual(THRESHOLD);
    expect(score('Wei Wang', person(['王伟']))).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('does not match different people', () => {
    for (const name of ['Somchai Srisuk', 'Maria Rossi', 'Ahmad Shah Massoud', 'Taher Yuldashev']) {
      expect(score(name), name).toBeLessThan(THRESHOLD);
    }
  });

  it('gives index keys that the variants share, so candidates are found without a scan', () => {
    const stored = new Set(['MUHAMMAD TAHER ANWARI', 'محمد طاهر انوری'].flatMap(nameKeys));
    for (const asked of ['Mohamed Taher Anwari', 'ANWARI Muhammad', 'محمد طاهر انوري', 'Muhamad Tahir']) {
      expect(
        nameKeys(asked).some((key) => stored.has(key)),
        asked,
      ).toBe(true);
    }
  });
});

describe('other evidence', () => {
  it('lets a conflicting date of birth lower the score and a missing one leave it', () => {
    const plain = score('Mohamed Taher Anwari');
    expect(score('Mohamed Taher Anwari', ANWARI, { dateOfBirth: '1962' })).toBeGreaterThanOrEqual(plain);
    expect(score('Mohamed Taher Anwari', ANWARI, { dateOfBirth: '1990-05-01' })).toBeLessThan(plain - 0.1);
    expect(score('Mohamed Taher Anwari', person([...ANWARI.names]), { dateOfBirth: '1990' })).toBe(plain);
  });

  it('understands exact, year-only, approximate and range dates', () => {
    // A name short of a middle part scores below 1, so the date's effect shows.
    const dated = (birthDates: Candidate['birthDates']) => person(['Ali Reza Karimi'], { birthDates });
    const base = score('Ali Karimi', dated([]));
    expect(base).toBeLessThan(0.95);
    expect(
      score('Ali Karimi', dated([{ qualifier: 'EXACT', date: '1970-02-03', from: null, to: null }]), { dateOfBirth: '1970-02-03' }),
    ).toBeGreaterThan(base);
    expect(
      score('Ali Karimi', dated([{ qualifier: 'EXACT', date: '1970', from: null, to: null }]), { dateOfBirth: '1970-02-03' }),
    ).toBeGreaterThan(base);
    expect(
      score('Ali Karimi', dated([{ qualifier: 'APPROXIMATELY', date: '1968', from: null, to: null }]), { dateOfBirth: '1970' }),
    ).toBeGreaterThan(base);
    expect(
      score('Ali Karimi', dated([{ qualifier: 'BETWEEN', date: null, from: '1965', to: '1969' }]), { dateOfBirth: '1967' }),
    ).toBeGreaterThan(base);
    expect(
      score('Ali Karimi', dated([{ qualifier: 'BETWEEN', date: null, from: '1965', to: '1969' }]), { dateOfBirth: '1980' }),
    ).toBeLessThan(base);
  });

  it('raises the score for the same nationality and lowers it for another', () => {
    const plain = score('Mohamed Taher Anwari');
    expect(score('Mohamed Taher Anwari', ANWARI, { nationality: 'af' })).toBeGreaterThan(plain);
    expect(score('Mohamed Taher Anwari', ANWARI, { nationality: 'FR' })).toBeLessThan(plain);
  });

  it('treats a matching document number as strong evidence, however it is written', () => {
    expect(score('M. T. Anwari', ANWARI, { documentNumber: 'or-801168' })).toBeGreaterThanOrEqual(0.95);
    expect(score('M. T. Anwari', ANWARI)).toBeLessThan(THRESHOLD);
  });

  it('explains which fields matched and how', () => {
    const result = scoreCandidate({ name: 'Mohamed Taher Anwari', dateOfBirth: '1961', nationality: 'AF' }, ANWARI)!;
    expect(result.matchedName).toBe('MUHAMMAD TAHER ANWARI');
    // 1961 against "approximately 1961" agrees, but only approximately.
    expect(result.reasons.map((r) => [r.field, r.outcome])).toEqual([
      ['NAME', 'PARTIAL'],
      ['DATE_OF_BIRTH', 'PARTIAL'],
      ['NATIONALITY', 'MATCH'],
    ]);
    expect(result.reasons[0]!.detail).toMatch(/mohamed~muhammad/);
  });
});

describe('dates of birth as precise as both sides know them', () => {
  const born = (date: string) => person(['Ali Reza Karimi'], { birthDates: [{ qualifier: 'EXACT', date, from: null, to: null }] });
  const plain = score('Ali Karimi', person(['Ali Reza Karimi']));

  it('lets a different month or day of the same year conflict', () => {
    expect(score('Ali Karimi', born('1961-07-09'), { dateOfBirth: '1961-03-05' })).toBeLessThan(plain);
    expect(score('Ali Karimi', born('1961-05-01'), { dateOfBirth: '1961-03' })).toBeLessThan(plain);
  });

  it('agrees as far as the less precise side goes', () => {
    expect(score('Ali Karimi', born('1961'), { dateOfBirth: '1961-03-05' })).toBeGreaterThan(plain);
    expect(score('Ali Karimi', born('1961-03-05'), { dateOfBirth: '1961-03' })).toBeGreaterThan(plain);
    expect(score('Ali Karimi', born('1961-03-05'), { dateOfBirth: '1961-03-05' })).toBeGreaterThan(
      score('Ali Karimi', born('1961-03-05'), { dateOfBirth: '1961' }),
    );
  });
});
