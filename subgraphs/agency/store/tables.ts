// Kysely's view of a node's tables (camelCase here, snake_case in SQL via CamelCasePlugin).
// Enumerated columns carry the contract's unions, so rows map onto GraphQL types unchanged.

import type { HandlingCode, Tlp } from '../policy/policy.js';
import type {
  CaseRole,
  CaseStatus,
  CrimeType,
  DateQualifier,
  DocumentType,
  Gender,
  NameKind,
  NoticeColour,
  NoticeStatus,
  SubjectKind,
} from './records.js';

/** Disclosure labels every record table carries. */
export interface LabelColumns {
  tlp: Tlp;
  handling: HandlingCode;
  /** 1 or 0: may the record's existence be revealed as a hit. */
  discoverable: number;
}

export interface SubjectsTable extends LabelColumns {
  localId: string;
  kind: SubjectKind;
  gender: Gender | null;
}

export interface SubjectNamesTable {
  subjectId: string;
  ordinal: number;
  full: string;
  script: string;
  kind: NameKind;
  quality: 'GOOD' | 'LOW' | null;
}

export interface SubjectBirthDatesTable {
  subjectId: string;
  ordinal: number;
  qualifier: DateQualifier;
  date: string | null;
  dateFrom: string | null;
  dateTo: string | null;
}

export interface SubjectNationalitiesTable {
  subjectId: string;
  ordinal: number;
  country: string;
}

export interface SubjectDocumentsTable {
  subjectId: string;
  ordinal: number;
  type: DocumentType;
  number: string;
  issuingCountry: string | null;
}

export interface NoticesTable extends LabelColumns {
  localId: string;
  colour: NoticeColour;
  status: NoticeStatus;
  subjectId: string;
  reference: string;
  issuedOn: string;
  requestingCountry: string | null;
}

export interface NoticeRecipientsTable {
  noticeId: string;
  ordinal: number;
  agency: string;
}

/** Localised text of any record; ownerId is the record's local id, field e.g. "title". */
export interface TextsTable {
  ownerId: string;
  field: string;
  ordinal: number;
  language: string;
  text: string;
  original: number;
}

export interface CasesTable extends LabelColumns {
  localId: string;
  reference: string;
  status: CaseStatus;
  openedOn: string;
}

export interface CaseCrimeTypesTable {
  caseId: string;
  crimeType: CrimeType;
}

export interface CaseSubjectsTable {
  caseId: string;
  ordinal: number;
  subjectId: string;
  role: CaseRole;
}

export interface CaseAgenciesTable {
  caseId: string;
  ordinal: number;
  agency: string;
}

/** Whom the owner releases a record to: agency codes and trust-circle codes. */
export interface ReleasabilityTable {
  recordId: string;
  audience: string;
}

/** One entry of the owner's hash-chained ledger (docs/audit.md). */
export interface AuditLedgerTable {
  sequence: number;
  recordedAt: string;
  event: string;
  callerAgency: string;
  callerSub: string;
  purpose: string;
  operation: string;
  /** JSON array of global record ids. */
  recordIds: string;
  disclosure: string | null;
  detail: string | null;
  previousHash: string;
  hash: string;
}

export interface AccessRequestsTable {
  localId: string;
  /** Local id of the requested record. */
  recordId: string;
  requesterAgency: string;
  requesterSub: string;
  purpose: string;
  justification: string;
  idempotencyKey: string;
  status: 'PENDING' | 'APPROVED' | 'DENIED';
  requestedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  note: string | null;
  expiresAt: string | null;
}

/** One entry of the UN Security Council Consolidated List, behind a UN_SPECIAL notice and its subject (docs/un-import.md). */
export interface UnListingsTable {
  noticeId: string;
  subjectId: string;
  referenceNumber: string;
  dataId: string;
  versionNumber: number | null;
  listType: string;
  listedOn: string;
  comments: string | null;
  firstName: string;
  secondName: string | null;
  thirdName: string | null;
  fourthName: string | null;
  /** JSON arrays: of dates, of strings, of strings, of UnPlace, of UnPlace. */
  lastUpdated: string;
  titles: string;
  designations: string;
  placesOfBirth: string;
  addresses: string;
  /** JSON object: the entry's elements the other columns and records hold only in part; null when none. */
  raw: string | null;
  /** Generation date of the first imported list without the entry; null while it is listed. */
  delistedOn: string | null;
  /** Hash of the entry as last imported, to tell changed entries from unchanged ones. */
  fingerprint: string;
}

/** Screening blocking keys of a subject (s: skeleton, m: metaphone, c: compact name, d: document). */
export interface ScreeningKeysTable {
  subjectId: string;
  key: string;
}

/** A receipt another node (the witness) signed for one of this owner's ledger heads. */
export interface AuditReceiptsTable {
  witness: string;
  sequence: number;
  hash: string;
  countersignedAt: string;
  /** The witness's signed receipt (compact JWS). */
  receipt: string;
}

/** A head of another agency's ledger this node countersigned as its witness. */
export interface WitnessedHeadsTable {
  agency: string;
  sequence: number;
  hash: string;
  signedAt: string;
  countersignedAt: string;
  /** The owner's signed head and this node's receipt (compact JWS each). */
  head: string;
  receipt: string;
}

/** A signed head this node refused because it contradicts one it countersigned. */
export interface WitnessContradictionsTable {
  agency: string;
  kind: string;
  heldHead: string;
  offeredSequence: number;
  offeredHash: string;
  offeredHead: string;
  recordedAt: string;
}

export interface Tables {
  subjects: SubjectsTable;
  subjectNames: SubjectNamesTable;
  subjectBirthDates: SubjectBirthDatesTable;
  subjectNationalities: SubjectNationalitiesTable;
  subjectDocuments: SubjectDocumentsTable;
  notices: NoticesTable;
  noticeRecipients: NoticeRecipientsTable;
  texts: TextsTable;
  cases: CasesTable;
  caseCrimeTypes: CaseCrimeTypesTable;
  caseSubjects: CaseSubjectsTable;
  caseAgencies: CaseAgenciesTable;
  releasability: ReleasabilityTable;
  auditLedger: AuditLedgerTable;
  accessRequests: AccessRequestsTable;
  screeningKeys: ScreeningKeysTable;
  unListings: UnListingsTable;
  auditReceipts: AuditReceiptsTable;
  witnessedHeads: WitnessedHeadsTable;
  witnessContradictions: WitnessContradictionsTable;
}
