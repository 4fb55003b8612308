import { chooseVersion, isLanguageTag } from '../../../lib/language.js';
import { badUserInput } from '../errors.js';
import type { LocalizedText } from '../generated/resolvers-types.js';
import type { NodeContext } from '../context.js';
import type { TextRow } from '../store/rows.js';

/** A text as the store holds one version of it. */
export interface TextVersionRow {
  readonly language: string;
  readonly text: string;
  readonly original: number | boolean;
}

/**
 * The text in the language asked for, else English, else the original (lib/language.ts),
 * with every translation the owner holds; null when the record has no such text.
 */
export function localizedText(rows: readonly TextVersionRow[], wanted: readonly string[]): LocalizedText | null {
  const versions = rows.map((row) => ({ language: row.language, text: row.text, original: Boolean(row.original) }));
  // A text whose versions name no original was written in its first.
  const original = versions.find((version) => version.original) ?? versions[0];
  if (!original) return null;
  const chosen = chooseVersion(versions, wanted) ?? original;
  return {
    text: chosen.text,
    language: chosen.language,
    original: chosen === original,
    originalLanguage: original.language,
    translations: versions.filter((version) => version !== original).map(({ language, text }) => ({ language, text })),
  };
}

/** The languages a text field is asked for in: its `lang`, else the request's Accept-Language. */
export function wantedLanguages(lang: string | null | undefined, context: NodeContext): readonly string[] {
  if (lang == null) return context.languages;
  // The argument rules refuse a malformed tag before execution; this holds should a path ever miss them.
  if (!isLanguageTag(lang)) throw badUserInput('lang must be a BCP 47 language tag such as fr, zh-Hans or pt-BR.');
  return [lang];
}

/** A record's text field, in the language asked for. */
export async function textField(
  rows: Promise<readonly TextRow[]>,
  lang: string | null | undefined,
  context: NodeContext,
): Promise<LocalizedText | null> {
  return localizedText(await rows, wantedLanguages(lang, context));
}
