import type { Kysely, Selectable } from 'kysely';
import { shapedStatement } from './shaped-statement.js';
import type { Tables } from './tables.js';

// The content of records: their names, dates, lists and texts, read by the ids of records
// already read under a caller's scope. One spec per kind and one reader for all of them.

interface ContentSpec {
  table: keyof Tables;
  /** The column naming the record a row belongs to (what a batch groups by). */
  key: string;
  order?: string;
  /** For the texts table: which field of the record. */
  field?: string;
}

export const CONTENT = {
  names: { table: 'subjectNames', key: 'subjectId', order: 'ordinal' },
  birthDates: { table: 'subjectBirthDates', key: 'subjectId', order: 'ordinal' },
  nationalities: { table: 'subjectNationalities', key: 'subjectId', order: 'ordinal' },
  documents: { table: 'subjectDocuments', key: 'subjectId', order: 'ordinal' },
  recipients: { table: 'noticeRecipients', key: 'noticeId', order: 'ordinal' },
  titles: { table: 'texts', key: 'ownerId', order: 'ordinal', field: 'title' },
  charges: { table: 'texts', key: 'ownerId', order: 'ordinal', field: 'charges' },
  crimeTypes: { table: 'caseCrimeTypes', key: 'caseId', order: 'crimeType' },
  caseAgencies: { table: 'caseAgencies', key: 'caseId', order: 'ordinal' },
  caseLinksOfCase: { table: 'caseSubjects', key: 'caseId', order: 'ordinal' },
  caseLinksOfSubject: { table: 'caseSubjects', key: 'subjectId', order: 'caseId' },
  releasability: { table: 'releasability', key: 'recordId', order: 'audience' },
  unListingOfNotice: { table: 'unListings', key: 'noticeId' },
  unListingOfSubject: { table: 'unListings', key: 'subjectId' },
} as const satisfies Record<string, ContentSpec>;

export type ContentKind = keyof typeof CONTENT;
export type ContentRow<K extends ContentKind> = Selectable<Tables[(typeof CONTENT)[K]['table']]>;

/** Rows of one kind of content for many records, in one statement. */
export function readContent<K extends ContentKind>(db: Kysely<Tables>, kind: K, recordIds: readonly string[]): Promise<ContentRow<K>[]> {
  return contentOf(db, { kind, ids: recordIds }) as Promise<ContentRow<K>[]>;
}

// Shaped (shaped-statement.ts): `kind` decides the statement, the ids are its parameters.
const contentOf = shapedStatement((db: Kysely<Tables>, { kind, ids }: { kind: ContentKind; ids: readonly string[] }) => {
  const spec: ContentSpec = CONTENT[kind];
  // Kysely cannot type a table chosen at run time; the spec above is checked against Tables.
  let select = db
    .selectFrom(spec.table as 'texts')
    .selectAll()
    .where(spec.key as 'ownerId', 'in', [...ids]);
  if (spec.field) select = select.where('field', '=', spec.field);
  if (spec.order) select = select.orderBy(spec.order as 'ordinal');
  return select;
});

/** The id of the record a content row belongs to. */
export function recordIdOf<K extends ContentKind>(kind: K, row: ContentRow<K>): string {
  return (row as Record<string, unknown>)[CONTENT[kind].key] as string;
}
