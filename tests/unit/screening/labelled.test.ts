import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figures, listedPersons, runQueries, storeWithUnList } from '../../../scripts/screening-eval/evaluate.js';
import { labelledSet, type LabelledQuery } from '../../../scripts/screening-eval/labelled-set.js';
import { PROJECT_ROOT } from '../../../lib/config/project-root.js';
import type { RecordStore } from '../../../subgraphs/agency/store/store.js';

// Screening against the real UN list: a small hand-labelled set with its expected hits,
// and the generated evaluation set's quality on a fixed sample.

const LIST = `${PROJECT_ROOT}/tests/fixtures/un/un-consolidated-2024-09-26.xml`;
let store: RecordStore;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ store, close } = await storeWithUnList(LIST));
});
afterAll(async () => close?.());

const labelled: [string, Partial<LabelledQuery>, string | null][] = [
  ['the issue example', { name: 'Mohamed Taher Anwari', dateOfBirth: '1961', nationality: 'AF' }, 'UNS-TAi.005'],
  ['surname first', { name: 'ANWARI Muhammad Taher' }, 'UNS-TAi.005'],
  ['Arabic script', { name: 'محمد طاهر أنوري' }, 'UNS-TAi.005'],
  ['a Good alias', { name: 'Abdul Latif Mansoor' }, 'UNS-TAi.007'],
  ['Abd al- for Abdul', { name: 'Abd al-Latif Mansur' }, 'UNS-TAi.007'],
  ['a range date of birth', { name: 'Fazl Mohammad Mazloom', dateOfBirth: '1965' }, 'UNS-TAi.023'],
  ['one word for several', { name: 'Shamsurrahman Abdul Zahir' }, 'UNS-TAi.008'],
  ['a typo', { name: 'Sayed Mohammed Haqani' }, 'UNS-TAi.006'],
  ['an innocent traveller', { name: 'Somchai Srisuk', dateOfBirth: '1980' }, null],
  ['another one', { name: 'Maria Fernanda Rossi' }, null],
];

describe('screening the UN list', () => {
  it.each(labelled)('finds %s', async (_what, question, expected) => {
    const query: LabelledQuery = {
      variation: 'alias',
      withDateOfBirth: false,
      name: '',
      dateOfBirth: null,
      nationality: null,
      expected,
      ...question,
    };
    const [outcome] = await runQueries(store, [query]);
    expect(outcome!.top?.id ?? null).toBe(expected);
  });

  it('meets recall 0.95 at precision 0.90 on a sample of the generated evaluation set', async () => {
    const sample = labelledSet(await listedPersons(store)).filter((_query, i) => i % 10 === 0);
    const result = figures(await runQueries(store, sample));
    expect(sample.length).toBeGreaterThan(300);
    expect(result.recall).toBeGreaterThanOrEqual(0.95);
    expect(result.precision).toBeGreaterThanOrEqual(0.9);
  });
});
