import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PARTICLES } from '../../../subgraphs/agency/screening/match.js';
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

describe('what finds a record not disclosed in full', () => {
  const candidate = { names: ['Matthew James Wilson', 'WILSON, Matt'], birthDates: [], nationalities: ['GB'], documents: [] };
  const asHitOnly = (name: string) => scoreAsDisclosed({ name }, candidate, 'HIT_ONLY');

  it('is never a single name part, though the same part still finds a record disclosed in full', () => {
    for (const part of ['Wilson', 'WILSON', 'Matthew', 'Wilsen', 'James']) {
      expect(asHitOnly(part), part).toBeNull();
      expect(scoreAsDisclosed({ name: part }, candidate, 'FULL'), part).not.toBeNull();
    }
  });

  it('is never a question of several words of which only one matches, nor one padded with particles or initials', () => {
    for (const name of ['Wilson Okafor', 'Chen Wilson Li', 'al Wilson', 'van der Wilson', 'M. Wilson', 'M J Wilson']) {
      expect(asHitOnly(name), name).toBeNull();
    }
  });

  it('is never a known part plus a prefix or a skeleton of another, letter by letter', () => {
    // ("Wilson Mat" is another matter: the record's alias is "WILSON, Matt".)
    for (const name of ['Wilson Ma', 'Wilson Mt', 'Wilson Ja', 'Wilson Jam', 'Wilson Jms', 'Wi Ma']) {
      expect(asHitOnly(name), name).toBeNull();
    }
  });

  it('is never a known part padded with guesses, whatever score the caller would accept', () => {
    const guesses = ['ha', 'he', 'ja', 'jo', 'ma', 'mi', 'pe', 'py'].join(' ');
    const common = 'James John Robert Michael William David Richard Joseph Thomas Charles Wilson Smith Jones Brown';
    for (const name of [`Wilson ${guesses}`, common]) {
      expect(scoreAsDisclosed({ name }, candidate, 'HIT_ONLY'), name).toBeNull();
    }
  });

  it('counts one word of the question once, however many tokens it transliterates to', () => {
    const chinese = { names: ['王小明', 'WANG Xiaoming'], birthDates: [], nationalities: [], documents: [] };
    const scots = { names: ['Ian MacDonald'], birthDates: [], nationalities: [], documents: [] };
    expect(scoreAsDisclosed({ name: '小明' }, chinese, 'HIT_ONLY')).toBeNull();
    expect(scoreAsDisclosed({ name: 'MacDonald' }, scots, 'HIT_ONLY')).toBeNull();
    expect(scoreAsDisclosed({ name: 'Wilson Wilson' }, candidate, 'HIT_ONLY')).toBeNull();
  });

  it('is a question that identifies the person: two or more of its words, all but one matching', () => {
    for (const name of ['Matthew Wilson', 'WILSON Matthew', 'Mathew Willson', 'Matthew James Wilson', 'Wilson Matt']) {
      expect(asHitOnly(name), name).not.toBeNull();
    }
    expect(
      scoreAsDisclosed({ name: '王 小明' }, { names: ['王小明'], birthDates: [], nationalities: [], documents: [] }, 'FULL'),
    ).not.toBeNull();
  });

  it('holds for any one word asked, whatever the record is named', () => {
    // One name part each (a change of case inside a word splits it: "WangWei" is two parts).
    const word = fc.stringMatching(/^[A-Z][a-z]{1,11}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), word, (nameParts, asked) => {
        const record = { names: [nameParts.join(' ')], birthDates: [], nationalities: [], documents: [] };
        expect(scoreAsDisclosed({ name: asked }, record, 'HIT_ONLY')).toBeNull();
        // Even one of its own parts, exactly, or glued to another.
        expect(scoreAsDisclosed({ name: nameParts[0]! }, record, 'HIT_ONLY')).toBeNull();
        expect(scoreAsDisclosed({ name: nameParts.join('') }, record, 'HIT_ONLY')).toBeNull();
      }),
    );
  });

  it('always finds a record by its own name of two or more parts', () => {
    // A part is a word that counts: particles (van, bin, del ...) do not (docs/screening.md).
    const word = fc.stringMatching(/^[A-Z][a-z]{2,11}$/).filter((w) => !PARTICLES.has(w.toLowerCase()));
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 2, maxLength: 4, selector: (w) => w.toLowerCase() }), (nameParts) => {
        const record = { names: [nameParts.join(' ')], birthDates: [], nationalities: [], documents: [] };
        expect(scoreAsDisclosed({ name: nameParts.join(' ') }, record, 'HIT_ONLY')).not.toBeNull();
      }),
    );
  });
});
