import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedVersion } from '../../../conformance/checks/languages.js';
import {
  acceptedLanguages,
  acceptLanguageHeader,
  chooseVersion,
  isLanguageTag,
  MAX_ACCEPT_HEADER,
  MAX_LANGUAGE_TAG,
} from '../../../lib/language.js';

// The language rule of docs/languages.md, on its own: which tags are tags, what an
// Accept-Language asks for, and which version of a text answers.

describe('isLanguageTag', () => {
  it('accepts a well-formed tag, in any case', () => {
    for (const good of ['fr', 'ZH-hans-cn', 'PT-br', 'sr-Latn', 'zh-Hant-TW', 'iw', 'es-419', 'de-CH-1996'])
      expect(isLanguageTag(good), good).toBe(true);
  });

  it('refuses what is not a tag, and anything longer than any real tag', () => {
    for (const bad of ['', 'en_US', 'not a tag', 'e', '12', 'en-', '-en', '<script>', 'en;q=1', ' fr', 'x'.repeat(MAX_LANGUAGE_TAG + 1)]) {
      expect(isLanguageTag(bad), bad).toBe(false);
    }
  });
});

describe('acceptedLanguages', () => {
  it('lists what the header asks for, most wanted first, leaving out the wildcard and q=0', () => {
    expect(acceptedLanguages('de-CH;q=0.5, km-KH, fr;q=0.9, *;q=0.1, th;q=0')).toEqual(['km-KH', 'fr', 'de-CH']);
    expect(acceptedLanguages('en;q=0.1, th')).toEqual(['th', 'en']);
    expect(acceptedLanguages('ZH-hant-tw, iw')).toEqual(['ZH-hant-tw', 'iw']);
    expect(acceptedLanguages(['fr', 'es;q=0.5'])).toEqual(['fr', 'es']);
  });

  it('treats a missing or malformed header as asking for nothing', () => {
    expect(acceptedLanguages(undefined)).toEqual([]);
    expect(acceptedLanguages('')).toEqual([]);
    expect(acceptedLanguages('*')).toEqual([]);
    expect(acceptedLanguages('%%%;q=abc, <script>, en_US, ;;;')).toEqual([]);
  });

  it('reads at most 16 languages from a header of any size, each once', () => {
    const many = Array.from(
      { length: 5000 },
      (_, i) => `x${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}`,
    );
    const accepted = acceptedLanguages(many.join(', '));
    expect(accepted.length).toBeLessThanOrEqual(16);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(acceptedLanguages('fr, fr, FR, fr;q=0.5')).toEqual(['fr']);
  });

  it('reads whole ranges only: one cut at the kilobyte is left out, not read without its q', () => {
    const filler = Array.from({ length: 200 }, () => 'de;q=0.2').join(', ');
    const header = `th;q=0.9, ${filler}`.slice(0, MAX_ACCEPT_HEADER - 4) + ', xxd;q=0.1';
    expect(acceptedLanguages(header)).toEqual(['th', 'de']);
    expect(acceptedLanguages(`th;q=0.9, ${filler}, xxd;q=0.1`)).toEqual(['th', 'de']);
  });

  it('gives back at most a kilobyte of whole tags, most wanted first', () => {
    // 16 tags of 60 characters: more than a kilobyte together.
    const tags = Array.from(
      { length: 16 },
      (_, i) => `de-CH-1996-x-${String(i).padStart(2, '0')}aaaaaa-bbbbbbbb-cccccccc-dddddddd-eeeeeeee-ff`,
    );
    const header = acceptLanguageHeader(tags);
    expect(header.length).toBeLessThanOrEqual(MAX_ACCEPT_HEADER);
    expect(acceptedLanguages(header)).toEqual(tags.slice(0, acceptedLanguages(header).length));
    expect(acceptedLanguages(header).length).toBeGreaterThan(10);
    expect(acceptLanguageHeader(['fr', 'km'])).toBe('fr, km');
  });
});

