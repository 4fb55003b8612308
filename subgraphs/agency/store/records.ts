// The records an agency node holds, as the store reads and writes them.
// Local ids are unique within one store; the global id is `<AGENCY>:<localId>`.

import type { HandlingCode, Tlp } from '../policy/policy.js';

export const NOTICE_COLOURS = ['RED', 'YELLOW', 'BLUE', 'BLACK', 'GREEN', 'ORANGE', 'PURPLE', 'SILVER', 'UN_SPECIAL', 'DIFFUSION'] as const;
export type NoticeColour = (typeof NOTICE_COLOURS)[number];

export const NOTICE_STATUSES = ['ACTIVE', 'CANCELLED', 'EXPIRED'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

export const CRIME_TYPES = [
  'TELECOM_FRAUD',
  'CYBER_FRAUD',
  'CYBERCRIME',
  'DRUG_TRAFFICKING',
  'TRAFFICKING_IN_PERSONS',
  'MIGRANT_SMUGGLING',
  'MONEY_LAUNDERING',
  'TERRORISM',
  'FIREARMS_TRAFFICKING',
  'ENVIRONMENTAL_CRIME',
  'CORRUPTION',
  'CHILD_SEXUAL_EXPLOITATION',
  'HOMICIDE',
  'ARMED_ROBBERY',
  'ORGANISED_CRIME',
] as const;
export type CrimeType = (typeof CRIME_TYPES)[number];

export const CASE_STATUSES = ['OPEN', 'UNDER_INVESTIGATION', 'SUSPENDED', 'CLOSED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const SUBJECT_KINDS = ['PERSON', 'ORGANISATION'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const NAME_KINDS = ['PRIMARY', 'ORIGINAL_SCRIPT', 'ALIAS'] as const;
export type NameKind = (typeof NAME_KINDS)[number];

export const DATE_QUALIFIERS = ['EXACT', 'APPROXIMATELY', 'BETWEEN'] as const;
export type DateQualifier = (typeof DATE_QUALIFIERS)[number];

export const DOCUMENT_TYPES = ['PASSPORT', 'NATIONAL_ID', 'DRIVING_LICENCE', 'RESIDENCE_PERMIT', 'OTHER'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const CASE_ROLES = ['SUSPECT', 'ACCOMPLICE', 'VICTIM', 'WITNESS', 'PERSON_OF_INTEREST'] as const;
export type CaseRole = (typeof CASE_ROLES)[number];

export type Gender = 'MALE' | 'FEMALE' | 'UNKNOWN';

export interface NameRecord {
  full: string;
  /** ISO 15924 script code: Latn, Arab, Hans, Thai, Laoo, Mymr, Khmr, Cyrl, ... */
  script: string;
  kind: NameKind;
  /** Alias quality as the owner rates it (UN list: Good / Low); null when unrated. */
  quality: 'GOOD' | 'LOW' | null;
}

/** Dates are ISO 8601 with reduced precision: "1961", "1961-03" or "1961-03-05". */
export interface BirthDateRecord {
  qualifier: DateQualifier;
  date: string | null;
  from: string | null;
  to: string | null;
}

export interface IdentityDocumentRecord {
  type: DocumentType;
  number: string;
  /** ISO 3166-1 alpha-2, null when unknown. */
  issuingCountry: string | null;
}

export interface SubjectRecord {
  localId: string;
  kind: SubjectKind;
  gender: Gender | null;
  names: NameRecord[];
  birthDates: BirthDateRecord[];
  /** ISO 3166-1 alpha-2 codes. */
  nationalities: string[];
  documents: IdentityDocumentRecord[];
}

/** Text meant for people: the original and any translations, each tagged with a BCP 47 language. */
export interface TextRecord {
  language: string;
  text: string;
  original: boolean;
}

export interface NoticeRecord {
  localId: string;
  colour: NoticeColour;
  status: NoticeStatus;
  subjectLocalId: string;
  /** Notice control number as the issuer prints it, e.g. "A-1234/5-2024". */
  reference: string;
  title: TextRecord[];
  charges: TextRecord[];
  /** ISO date. */
  issuedOn: string;
  /** ISO 3166-1 alpha-2 of the requesting country, null for notices issued by the body itself. */
  requestingCountry: string | null;
  /** Agency codes a diffusion was sent to; empty for notices. */
  recipients: string[];
}

export interface CaseSubjectRecord {
  subjectLocalId: string;
  role: CaseRole;
}

export interface CaseRecord {
  localId: string;
  reference: string;
  title: TextRecord[];
  crimeTypes: CrimeType[];
  status: CaseStatus;
  /** ISO date. */
  openedOn: string;
  subjects: CaseSubjectRecord[];
  /** Agency codes (directory codes), the owner included. */
  participatingAgencies: string[];
}

/** The owner's handling instructions for one record (docs/disclosure.md). */
export interface RecordLabels {
  tlp: Tlp;
  handling: HandlingCode;
  /** Agency codes and trust-circle codes the owner releases the record to. */
  releasableTo: string[];
  /** May the record's existence be revealed as a hit to callers who may not see it? */
  discoverable: boolean;
}

/** Public records, such as UN Security Council Special Notices: everyone may see them in full. */
export const PUBLIC_LABELS: RecordLabels = { tlp: 'CLEAR', handling: 'H0', releasableTo: [], discoverable: true };

export interface AgencyDataset {
  agency: string;
  subjects: SubjectRecord[];
  notices: NoticeRecord[];
  cases: CaseRecord[];
  /** Labels of every subject, notice and case, by local id. */
  labels: Record<string, RecordLabels>;
}
