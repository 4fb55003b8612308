import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFederation, type TestFederation } from '../../helpers/federation.js';

// Text for people in the partner's language, through the gateway (docs/languages.md): a
// text field's `lang`, else the request's Accept-Language (most wanted first), else the
// original; a language the owner holds no version in falls back to English, then to the
// original. The demo stores: INTERPOL gives every text in its four working languages,
// LMLECC in the six Mekong languages and English, EUROPOL and ASEANAPOL some texts without
// English. The expected versions are worked out here from the whole set of versions each
// answer lists, by the documented rule; tags in the demo data are bare languages.

let fed: TestFederation;
beforeAll(async () => {
  fed = await startTestFederation();
});
afterAll(async () => {
  await fed?.stop();
});

interface Text {
  text: string;
  language: string;
  original: boolean;
  originalLanguage: string;
  translations: { language: string; text: string }[];
}
interface Notice {
  id: string;
  agency: { code: string };
  disclosure: string;
  title: Text | null;
  charges: Text | null;
  all: Text | null;
}

const TEXT = '{ text language original originalLanguage translations { language text } }';

/** Notices of every agency: the title as asked (`$lang`), and as originally written (`all`, asked in no language). */
function noticesQuery(titleArgs: string): string {
  return `query($first: Int) { notices(first: $first) { id agency { code } disclosure
    title${titleArgs} ${TEXT} charges${titleArgs} ${TEXT} all: title ${TEXT} } }`;
}

/** The documented rule, on bare tags: the first wanted language held, else English, else the original. */
function expectedLanguage(text: Text, wanted: string[]): string {
  const held = new Set([text.originalLanguage, ...text.translations.map((t) => t.language)]);
  if (wanted.length === 0) return text.originalLanguage;
  return [...wanted, 'en'].find((language) => held.has(language)) ?? text.originalLanguage;
}

function expectChosen(text: Text | null, wanted: string[], context: string): void {
  if (!text) return;
  const language = expectedLanguage(text, wanted);
  expect(text.language, context).toBe(language);
  expect(text.original, context).toBe(language === text.originalLanguage);
  if (!text.original) expect(text.translations, context).toContainEqual({ language, text: text.text });
}

async function notices(titleArgs: string, headers: Record<string, string> = {}): Promise<Notice[]> {
  const result = await fed.query<{ notices: Notice[] }>(noticesQuery(titleArgs), { first: 40 }, { headers });
  expect(result.errors).toBeUndefined();
  const list = result.data!.notices;
  // Every agency answers, with texts to choose among.
  expect(new Set(list.map((notice) => notice.agency.code)).size).toBe(4);
  expect(list.filter((notice) => notice.title).length).toBeGreaterThan(40);
  return list;
}

