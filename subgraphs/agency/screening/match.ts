import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import { compareBirthDates, type BirthDate, type DateAgreement } from './dates.js';
import { documentKey, nameTokens, skeleton } from './normalize.js';

// Scores one candidate subject against a screening question and says why. Pure: the
// store has already retrieved the candidates through its keys, under the caller's scope.

export interface ScreeningQuestion {
  name: string;
  dateOfBirth?: string | null;
  nationality?: string | null;
  documentNumber?: string | null;
}

export interface Candidate {
  names: readonly string[];
  birthDates: readonly BirthDate[];
  nationalities: readonly string[];
  documents: readonly string[];
}

export interface MatchReason {
  field: 'NAME' | 'DATE_OF_BIRTH' | 'NATIONALITY' | 'DOCUMENT';
  outcome: 'MATCH' | 'PARTIAL' | 'CONFLICT';
  detail: string;
}

export interface MatchResult {
  score: number;
  matchedName: string;
  reasons: MatchReason[];
}

/** Below this a token pair does not count as the same name part. */
const TOKEN_FLOOR = 0.8;

/** How alike two name tokens are: spelling (Jaro-Winkler) or sound (consonant skeleton). */
function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const spelling = jaroWinkler(a, b);
  const bonesA = skeleton(a);
  const bonesB = skeleton(b);
  const sound = bonesA.length >= 2 && bonesA === bonesB ? 0.93 : 0;
  return Math.max(spelling, sound);
}

/** Name particles that one source writes and another leaves out: missing them costs nothing. */
export const PARTICLES = new Set([
  'al',
  'el',
  'ul',
  'bin',
  'ibn',
  'bint',
  'binti',
  'van',
  'von',
  'de',
  'da',
  'di',
  'del',
  'der',
  'la',
  'le',
]);

/** A missing or extra name part weighs this much against the matched ones. */
const EXTRA_ASKED = 0.5;
const EXTRA_KNOWN = 0.25;

interface NameMatch {
  score: number;
  pairs: [string, string, number][];
  exact: boolean;
}

/**
 * Name similarity, independent of token order: every asked token is paired with its most
 * alike unused token of the candidate name. A missing or extra name part costs a little, a
 * part without a counterpart on both sides costs much. Names written as one word in one
 * source and several in another are also compared whole.
 */
function nameSimilarity(askedTokens: readonly string[], name: string): NameMatch {
  const tokens = nameTokens(name);
  if (askedTokens.length === 0 || tokens.length === 0) return { score: 0, pairs: [], exact: false };
  const alike: { i: number; j: number; a: string; b: string; similarity: number }[] = [];
  askedTokens.forEach((a, i) =>
    tokens.forEach((b, j) => {
      const similarity = tokenSimilarity(a, b);
      if (similarity >= TOKEN_FLOOR) alike.push({ i, j, a, b, similarity });
    }),
  );
  const chosen = bestPairs(alike);
  const usedAsked = new Set(chosen.map((pair) => pair.i));
  const usedName = new Set(chosen.map((pair) => pair.j));
  const pairs = chosen.map((pair): [string, string, number] => [pair.a, pair.b, pair.similarity]);
  const total = chosen.reduce((sum, pair) => sum + pair.similarity, 0);
  const unmatched = (list: readonly string[], used: Set<number>) => list.filter((token, i) => !used.has(i) && !PARTICLES.has(token)).length;
  const extraAsked = unmatched(askedTokens, usedAsked);
  const extraKnown = unmatched(tokens, usedName);
  const tokenScore = pairs.length === 0 ? 0 : total / (pairs.length + EXTRA_ASKED * extraAsked + EXTRA_KNOWN * extraKnown);
  const exact = extraAsked === 0 && extraKnown === 0 && pairs.every(([a, b]) => a === b);
  if (tokenScore >= 0.95) return { score: tokenScore, pairs, exact };
  // Whole names count only from 0.95, which Jaro-Winkler cannot reach for lengths less alike
  // than 3:4 (Jaro is at most (2 + shorter/longer) / 3, the prefix boost adds at most 40 % of
  // what is left): most candidates are settled here without comparing whole names.
  const [asked, known] = [askedTokens.join(''), tokens.join('')];
  if (Math.min(asked.length, known.length) < 0.75 * Math.max(asked.length, known.length)) return { score: tokenScore, pairs, exact };
  const whole = Math.max(jaroWinkler(asked, known), jaroWinkler([...askedTokens].sort().join(''), [...tokens].sort().join('')));
  return { score: Math.max(tokenScore, whole >= 0.95 ? whole : 0), pairs, exact };
}

/**
 * Whether a question names a person well enough to find a record it may not read in full
 * (screening/withheld.ts): at least two words of the question, and all of its words but one,
 * each match a distinct part of one of the record's names as a whole word. A word is what
 * the question separates by spaces or commas ("Jean-Pierre", "MacDonald" and "小明" are one
 * word each, however many tokens they transliterate to); particles and parts shorter than
 * three letters do not count; "alike" is strict here (the same word, a close spelling of
 * about the same length, or the same consonant skeleton of four or more), so a prefix
 * ("Ma") or a skeleton ("Mt") cannot stand in for a name part, and padding a question with
 * guesses does not help.
 */
