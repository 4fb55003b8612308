import type { Selectable } from 'kysely';
import type { FullAccessClause } from '../policy/policy.js';
import type { CaseStatus, CrimeType, NoticeColour, NoticeStatus, SubjectKind } from './records.js';
import type {
  CaseAgenciesTable,
  CaseCrimeTypesTable,
  CasesTable,
  CaseSubjectsTable,
  NoticeRecipientsTable,
  NoticesTable,
  ReleasabilityTable,
  SubjectBirthDatesTable,
  SubjectDocumentsTable,
  SubjectNamesTable,
  SubjectNationalitiesTable,
  SubjectsTable,
  TextsTable,
  UnListingsTable,
} from './tables.js';

// The rows the store hands out, and the questions it answers. Record rows say at which
// level they are disclosed to the caller they were read for; NONE rows never leave SQL.

export type Disclosure = 'FULL' | 'HIT_ONLY';
type Disclosed<T> = Selectable<T> & { disclosure: Disclosure };

/** The policy's clauses for FULL access of the current caller. */
export type DisclosureScope = readonly FullAccessClause[];

/** The kind of store: the few reads that differ by dialect take it. */
export type StoreDialect = 'sqlite' | 'postgres';

export type SubjectRow = Disclosed<SubjectsTable>;
export type NoticeRow = Disclosed<NoticesTable>;
export type CaseRow = Disclosed<CasesTable>;
export type RecordRow = NoticeRow | SubjectRow | CaseRow;

export type NameRow = Selectable<SubjectNamesTable>;
export type BirthDateRow = Selectable<SubjectBirthDatesTable>;
export type NationalityRow = Selectable<SubjectNationalitiesTable>;
export type DocumentRow = Selectable<SubjectDocumentsTable>;
export type RecipientRow = Selectable<NoticeRecipientsTable>;
export type TextRow = Selectable<TextsTable>;
export type CrimeTypeRow = Selectable<CaseCrimeTypesTable>;
export type CaseSubjectRow = Selectable<CaseSubjectsTable>;
/** A case's participant as it leaves: the link and its subject, read under the link rule. */
export interface CaseParticipantRow extends CaseSubjectRow {
  subject: SubjectRow;
}
export type CaseAgencyRow = Selectable<CaseAgenciesTable>;
export type ReleasabilityRow = Selectable<ReleasabilityTable>;
export type UnListingRow = Selectable<UnListingsTable>;

/** An agency as the records contract refers to it: by code (the directory owns the rest). */
export interface AgencyRef {
  code: string;
}

export interface NoticeQuery {
  first: number;
  colours?: readonly NoticeColour[] | null;
  statuses?: readonly NoticeStatus[] | null;
}

export interface SubjectQuery {
  first: number;
  kinds?: readonly SubjectKind[] | null;
  name?: string | null;
  nationality?: string | null;
}

export interface CaseQuery {
  first: number;
  crimeTypes?: readonly CrimeType[] | null;
  statuses?: readonly CaseStatus[] | null;
}

export interface Holdings {
  notices: number;
  subjects: number;
  cases: number;
}

declare const decidedByScreeningRule: unique symbol;

/**
 * Screening's blocking keys, split by what they may find: `anyVisible` keys find FULL and
 * HIT_ONLY records; `fullOnly` keys (e.g. document numbers) find records disclosed in full only.
 * Which key is which is screening's rule (screening/withheld.ts), not the store's: the brand
 * makes `screeningKeys()` there the only way to build a value of this type.
 */
export interface ScreeningKeys {
  readonly anyVisible: readonly string[];
  readonly fullOnly: readonly string[];
  readonly [decidedByScreeningRule]: true;
}
