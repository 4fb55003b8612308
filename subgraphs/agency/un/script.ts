// The ISO 15924 script of a name, from its letters. The UN gives no script code; names in
// the list are in Latin, Arabic, Cyrillic or Chinese characters, sometimes mixed (an Arabic
// name followed by its transliteration), where the script with the most letters wins.

const SCRIPTS: readonly (readonly [string, RegExp])[] = [
  ['Latn', /\p{Script=Latin}/u],
  ['Arab', /\p{Script=Arabic}/u],
  ['Cyrl', /\p{Script=Cyrillic}/u],
  ['Hani', /\p{Script=Han}/u],
  ['Hang', /\p{Script=Hangul}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Grek', /\p{Script=Greek}/u],
  ['Hebr', /\p{Script=Hebrew}/u],
  ['Deva', /\p{Script=Devanagari}/u],
];

/** The script most letters of `text` are written in; Zyyy (undetermined) when none is known. */
export function scriptOf(text: string): string {
  const counts = new Map<string, number>();
  for (const char of text) {
    const script = SCRIPTS.find(([, pattern]) => pattern.test(char))?.[0];
    if (script) counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  let best = 'Zyyy';
  let most = 0;
  for (const [script, count] of counts) {
    if (count > most) [best, most] = [script, count];
  }
  return best;
}
