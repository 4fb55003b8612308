import { graphqlBody, type Credentials } from '../client.js';
import type { Check, Kit } from '../kit.js';
import { json, shown } from './show.js';

// Languages (docs/languages.md): a text field answers in its `lang`, else in the request's
// Accept-Language (by q, then order), each tag or a broader one, else a narrower one; then
// English, then the original; with nothing asked, the original. It says which language it
// gives and whether that is the original, and lists every translation. A `lang` that is not
// a BCP 47 tag is refused. The kit works the answer out itself from the data set, read by
// an officer of the owner (who reads every record in full).

interface Version {
  language: string;
  text: string;
  original: boolean;
}

/** The federation's operation limit on aliases. */
const MAX_ALIASES = 30;

const TEXT = '{ text language original originalLanguage translations { language text } }';
/** One way of asking: an Accept-Language header (or none), the languages it asks for by q, and the fields asked with it. */
interface Asking {
  header?: string;
  accepted: string[];
  asks: { alias: string; field: 'title' | 'charges'; lang?: string }[];
}

const ASKINGS: readonly Asking[] = [
  {
    accepted: [],
    asks: [
      { alias: 'plain', field: 'title' },
      { alias: 'plainCharges', field: 'charges' },
      { alias: 'fr', field: 'title', lang: 'fr' },
      { alias: 'km', field: 'charges', lang: 'km' },
      { alias: 'zh', field: 'title', lang: 'zh' },
      // Any case; a tag no version has falls back.
      { alias: 'zhHant', field: 'title', lang: 'ZH-hant' },
      { alias: 'ptBR', field: 'charges', lang: 'pt-BR' },
    ],
  },
  {
    // By q: km (held by none), then zh-Hant-TW (the Thai titles' zh-Hant), then fr. Read in written order, fr would win.
    header: 'fr;q=0.5, km, zh-Hant-TW;q=0.9',
    accepted: ['km', 'zh-Hant-TW', 'fr'],
    asks: [
      { alias: 'accepted', field: 'title' },
      { alias: 'acceptedCharges', field: 'charges' },
      { alias: 'langOverHeader', field: 'title', lang: 'ar' },
    ],
  },
  // q=0 is "not this one": the Thai titles give English, not zh-Hant.
  { header: 'zh-Hant;q=0, km;q=0.5', accepted: ['km'], asks: [{ alias: 'refused', field: 'title' }] },
  // Any language at all is no preference: the original.
  { header: '*', accepted: [], asks: [{ alias: 'any', field: 'title' }] },
];

/** The contract's rule, worked out by the kit: the version the node must give. */
export function expectedVersion(versions: readonly Version[], wanted: readonly string[]): Version | undefined {
  const original = versions.find((version) => version.original) ?? versions[0];
  if (wanted.length === 0) return original;
  const tagOf = (version: Version) => version.language.toLowerCase();
  for (const asked of [...wanted, 'en'].map((tag) => tag.toLowerCase())) {
    const parts = asked.split('-');
    for (let n = parts.length; n > 0; n -= 1) {
      const range = parts.slice(0, n).join('-');
      const exact = versions.find((version) => tagOf(version) === range);
      if (exact) return exact;
    }
    const narrower = versions.find((version) => tagOf(version).startsWith(`${asked}-`));
    if (narrower) return narrower;
  }
  return original;
}