describe('a text field asked for in a language', () => {
  it('gives the original when no language is asked for, saying so', async () => {
    for (const notice of await notices('')) {
      if (!notice.title) continue;
      expect(notice.title).toEqual(notice.all);
      expect(notice.title.original).toBe(true);
      expect(notice.title.language).toBe(notice.title.originalLanguage);
    }
  });

  it('gives the language asked for where the owner holds it, else English, else the original', async () => {
    const list = await notices('(lang: "lo")');
    for (const notice of list) {
      expectChosen(notice.title, ['lo'], `${notice.id} title`);
      expectChosen(notice.charges, ['lo'], `${notice.id} charges`);
      // The original the fallback gives is the same text as the one asked in no language.
      if (notice.title?.original) expect(notice.title.text).toBe(notice.all!.text);
    }
    const languages = (agency: string) => new Set(list.filter((n) => n.agency.code === agency && n.title).map((n) => n.title!.language));
    // LMLECC gives Lao; INTERPOL, which has none, gives English.
    expect([...languages('LMLECC')]).toEqual(['lo']);
    expect([...languages('INTERPOL')]).toEqual(['en']);
  });

  it('falls back to the original where the owner holds neither the language nor English', async () => {
    // EUROPOL and ASEANAPOL write a few texts in another language with no English version.
    const result = await fed.query<{ notices: Notice[]; cases: { title: Text | null; all: Text | null }[] }>(
      `{ notices(first: 100) { title(lang: "km") ${TEXT} all: title ${TEXT} charges(lang: "km") ${TEXT} allCharges: charges ${TEXT} }
         cases(first: 100) { title(lang: "km") ${TEXT} all: title ${TEXT} } }`,
    );
    expect(result.errors).toBeUndefined();
    const { notices: list, cases } = result.data!;
    const pairs = [
      ...list.map((n) => [n.title, n.all] as const),
      ...list.map((n) => [n.charges, (n as unknown as { allCharges: Text | null }).allCharges] as const),
      ...cases.map((c) => [c.title, c.all] as const),
    ];
    const withoutEnglish = pairs.filter(
      ([asked]) =>
        asked && !['en', 'km'].includes(asked.originalLanguage) && !asked.translations.some((t) => ['en', 'km'].includes(t.language)),
    );
    expect(withoutEnglish.length).toBeGreaterThan(0);
    for (const [asked, original] of withoutEnglish) {
      expect(asked).toEqual(original);
      expect(asked!.original).toBe(true);
    }
  });

  it('reads a tag in any case and with a region or script, by its language', async () => {
    for (const lang of ['ZH', 'zh-Hans-CN', 'zh-CN']) {
      const list = await notices(`(lang: "${lang}")`);
      const lmlecc = list.filter((n) => n.agency.code === 'LMLECC' && n.title);
      expect(lmlecc.length).toBeGreaterThan(0);
      for (const notice of lmlecc) expect(notice.title!.language, `${lang} ${notice.id}`).toBe('zh');
    }
  });

  it("follows Accept-Language, most wanted first, when the field names no language; the field's lang wins over it", async () => {
    const header = { 'accept-language': 'de-CH;q=0.5, km-KH, fr;q=0.9, *;q=0.1' };
    for (const notice of await notices('', header)) {
      expectChosen(notice.title, ['km', 'fr', 'de'], `${notice.id} title`);
      expectChosen(notice.charges, ['km', 'fr', 'de'], `${notice.id} charges`);
    }
    for (const notice of await notices('(lang: "ar")', header)) {
      expectChosen(notice.title, ['ar'], `${notice.id} title`);
      // The field without lang beside it still follows the header.
      expectChosen(notice.all, ['km', 'fr', 'de'], `${notice.id} all`);
    }
  });

  it('ignores an Accept-Language that is not one, and gives the originals', async () => {
    for (const notice of await notices('', { 'accept-language': '%%%;q=abc, <script>, en_US, ;;;' })) {
      if (notice.title) expect(notice.title.original).toBe(true);
    }
  });

  it('chooses on every path a text takes: a lookup, a case, a nested record from another node', async () => {
    const result = await fed.query<{
      cases: { id: string; title: Text | null; subjects: { notices: { id: string; title: Text | null }[] }[] }[];
    }>(`{ cases(first: 20, agencies: ["LMLECC", "INTERPOL"]) { id title(lang: "my") ${TEXT}
        subjects { notices { id title(lang: "my") ${TEXT} } } } }`);
    expect(result.errors).toBeUndefined();
    const cases = result.data!.cases;
    expect(cases.filter((c) => c.title).length).toBeGreaterThan(10);
    let nested = 0;
    for (const record of cases) {
      expectChosen(record.title, ['my'], record.id);
      for (const subject of record.subjects)
        for (const notice of subject.notices) {
          nested += notice.title ? 1 : 0;
          expectChosen(notice.title, ['my'], notice.id);
        }
    }
    expect(nested).toBeGreaterThan(0);
    const one = cases.find((c) => c.id.startsWith('LMLECC:') && c.title)!;
    const lookup = await fed.query<{ case: { title: Text } }>(`query($id: ID!) { case(id: $id) { title(lang: "th") ${TEXT} } }`, {
      id: one.id,
    });
    expect(lookup.errors).toBeUndefined();
    expect(lookup.data!.case.title.language).toBe('th');
  });

  it('withholds the text of a record disclosed as a hit only, in every language', async () => {
    const result = await fed.query<{ notices: Notice[] }>(noticesQuery('(lang: "fr")'), { first: 100 }, {});
    const hits = result.data!.notices.filter((notice) => notice.disclosure === 'HIT_ONLY');
    expect(hits.length).toBeGreaterThan(0);
    for (const notice of hits) expect([notice.title, notice.charges, notice.all]).toEqual([null, null, null]);
  });
});

describe('a language that is not a language tag', () => {
  it('is refused once, at the gateway, in one line naming the field', async () => {
    for (const lang of ['not a tag!', '', 'en_US', 'x'.repeat(100)]) {
      const result = await fed.query(`query($lang: String) { notices(first: 1) { title(lang: $lang) { text } } }`, { lang });
      expect(result.data ?? null, lang).toBeNull();
      expect(result.errors, lang).toHaveLength(1);
      const [error] = result.errors!;
      expect(error!.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error!.message).toMatch(/^title\(lang\): must be a BCP 47 language tag such as fr, zh-Hans or pt-BR; got ".{0,45}"\.$/);
    }
  });

  it('is refused by a node asked directly, too: in a literal, a variable, a default, a fragment and on _entities', async () => {
    const url = fed.nodeUrl('INTERPOL');
    const asks: [string, Record<string, unknown>][] = [
      ['{ notices(first: 1) { charges(lang: "??") { text } } }', {}],
      ['query($lang: String) { notices(first: 1) { charges(lang: $lang) { text } } }', { lang: 'en_US' }],
      ['query($lang: String = "not a tag") { notices(first: 1) { charges(lang: $lang) { text } } }', {}],
      ['{ notices(first: 1) { ...text } } fragment text on Notice { charges(lang: "<b>") { text } }', {}],
      [
        'query($r: [_Any!]!, $lang: String) { _entities(representations: $r) { ... on Notice { charges(lang: $lang) { text } } } }',
        { r: [{ __typename: 'Notice', id: 'INTERPOL:N-00001' }], lang: 'x'.repeat(65) },
      ],
    ];
    for (const [query, variables] of asks) {
      const result = await fed.query(query, variables, { url });
      expect(result.data ?? null, query).toBeNull();
      expect(result.errors, query).toHaveLength(1);
      expect(result.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors![0]!.message, query).toMatch(/^charges\(lang\): must be a BCP 47 language tag/);
    }
  });

  it('answers a well-formed tag of any case, and one no version has by falling back', async () => {
    const result = await fed.query<{ notices: Notice[] }>(noticesQuery('(lang: "PT-br")'), { first: 10 });
    expect(result.errors).toBeUndefined();
    for (const notice of result.data!.notices) expectChosen(notice.title, ['pt-BR'], notice.id);
  });
});
