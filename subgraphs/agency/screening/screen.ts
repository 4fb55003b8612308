import { createHash } from 'node:crypto';
import type { NodeContext } from '../context.js';
import { badUserInput } from '../errors.js';
import { screeningCandidates } from '../store/screening.js';
import type { SubjectRow } from '../store/store.js';
import { scoreCandidate, type MatchReason, type ScreeningQuestion } from './match.js';
import { documentKey, nameKeys } from './normalize.js';

// One node's answer to a screening question: candidates from the index (never a scan,
// never a record the caller may not know of), scored in memory, best first.

/** How many candidates the index hands to scoring: the ones sharing the most keys. */
const CANDIDATES = 150;

export interface ScreeningHitModel {
  score: number;
  subject: SubjectRow;
  matchedName: string;
  reasons: MatchReason[];
}

function questionFingerprint(question: ScreeningQuestion): string {
  const canonical = [question.name.trim().toLowerCase(), question.dateOfBirth ?? '', (question.nationality ?? '').toUpperCase(), question.documentNumber ?? ''];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export function validateQuestion(question: ScreeningQuestion, minScore: number, first: number): void {
  const name = question.name.trim();
  if (name.length < 2 || name.length > 200) throw badUserInput('person.name must be 2 to 200 characters.');
  if (question.dateOfBirth && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(question.dateOfBirth)) {
    throw badUserInput('person.dateOfBirth must be ISO 8601: 1961, 1961-03 or 1961-03-05.');
  }
  if (question.nationality && !/^[A-Za-z]{2}$/.test(question.nationality)) {
    throw badUserInput('person.nationality must be an ISO 3166-1 alpha-2 code such as AF.');
  }
  if (!(minScore >= 0 && minScore <= 1)) throw badUserInput(`minScore must be between 0 and 1; got ${minScore}.`);
  if (!Number.isInteger(first) || first < 1 || first > 100) throw badUserInput(`"first" must be between 1 and 100; got ${first}.`);
}

export async function screen(context: NodeContext, question: ScreeningQuestion, minScore: number, first: number): Promise<ScreeningHitModel[]> {
  validateQuestion(question, minScore, first);
  const keys = nameKeys(question.name);
  const document = question.documentNumber ? documentKey(question.documentNumber) : null;
  if (document) keys.push(document);
  const candidates = await screeningCandidates(context.store, context.scope, keys, CANDIDATES);
  const ids = candidates.map((subject) => subject.localId);
  const { loaders } = context;
  const [names, birthDates, nationalities, documents] = await Promise.all([
    loaders.names.loadMany(ids),
    loaders.birthDates.loadMany(ids),
    loaders.nationalities.loadMany(ids),
    loaders.documents.loadMany(ids),
  ]);
  const rows = <T>(result: T[] | Error | undefined): T[] => {
    if (result instanceof Error) throw result;
    return result ?? [];
  };
  const hits: ScreeningHitModel[] = [];
  candidates.forEach((subject, i) => {
    const full = subject.disclosure === 'FULL';
    const known = {
      names: rows(names[i]).map((n) => n.full),
      birthDates: rows(birthDates[i]).map((d) => ({ qualifier: d.qualifier, date: d.date, from: d.dateFrom, to: d.dateTo })),
      nationalities: rows(nationalities[i]).map((n) => n.country),
      documents: rows(documents[i]).map((d) => d.number),
    };
    // A hit the caller may only know of is scored on the name alone, and coarsely: its score
    // must not become an oracle for the date of birth, nationality or documents it withholds.
    const result = full
      ? scoreCandidate(question, known)
      : scoreCandidate({ name: question.name }, { ...known, birthDates: [], nationalities: [], documents: [] });
    if (!result) return;
    const score = full ? result.score : Math.floor(result.score * 20) / 20;
    if (score >= minScore) hits.push({ ...result, score, subject });
  });
  hits.sort((a, b) => b.score - a.score || a.subject.localId.localeCompare(b.subject.localId));
  const answer = hits.slice(0, first);
  // Every hit that leaves the node is recorded in the owner's ledger, with a fingerprint of
  // the question, so an owner can see the same question asked again and again.
  context.note(answer.map((hit) => hit.subject));
  const fingerprints = context.auditDetail.screening;
  context.auditDetail.screening = fingerprints ? `${fingerprints},${questionFingerprint(question)}` : questionFingerprint(question);
  return answer;
}
