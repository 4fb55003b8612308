import { createHash } from 'node:crypto';
import { COUNTRY_CODE, NAME_LENGTH, PARTIAL_DATE } from '../../../schema/argument-rules.js';
import { badUserInput } from '../errors.js';
import type { RecordReader } from '../reader/record-reader.js';
import type { SubjectRow } from '../store/rows.js';
import type { ScreeningQuestion } from './match.js';
import { scoreAsDisclosed, screeningKeys, type ScoredHit } from './withheld.js';

// One node's answer to a screening question: candidates from the index (never a scan,
// never a record the caller may not know of), scored in memory as each one's disclosure
// allows (withheld.ts), best first. The reader records the hits that leave.

/** How many candidates the index hands to scoring: the ones sharing the most keys. */
const CANDIDATES = 150;

export interface ScreeningHitModel extends ScoredHit {
  subject: SubjectRow;
}

function questionFingerprint(question: ScreeningQuestion): string {
  const canonical = [
    question.name.trim().toLowerCase(),
    question.dateOfBirth ?? '',
    (question.nationality ?? '').toUpperCase(),
    question.documentNumber ?? '',
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export function validateQuestion(question: ScreeningQuestion, minScore: number): void {
  const name = question.name.trim();
  if (name.length < NAME_LENGTH.min || name.length > NAME_LENGTH.max) {
    throw badUserInput(`person.name must be ${NAME_LENGTH.min} to ${NAME_LENGTH.max} characters.`);
  }
  if (question.dateOfBirth && !PARTIAL_DATE.test(question.dateOfBirth)) {
    throw badUserInput('person.dateOfBirth must be ISO 8601: 1961, 1961-03 or 1961-03-05.');
  }
  if (question.nationality && !COUNTRY_CODE.test(question.nationality)) {
    throw badUserInput('person.nationality must be an ISO 3166-1 alpha-2 code such as AF.');
  }
  if (!(minScore >= 0 && minScore <= 1)) {
    throw badUserInput(`minScore must be between 0 and 1; got ${minScore}.`);
  }
}

/** `first` is a page size already checked by the caller (0-100, like every list). */
export async function screen(
  reader: RecordReader,
  question: ScreeningQuestion,
  minScore: number,
  first: number,
): Promise<ScreeningHitModel[]> {
  validateQuestion(question, minScore);
  return reader.screen(screeningKeys(question), CANDIDATES, questionFingerprint(question), async (candidates) => {
    // Names score every candidate. The rest is read only where it can count: for records
    // disclosed in full (the others are scored on their names alone, withheld.ts), and only
    // the fields the question asks about (match.ts compares nothing else).
    const full = candidates.filter((subject) => subject.disclosure === 'FULL');
    const readFor = <K extends 'birthDates' | 'nationalities' | 'documents'>(kind: K, asked: unknown) =>
      asked ? reader.contentOfEach(kind, full) : Promise.resolve(full.map(() => []));
    const [names, birthDates, nationalities, documents] = await Promise.all([
      reader.contentOfEach('names', candidates),
      readFor('birthDates', question.dateOfBirth),
      readFor('nationalities', question.nationality),
      readFor('documents', question.documentNumber),
    ]);
    const ofFull = new Map(full.map((subject, i) => [subject, i]));
    const hits: ScreeningHitModel[] = [];
    candidates.forEach((subject, i) => {
      const f = ofFull.get(subject);
      const candidate = {
        names: names[i]!.map((n) => n.full),
        birthDates:
          f === undefined ? [] : birthDates[f]!.map((d) => ({ qualifier: d.qualifier, date: d.date, from: d.dateFrom, to: d.dateTo })),
        nationalities: f === undefined ? [] : nationalities[f]!.map((n) => n.country),
        documents: f === undefined ? [] : documents[f]!.map((d) => d.number),
      };
      const scored = scoreAsDisclosed(question, candidate, subject.disclosure);
      if (scored && scored.score >= minScore) hits.push({ ...scored, subject });
    });
    hits.sort((a, b) => b.score - a.score || a.subject.localId.localeCompare(b.subject.localId));
    return hits.slice(0, first);
  });
}
