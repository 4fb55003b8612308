import anyAscii from 'any-ascii';
import { doubleMetaphone } from 'double-metaphone';
import { LRUCache } from 'lru-cache';

// Names as screening compares them: any script transliterated to Latin (any-ascii),
// case and diacritics folded, split into tokens. Keys for index-backed candidate
// retrieval are derived from the tokens: a consonant skeleton (robust to vowels and
// transliteration: Muhammad / Mohamed / محمد -> "mhmd") and the Double Metaphone code.

/** Screening compares the same stored names again and again: remember the most used ones' tokens. */
const TOKEN_CACHE_LIMIT = 200_000;
const tokenCache = new LRUCache<string, string[]>({ max: TOKEN_CACHE_LIMIT });
const skeletonCache = new LRUCache<string, string>({ max: TOKEN_CACHE_LIMIT });

/** Lower-case ASCII tokens of a name in any script. */
export function nameTokens(name: string): string[] {
  let tokens = tokenCache.get(name);
  if (!tokens) {
    // any-ascii writes Chinese as capitalised syllables without spaces ("WangWei"): split them.
    const latin = anyAscii(name.normalize('NFC')).replace(/([a-z])([A-Z])/g, '$1 $2');
    tokens = latin
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((token) => token.length > 0);
    tokenCache.set(name, tokens);
  }
  return tokens;
}

/**
 * Consonants only (y and w count as vowels), digraphs reduced, repeats collapsed. Scripts
 * that write no short vowels then agree with Latin spellings: Muhammad, Mohamed and
 * محمد ("mhmd") all give "mhmd"; Taher and طاهر ("thr") give "tr"; Ahmad stays "hmd".
 */
export function skeleton(token: string): string {
  let bones = skeletonCache.get(token);
  if (bones === undefined) {
    bones = token
      .replace(/[aeiouyw]/g, '')
      .replace(/([kgtdscpz])h/g, '$1')
      .replace(/(.)\1+/g, '$1');
    skeletonCache.set(token, bones);
  }
  return bones;
}

export function metaphone(token: string): string {
  return doubleMetaphone(token)[0];
}

/** Blocking keys of one name: what the store indexes and what a query looks up. */
export function nameKeys(name: string): string[] {
  const keys = new Set<string>();
  const tokens = nameTokens(name);
  for (const token of tokens) {
    const bones = skeleton(token);
    if (bones.length >= 2) keys.add(`s:${bones}`);
    if (token.length >= 3) keys.add(`m:${metaphone(token)}`);
  }
  // Names written as one word in one source and several in another (Abdulrahman / Abd al-Rahman).
  const compact = skeleton(tokens.join(''));
  if (tokens.length > 1 && compact.length >= 3) keys.add(`c:${compact}`);
  if (tokens.length === 1 && skeleton(tokens[0]!).length >= 3) keys.add(`c:${skeleton(tokens[0]!)}`);
  return [...keys];
}

/** Identity document numbers compared without spaces, dashes or case. */
export function documentKey(number: string): string | null {
  const folded = anyAscii(number)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
  return folded.length >= 4 ? `d:${folded}` : null;
}
