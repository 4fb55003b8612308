import type { Disclosure, ScreeningKeys } from '../store/rows.js';
import { identifiesPerson, scoreCandidate, type Candidate, type MatchReason, type ScreeningQuestion } from './match.js';
import { documentKey, nameKeys } from './normalize.js';

// THE screening rule for records disclosed HIT_ONLY, in one place. A HIT_ONLY subject may be
// found, so its owner can be asked, but nothing it withholds may answer the question, not
// even by deciding whether or how well it matches:
//   - only name keys find it (a document number finds records disclosed in full only);
//   - it is scored on the name alone, and coarsely (steps of 0.05), so its score is no
//     oracle for its date of birth, nationality or documents;
//   - its hit carries owner, id and score: no matched name, no explanation;
//   - only a question that identifies a person finds it (match.ts `identifiesPerson`: two or
//     more of its words, and all but one, each match a part of one of the record's names),
//     so a withheld name cannot be confirmed one part at a time ("DAVIES", then "MATTHEW"),
//     by prefixes ("DAVIES Ma") or by padding a question with guesses;
//   - and only at a score of WITHHELD_MIN_SCORE or more, whatever minScore the caller asks.

/** The lowest score at which a record not disclosed in full is a hit. */
export const WITHHELD_MIN_SCORE = 0.8;

/** What one question looks up in the screening index, split by what each key may find. */
export function screeningKeys(question: ScreeningQuestion): ScreeningKeys {
  const document = question.documentNumber ? documentKey(question.documentNumber) : null;
  // The one place a ScreeningKeys value is made (the brand exists in types only).
  return { anyVisible: nameKeys(question.name), fullOnly: document ? [document] : [] } as unknown as ScreeningKeys;
}

/** A hit as it may leave the node: what matched only where the record is disclosed in full. */
export interface ScoredHit {
  score: number;
  matchedName: string | null;
  reasons: MatchReason[] | null;
}

/** Scores one candidate as its disclosure allows; null when nothing matched. */
export function scoreAsDisclosed(question: ScreeningQuestion, candidate: Candidate, disclosure: Disclosure): ScoredHit | null {
  if (disclosure === 'FULL') {
    const result = scoreCandidate(question, candidate);
    return result && { score: result.score, matchedName: result.matchedName, reasons: result.reasons };
  }
  if (!identifiesPerson(question.name, candidate.names)) return null;
  const result = scoreCandidate({ name: question.name }, { names: candidate.names, birthDates: [], nationalities: [], documents: [] });
  if (!result) return null;
  const score = Math.floor(result.score * 20) / 20;
  return score >= WITHHELD_MIN_SCORE ? { score, matchedName: null, reasons: null } : null;
}
