import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentKey } from '../../../subgraphs/agency/screening/normalize.js';
import { scoreAsDisclosed, screeningKeys } from '../../../subgraphs/agency/screening/withheld.js';

// The HIT_ONLY screening rule: a document number never looks up a record that may be
// disclosed as a hit only, and a HIT_ONLY hit carries nothing that matched.

const question = fc.record({
  name: fc.string({ minLength: 2, maxLength: 40 }),
  documentNumber: fc.option(fc.string({ minLength: 0, maxLength: 20 }), { nil: undefined }),
});

describe('screening keys', () => {
  it('put a question’s document key among the full-only keys, never among those that find HIT_ONLY records', () => {
    fc.assert(
      fc.property(question, (q) => {
        const keys = screeningKeys(q);
        const document = q.documentNumber ? documentKey(q.documentNumber) : null;
        if (document) expect(keys.fullOnly).toEqual([document]);
        else expect(keys.fullOnly).toEqual([]);
        // Name keys and document keys live in separate key spaces: no name gives a document key.
        for (const key of keys.anyVisible) expect(key.startsWith('d:')).toBe(false);
      }),
    );
  });
});

describe('scoring as disclosed', () => {
  const candidate = { names: ['Mohammed Ali Hassan'], birthDates: [], nationalities: ['EG'], documents: ['P1234567'] };

  it('scores a HIT_ONLY candidate on the name alone, coarsely, and shows nothing that matched', () => {
    const full = scoreAsDisclosed({ name: 'Mohamed Ali Hasan', nationality: 'EG', documentNumber: 'P1234567' }, candidate, 'FULL')!;
    const hit = scoreAsDisclosed({ name: 'Mohamed Ali Hasan', nationality: 'EG', documentNumber: 'P1234567' }, candidate, 'HIT_ONLY')!;
    expect(full.matchedName).toBe('Mohammed Ali Hassan');
    expect(full.reasons!.map((r) => r.field)).toContain('DOCUMENT');
    expect(hit.matchedName).toBeNull();
    expect(hit.reasons).toBeNull();
    expect(Math.round(hit.score * 20)).toBeCloseTo(hit.score * 20, 9);
    const wrongDocument = scoreAsDisclosed(
      { name: 'Mohamed Ali Hasan', nationality: 'FR', documentNumber: 'X0000000' },
      candidate,
      'HIT_ONLY',
    )!;
    expect(wrongDocument.score).toBe(hit.score);
  });
});