export function identifiesPerson(askedName: string, names: readonly string[]): boolean {
  const words = askedName
    .split(/[\s,]+/)
    .map((word) => nameTokens(word).filter(countsAsPart))
    .filter((tokens) => tokens.length > 0);
  if (words.length < 2) return false;
  return names.some((name) => {
    const known = nameTokens(name).filter(countsAsPart);
    // Each (question word, record part) pair that is strictly alike; each side used once.
    const alikePairs = words.flatMap((tokens, i) =>
      known.flatMap((b, j) => {
        const alike = tokens.filter((a) => strictlyAlike(a, b)).map((a) => tokenSimilarity(a, b));
        return alike.length > 0 ? [{ i, j, similarity: Math.max(...alike) }] : [];
      }),
    );
    const matched = bestPairs(alikePairs).length;
    return matched >= 2 && words.length - matched <= 1;
  });
}

const countsAsPart = (token: string) => token.length >= 3 && !PARTICLES.has(token);

/**
 * The same name part, strictly: equal, a close spelling of about the same length, or the same
 * consonant skeleton of four or more (a name written without vowels, "mhmd" for Muhammad; a
 * shorter skeleton is guessed too easily: "jms" would confirm James).
 */
function strictlyAlike(a: string, b: string): boolean {
  if (a === b) return true;
  const lengths = Math.min(a.length, b.length) / Math.max(a.length, b.length);
  if (lengths >= 0.75 && jaroWinkler(a, b) >= 0.9) return true;
  const bones = skeleton(a);
  return bones.length >= 4 && bones === skeleton(b);
}

/** Pairs of the most alike first, each left (i) and right (j) item used at most once. */
function bestPairs<Pair extends { i: number; j: number; similarity: number }>(candidates: Pair[]): Pair[] {
  const usedLeft = new Set<number>();
  const usedRight = new Set<number>();
  const chosen: Pair[] = [];
  for (const pair of [...candidates].sort((x, y) => y.similarity - x.similarity)) {
    if (usedLeft.has(pair.i) || usedRight.has(pair.j)) continue;
    usedLeft.add(pair.i);
    usedRight.add(pair.j);
    chosen.push(pair);
  }
  return chosen;
}

function explainName(name: string, pairs: [string, string, number][]): string {
  const fuzzy = pairs.filter(([a, b]) => a !== b).map(([a, b, s]) => `${a}~${b} ${s.toFixed(2)}`);
  return `"${name}"${fuzzy.length ? `: ${fuzzy.join(', ')}` : ': same name parts'}`;
}

const DATE_EFFECT: Record<DateAgreement, number> = { EXACT: 0.06, SAME_YEAR: 0.04, COMPATIBLE: 0.02, CONFLICT: -0.2, UNKNOWN: 0 };

export function scoreCandidate(question: ScreeningQuestion, candidate: Candidate): MatchResult | null {
  const askedTokens = nameTokens(question.name);
  let best = { score: 0, name: '', pairs: [] as [string, string, number][], exact: false };
  for (const name of candidate.names) {
    const match = nameSimilarity(askedTokens, name);
    if (match.score > best.score) best = { ...match, name };
  }
  const reasons: MatchReason[] = [];
  let score = best.score;
  if (best.score > 0) {
    reasons.push({ field: 'NAME', outcome: best.exact ? 'MATCH' : 'PARTIAL', detail: explainName(best.name, best.pairs) });
  }

  const askedDocument = question.documentNumber ? documentKey(question.documentNumber) : null;
  if (askedDocument) {
    const known = candidate.documents.map(documentKey);
    if (known.includes(askedDocument)) {
      score = Math.max(score, 0.9) + 0.1;
      reasons.push({ field: 'DOCUMENT', outcome: 'MATCH', detail: `document ${question.documentNumber} is on file` });
    } else if (known.length > 0) {
      score -= 0.05;
      reasons.push({ field: 'DOCUMENT', outcome: 'CONFLICT', detail: 'no document on file has this number' });
    }
  }
  if (best.score === 0 && !reasons.some((r) => r.field === 'DOCUMENT' && r.outcome === 'MATCH')) return null;

  if (question.dateOfBirth) {
    const agreement = compareBirthDates(question.dateOfBirth, candidate.birthDates);
    score += DATE_EFFECT[agreement];
    if (agreement !== 'UNKNOWN') {
      reasons.push({
        field: 'DATE_OF_BIRTH',
        outcome: agreement === 'CONFLICT' ? 'CONFLICT' : agreement === 'COMPATIBLE' ? 'PARTIAL' : 'MATCH',
        detail: `${question.dateOfBirth} ${agreement === 'CONFLICT' ? 'differs from' : 'agrees with'} ${candidate.birthDates
          .map((d) => (d.qualifier === 'BETWEEN' ? `${d.from}..${d.to}` : `${d.qualifier === 'APPROXIMATELY' ? '~' : ''}${d.date}`))
          .join(', ')}`,
      });
    }
  }
  if (question.nationality && candidate.nationalities.length > 0) {
    const asked = question.nationality.toUpperCase();
    const matches = candidate.nationalities.includes(asked);
    score += matches ? 0.03 : -0.08;
    reasons.push({
      field: 'NATIONALITY',
      outcome: matches ? 'MATCH' : 'CONFLICT',
      detail: `${asked} ${matches ? 'is' : 'is not'} among ${candidate.nationalities.join(', ')}`,
    });
  }
  return { score: Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000, matchedName: best.name || candidate.names[0]!, reasons };
}