function sameText(got: unknown, versions: readonly Version[], wanted: readonly string[]): string | undefined {
  const expected = expectedVersion(versions, wanted);
  const original = versions.find((version) => version.original) ?? versions[0];
  if (!expected || !original) return got === null ? undefined : 'a text for a record that has none';
  const value = got as {
    text?: unknown;
    language?: unknown;
    original?: unknown;
    originalLanguage?: unknown;
    translations?: unknown;
  } | null;
  if (!value) return 'no text';
  const translations = versions.filter((version) => version !== original).map(({ language, text }) => `${language}:${text}`);
  const gotTranslations = Array.isArray(value.translations)
    ? (value.translations as { language?: unknown; text?: unknown }[]).map((t) => `${String(t.language)}:${String(t.text)}`)
    : [];
  const problems = [
    value.text !== expected.text && `text ${JSON.stringify(value.text)}, not ${JSON.stringify(expected.text)}`,
    value.language !== expected.language && `language ${JSON.stringify(value.language)}, not "${expected.language}"`,
    value.original !== (expected === original) && `original ${String(value.original)}, not ${String(expected === original)}`,
    value.originalLanguage !== original.language &&
      `originalLanguage ${JSON.stringify(value.originalLanguage)}, not "${original.language}"`,
    [...gotTranslations].sort().join('|') !== [...translations].sort().join('|') && `translations ${gotTranslations.join(', ')}`,
  ].filter(Boolean);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

const languagesOwner = (kit: Kit) => kit.caller(kit.node.agency, ['officer'], 'languages');

export const LANGUAGE_CHECKS: Check[] = [
  {
    name: 'contract.languages',
    group: 'Contract',
    promise:
      "a text field gives its `lang`, else the request's Accept-Language (by q), a tag or a broader one, else a narrower one, then English, then the original (the original when nothing is asked); it says its language, whether it is the original, and lists every translation",
    run: async (kit, fail) => {
      const credentials = await kit.as(languagesOwner(kit));
      let examined = 0;
      for (const { header, accepted, asks } of ASKINGS) {
        const sent: Credentials = header ? { ...credentials, acceptLanguage: header } : credentials;
        // Each lookup and each of its texts is an alias: within the federation's 30.
        const perRequest = Math.floor(MAX_ALIASES / (asks.length + 1));
        for (let start = 0; start < kit.dataset.notices.length; start += perRequest) {
          const batch = kit.dataset.notices.slice(start, start + perRequest);
          const selection = asks.map((ask) => `${ask.alias}: ${ask.field}${ask.lang ? `(lang: "${ask.lang}")` : ''} ${TEXT}`).join(' ');
          const fields = batch.map((notice, i) => `r${i}: notice(id: "${kit.globalId(notice.localId)}") { ${selection} }`);
          const exchange = await kit.client.post(`{ ${fields.join(' ')} }`, undefined, sent);
          const body = graphqlBody(exchange);
          if (body.errors?.length) {
            fail({
              request: exchange.request,
              got: shown(exchange),
              contract: 'well-formed tags and any Accept-Language are answered without an error',
            });
            continue;
          }
          const data = body.data ?? {};
          batch.forEach((notice, i) => {
            const value = data[`r${i}`] as Record<string, unknown> | null | undefined;
            if (!value) {
              fail({
                request: exchange.request,
                got: shown(exchange),
                contract: `the owner's officer reads notice ${notice.localId} in full`,
              });
              return;
            }
            for (const ask of asks) {
              const wanted = ask.lang ? [ask.lang] : accepted;
              const problem = sameText(value[ask.alias], notice[ask.field], wanted);
              examined += 1;
              if (problem)
                fail({
                  request: exchange.request,
                  got: `${notice.localId} ${ask.alias}: ${problem} (${json(value[ask.alias])})`,
                  contract: `${ask.field}${ask.lang ? `(lang: "${ask.lang}")` : ''}${header ? ` with Accept-Language: ${header}` : ''} gives "${expectedVersion(notice[ask.field], wanted)?.language}"`,
                });
            }
          });
        }
      }
      return `${examined} texts`;
    },
  },
  {
    name: 'contract.language-tags',
    group: 'Contract',
    promise:
      'a `lang` that is not a BCP 47 language tag is refused with BAD_USER_INPUT, and no text is given; a well-formed one of any case is answered',
    run: async (kit, fail) => {
      const credentials = await kit.as(languagesOwner(kit));
      const id = kit.globalId(kit.dataset.notices[0]!.localId);
      /** One notice's title asked in `lang`: the answer, its errors and its title. */
      const titleIn = async (lang: string) => {
        const exchange = await kit.client.post(
          'query ($id: ID!, $lang: String) { notice(id: $id) { title(lang: $lang) { text } } }',
          { id, lang },
          credentials,
        );
        const body = graphqlBody(exchange);
        const title = (body.data?.notice as { title?: { text?: unknown } | null } | null | undefined)?.title;
        return { exchange, errors: body.errors ?? [], title };
      };
      const bad = ['en_US', 'not a tag', '<b>', 'x'.repeat(100)];
      for (const lang of bad) {
        const { exchange, errors, title } = await titleIn(lang);
        const refused = errors.some((error) => error.extensions?.code === 'BAD_USER_INPUT');
        if (!refused || (title !== undefined && title !== null))
          fail({
            request: exchange.request,
            got: shown(exchange),
            contract: `lang ${JSON.stringify(lang.slice(0, 20))} is refused with BAD_USER_INPUT`,
          });
      }
      for (const lang of ['zh-Hant-TW', 'PT-br', 'es-419']) {
        const { exchange, errors, title } = await titleIn(lang);
        if (errors.length > 0 || typeof title?.text !== 'string')
          fail({
            request: exchange.request,
            got: shown(exchange),
            contract: `lang "${lang}", a well-formed tag, is answered (falling back where the owner lacks it)`,
          });
      }
      return `${bad.length} malformed tags, 3 well-formed`;
    },
  },
];
