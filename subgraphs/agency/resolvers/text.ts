import type { LocalizedText } from '../generated/resolvers-types.js';
import type { TextRow } from '../store/rows.js';

/** The original text with its translations, or null when the record has none. */
export function localizedText(rows: readonly TextRow[]): LocalizedText | null {
  const original = rows.find((row) => row.original) ?? rows[0];
  if (!original) return null;
  return {
    text: original.text,
    language: original.language,
    translations: rows.filter((row) => row !== original).map((row) => ({ language: row.language, text: row.text })),
  };
}