describe('chooseVersion', () => {
  const versions = [
    { language: 'th', original: true },
    { language: 'en', original: false },
    { language: 'zh-Hant', original: false },
    { language: 'fr', original: false },
  ];
  const pick = (wanted: string[], among = versions) => chooseVersion(among, wanted)?.language;

  it('gives the original when nothing is asked for, even with English held', () => {
    expect(pick([])).toBe('th');
  });

  it('gives the first language asked for that is held', () => {
    expect(pick(['fr'])).toBe('fr');
    expect(pick(['de', 'fr', 'en'])).toBe('fr');
    expect(pick(['th', 'fr'])).toBe('th');
  });

  it('answers a narrow tag with a broader version, and a broad tag with a narrower one', () => {
    expect(pick(['fr-CA'])).toBe('fr');
    expect(pick(['fr-Latn-x-legal'])).toBe('fr');
    expect(pick(['zh'])).toBe('zh-Hant');
    expect(pick(['zh-Hant-TW'])).toBe('zh-Hant');
    expect(pick(['zh-Hans'])).toBe('en');
    expect(pick(['ZH-hant'])).toBe('zh-Hant');
  });

  it('maps no alias: he is not iw, as every implementation and ICU version agrees', () => {
    expect(pick(['he'], [...versions, { language: 'iw', original: false }])).toBe('en');
    expect(pick(['fra'])).toBe('en');
  });

  it('answers a broad tag with the first of several narrower versions the owner lists', () => {
    expect(pick(['zh'], [...versions, { language: 'zh-Hans', original: false }])).toBe('zh-Hant');
  });

  it('falls back to English, then to the original', () => {
    expect(pick(['km'])).toBe('en');
    expect(pick(['km'], [versions[0]!, versions[3]!])).toBe('th');
    expect(
      pick(
        ['km'],
        [
          { language: 'lo', original: false },
          { language: 'my', original: false },
        ],
      ),
    ).toBe('lo');
    expect(chooseVersion([], ['fr'])).toBeUndefined();
  });

  it('always gives a version held, and never passes over a held language asked for earlier', () => {
    const language = fc.constantFrom<string>('en', 'fr', 'th', 'lo', 'zh', 'ar', 'km', 'vi');
    fc.assert(
      fc.property(
        fc.uniqueArray(language, { minLength: 1, maxLength: 6 }),
        fc.array(language, { maxLength: 4 }),
        fc.nat(),
        (held, wanted, o) => {
          const among = held.map((tag, i) => ({ language: tag, original: i === o % held.length }));
          const chosen = chooseVersion(among, wanted)!;
          expect(among).toContain(chosen);
          const order = [...wanted, 'en'];
          const rank = order.indexOf(chosen.language);
          if (wanted.length === 0) expect(chosen.original).toBe(true);
          else if (rank === -1) {
            // The original, only when nothing asked for (nor English) is held.
            expect(chosen.original).toBe(true);
            expect(order.some((tag) => held.includes(tag))).toBe(false);
          } else expect(order.slice(0, rank).some((tag) => held.includes(tag))).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("the conformance kit's own reading of the rule", () => {
  it('chooses as the node does, for any versions and any languages asked for', () => {
    const tag = fc.constantFrom<string>(
      'en',
      'en-GB',
      'fr',
      'fr-CA',
      'zh',
      'zh-Hant',
      'zh-Hans',
      'zh-Hant-TW',
      'th',
      'km',
      'ar',
      'pt-BR',
      'pt',
    );
    fc.assert(
      fc.property(fc.uniqueArray(tag, { minLength: 1, maxLength: 6 }), fc.array(tag, { maxLength: 4 }), fc.nat(), (held, wanted, o) => {
        const among = held.map((language, i) => ({ language, text: `text in ${language}`, original: i === o % held.length }));
        expect(expectedVersion(among, wanted)).toBe(chooseVersion(among, wanted));
      }),
      { numRuns: 2000 },
    );
  });
});
