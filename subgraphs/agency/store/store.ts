import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { FullAccessClause } from '../policy/policy.js';
import { indexSubjects } from './screening.js';
import type { AgencyDataset, CaseStatus, SubjectRecord, CrimeType, NoticeColour, NoticeStatus, SubjectKind, TextRecord } from './records.js';
import type {
  CaseAgenciesTable, CaseCrimeTypesTable, CasesTable, CaseSubjectsTable, NoticeRecipientsTable, NoticesTable, ReleasabilityTable,
  SubjectBirthDatesTable, SubjectDocumentsTable, SubjectNamesTable, SubjectNationalitiesTable, SubjectsTable,
  Tables, TextsTable,
} from './tables.js';

// The only module of a node that speaks SQL. Batch reads take many ids and cost one
// statement each, so per-request DataLoaders keep the statement count flat.
// Every read of a record takes the caller's disclosure scope (the policy's clauses for
// FULL access) and applies it in SQL: records the caller may not know of never leave the
// database, and each row says at which level it is disclosed.

export type Disclosure = 'FULL' | 'HIT_ONLY';
type Disclosed<T> = Selectable<T> & { disclosure: Disclosure };

/** The policy's clauses for FULL access of the current caller. */
export type DisclosureScope = readonly FullAccessClause[];

export type SubjectRow = Disclosed<SubjectsTable>;
export type NameRow = Selectable<SubjectNamesTable>;
export type BirthDateRow = Selectable<SubjectBirthDatesTable>;
export type NationalityRow = Selectable<SubjectNationalitiesTable>;
export type DocumentRow = Selectable<SubjectDocumentsTable>;
export type NoticeRow = Disclosed<NoticesTable>;
export type RecipientRow = Selectable<NoticeRecipientsTable>;
export type TextRow = Selectable<TextsTable>;
export type CaseRow = Disclosed<CasesTable>;
export type CrimeTypeRow = Selectable<CaseCrimeTypesTable>;
export type CaseSubjectRow = Selectable<CaseSubjectsTable>;
export type CaseAgencyRow = Selectable<CaseAgenciesTable>;

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

const INSERT_CHUNK = 200;
const COPY_PAGE = 5000;

/** Every table of a store with its primary key, parents before children (the order a copy needs). */
export const TABLE_KEYS: { [T in keyof Tables]: (keyof Tables[T] & string)[] } = {
  subjects: ['localId'],
  subjectNames: ['subjectId', 'ordinal'],
  subjectBirthDates: ['subjectId', 'ordinal'],
  subjectNationalities: ['subjectId', 'ordinal'],
  subjectDocuments: ['subjectId', 'ordinal'],
  notices: ['localId'],
  noticeRecipients: ['noticeId', 'ordinal'],
  texts: ['ownerId', 'field', 'ordinal'],
  cases: ['localId'],
  caseCrimeTypes: ['caseId', 'crimeType'],
  caseSubjects: ['caseId', 'ordinal'],
  caseAgencies: ['caseId', 'ordinal'],
  releasability: ['recordId', 'audience'],
  unListings: ['noticeId'],
  accessRequests: ['localId'],
  auditLedger: ['sequence'],
  screeningKeys: ['subjectId', 'key'],
};

type RecordTable = 'notices' | 'subjects' | 'cases';

/**
 * SQL for "the scope grants FULL access to this row of `table`". Filters on withheld
 * content (names, status, crime types, ...) are ANDed with it: a HIT_ONLY record must not
 * answer questions about what it withholds.
 */
export function fullAccess(table: RecordTable, scope: DisclosureScope): RawBuilder<boolean> {
  const tlp = sql.ref(`${table}.tlp`);
  const clauses = scope.map((clause) => {
    switch (clause.kind) {
      case 'everything':
        return sql`1 = 1`;
      case 'tlp':
        return sql`${tlp} in (${sql.join(clause.tlps)})`;
      case 'releasable':
        return sql`(${tlp} in (${sql.join(clause.tlps)}) and exists (select 1 from releasability r where r.record_id = ${sql.ref(`${table}.localId`)} and r.audience in (${sql.join(clause.audiences)})))`;
      case 'granted':
        // ISO 8601 UTC timestamps of one format compare correctly as text, on both dialects.
        return sql`exists (select 1 from access_requests g where g.record_id = ${sql.ref(`${table}.localId`)} and g.requester_agency = ${clause.agency} and g.status = 'APPROVED' and g.expires_at > ${clause.now})`;
    }
  });
  return clauses.length === 0 ? sql<boolean>`1 = 0` : sql<boolean>`(${sql.join(clauses, sql` or `)})`;
}

export function disclosureOf(table: RecordTable, scope: DisclosureScope) {
  return sql<Disclosure>`case when ${fullAccess(table, scope)} then 'FULL' else 'HIT_ONLY' end`.as('disclosure');
}

/**
 * Newest first by a content date, for records disclosed in full; HIT_ONLY records follow,
 * by id, so their place in a list tells nothing about their withheld dates.
 */
function newestFirst(table: RecordTable, column: 'issuedOn' | 'openedOn', scope: DisclosureScope): RawBuilder<unknown> {
  return sql`case when ${fullAccess(table, scope)} then ${sql.ref(`${table}.${column}`)} end desc nulls last`;
}

/** FULL, or HIT_ONLY because the owner lets its existence be known. Anything else is NONE. */
export function visible(table: RecordTable, scope: DisclosureScope): RawBuilder<boolean> {
  return sql<boolean>`(${fullAccess(table, scope)} or ${sql.ref(`${table}.discoverable`)} = 1)`;
}

export class RecordStore {
  constructor(
    readonly agency: string,
    /** For the store's own modules (store/*.ts) only: nothing outside store/ writes SQL. */
    readonly db: Kysely<Tables>,
    readonly dialect: 'sqlite' | 'postgres',
  ) {}

  private notices(scope: DisclosureScope) {
    return this.db.selectFrom('notices').selectAll('notices').select(disclosureOf('notices', scope)).where(visible('notices', scope));
  }

  private subjects(scope: DisclosureScope) {
    return this.db.selectFrom('subjects').selectAll('subjects').select(disclosureOf('subjects', scope)).where(visible('subjects', scope));
  }

  private cases(scope: DisclosureScope) {
    return this.db.selectFrom('cases').selectAll('cases').select(disclosureOf('cases', scope)).where(visible('cases', scope));
  }

  listNotices(scope: DisclosureScope, query: NoticeQuery): Promise<NoticeRow[]> {
    let select = this.notices(scope);
    if (query.colours?.length) select = select.where('notices.colour', 'in', [...query.colours]);
    if (query.statuses?.length) {
      select = select.where(fullAccess('notices', scope)).where('notices.status', 'in', [...query.statuses]);
    }
    return select.orderBy(newestFirst('notices', 'issuedOn', scope)).orderBy('notices.localId', 'desc').limit(query.first).execute();
  }

  listSubjects(scope: DisclosureScope, query: SubjectQuery): Promise<SubjectRow[]> {
    let select = this.subjects(scope);
    if (query.kinds?.length) select = select.where('subjects.kind', 'in', [...query.kinds]);
    if (query.name?.trim() || query.nationality) select = select.where(fullAccess('subjects', scope));
    const name = query.name?.trim();
    if (name) {
      const pattern = `%${name.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      select = select.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('subjectNames')
            .select('subjectNames.subjectId')
            .whereRef('subjectNames.subjectId', '=', 'subjects.localId')
            .where(sql<boolean>`lower(${sql.ref('subjectNames.full')}) like ${pattern} escape '\\'`),
        ),
      );
    }
    if (query.nationality) {
      const country = query.nationality.toUpperCase();
      select = select.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('subjectNationalities')
            .select('subjectNationalities.subjectId')
            .whereRef('subjectNationalities.subjectId', '=', 'subjects.localId')
            .where('subjectNationalities.country', '=', country),
        ),
      );
    }
    return select.orderBy('subjects.localId').limit(query.first).execute();
  }

  listCases(scope: DisclosureScope, query: CaseQuery): Promise<CaseRow[]> {
    let select = this.cases(scope);
    if (query.crimeTypes?.length || query.statuses?.length) select = select.where(fullAccess('cases', scope));
    if (query.crimeTypes?.length) {
      const crimeTypes = [...query.crimeTypes];
      select = select.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('caseCrimeTypes')
            .select('caseCrimeTypes.caseId')
            .whereRef('caseCrimeTypes.caseId', '=', 'cases.localId')
            .where('caseCrimeTypes.crimeType', 'in', crimeTypes),
        ),
      );
    }
    if (query.statuses?.length) select = select.where('cases.status', 'in', [...query.statuses]);
    return select.orderBy(newestFirst('cases', 'openedOn', scope)).orderBy('cases.localId', 'desc').limit(query.first).execute();
  }

  noticesById(scope: DisclosureScope, ids: readonly string[]): Promise<NoticeRow[]> {
    return this.notices(scope).where('notices.localId', 'in', [...ids]).execute();
  }

  subjectsById(scope: DisclosureScope, ids: readonly string[]): Promise<SubjectRow[]> {
    return this.subjects(scope).where('subjects.localId', 'in', [...ids]).execute();
  }

  casesById(scope: DisclosureScope, ids: readonly string[]): Promise<CaseRow[]> {
    return this.cases(scope).where('cases.localId', 'in', [...ids]).execute();
  }

  noticesOfSubjects(scope: DisclosureScope, subjectIds: readonly string[]): Promise<NoticeRow[]> {
    return this.notices(scope)
      .where('notices.subjectId', 'in', [...subjectIds])
      .orderBy(newestFirst('notices', 'issuedOn', scope))
      .orderBy('notices.localId', 'desc')
      .execute();
  }

  caseLinksOfSubjects(subjectIds: readonly string[]): Promise<CaseSubjectRow[]> {
    return this.db
      .selectFrom('caseSubjects')
      .selectAll()
      .where('subjectId', 'in', [...subjectIds])
      .orderBy('caseId')
      .execute();
  }

  caseLinksOfCases(caseIds: readonly string[]): Promise<CaseSubjectRow[]> {
    return this.db.selectFrom('caseSubjects').selectAll().where('caseId', 'in', [...caseIds]).orderBy('ordinal').execute();
  }

  namesOf(subjectIds: readonly string[]): Promise<NameRow[]> {
    return this.db.selectFrom('subjectNames').selectAll().where('subjectId', 'in', [...subjectIds]).orderBy('ordinal').execute();
  }

  birthDatesOf(subjectIds: readonly string[]): Promise<BirthDateRow[]> {
    return this.db
      .selectFrom('subjectBirthDates')
      .selectAll()
      .where('subjectId', 'in', [...subjectIds])
      .orderBy('ordinal')
      .execute();
  }

  nationalitiesOf(subjectIds: readonly string[]): Promise<NationalityRow[]> {
    return this.db
      .selectFrom('subjectNationalities')
      .selectAll()
      .where('subjectId', 'in', [...subjectIds])
      .orderBy('ordinal')
      .execute();
  }

  documentsOf(subjectIds: readonly string[]): Promise<DocumentRow[]> {
    return this.db
      .selectFrom('subjectDocuments')
      .selectAll()
      .where('subjectId', 'in', [...subjectIds])
      .orderBy('ordinal')
      .execute();
  }

  releasabilityOf(recordIds: readonly string[]): Promise<Selectable<ReleasabilityTable>[]> {
    return this.db.selectFrom('releasability').selectAll().where('recordId', 'in', [...recordIds]).orderBy('audience').execute();
  }

  recipientsOf(noticeIds: readonly string[]): Promise<RecipientRow[]> {
    return this.db.selectFrom('noticeRecipients').selectAll().where('noticeId', 'in', [...noticeIds]).orderBy('ordinal').execute();
  }

  /** Localised texts of one field (e.g. "title") of many records. */
  textsOf(field: string, ownerIds: readonly string[]): Promise<TextRow[]> {
    return this.db
      .selectFrom('texts')
      .selectAll()
      .where('field', '=', field)
      .where('ownerId', 'in', [...ownerIds])
      .orderBy('ordinal')
      .execute();
  }

  crimeTypesOf(caseIds: readonly string[]): Promise<CrimeTypeRow[]> {
    return this.db.selectFrom('caseCrimeTypes').selectAll().where('caseId', 'in', [...caseIds]).orderBy('crimeType').execute();
  }

  agenciesOf(caseIds: readonly string[]): Promise<CaseAgencyRow[]> {
    return this.db.selectFrom('caseAgencies').selectAll().where('caseId', 'in', [...caseIds]).orderBy('ordinal').execute();
  }

  /** How many records the scope lets the caller know of (FULL or HIT_ONLY). */
  async holdings(scope: DisclosureScope): Promise<Holdings> {
    const row = await this.db
      .selectNoFrom((eb) => [
        eb.selectFrom('notices').select(eb.fn.countAll<number>().as('n')).where(visible('notices', scope)).as('notices'),
        eb.selectFrom('subjects').select(eb.fn.countAll<number>().as('n')).where(visible('subjects', scope)).as('subjects'),
        eb.selectFrom('cases').select(eb.fn.countAll<number>().as('n')).where(visible('cases', scope)).as('cases'),
      ])
      .executeTakeFirstOrThrow();
    return { notices: Number(row.notices), subjects: Number(row.subjects), cases: Number(row.cases) };
  }

  /** Everything, for the owner's own tools (seeding, copying): not for answering callers. */
  holdingsOfOwner(): Promise<Holdings> {
    return this.holdings([{ kind: 'everything' }]);
  }

  async isEmpty(): Promise<boolean> {
    const { notices, subjects, cases } = await this.holdingsOfOwner();
    return notices + subjects + cases === 0;
  }

  /** Writes a whole dataset in one transaction: all of it lands, or none. */
  async insertDataset(dataset: AgencyDataset): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const insert = <T extends keyof Tables>(table: T, rows: Tables[T][]) => insertRows(trx, table, rows);
      const labelsOf = (localId: string) => {
        const labels = dataset.labels[localId];
        if (!labels) throw new Error(`record ${localId} has no disclosure labels`);
        return { tlp: labels.tlp, handling: labels.handling, discoverable: labels.discoverable ? 1 : 0 };
      };
      const subjects = dataset.subjects;
      await insert('subjects', subjects.map((s) => ({ localId: s.localId, kind: s.kind, gender: s.gender, ...labelsOf(s.localId) })));
      await insertSubjectDetails(trx, subjects);
      await insert('notices', dataset.notices.map((n) => ({
        localId: n.localId, colour: n.colour, status: n.status, subjectId: n.subjectLocalId, reference: n.reference,
        issuedOn: n.issuedOn, requestingCountry: n.requestingCountry, ...labelsOf(n.localId),
      })));
      await insert('noticeRecipients', dataset.notices.flatMap((n) =>
        n.recipients.map((agency, ordinal) => ({ noticeId: n.localId, ordinal, agency })),
      ));
      await insert('cases', dataset.cases.map((c) => ({
        localId: c.localId, reference: c.reference, status: c.status, openedOn: c.openedOn, ...labelsOf(c.localId),
      })));
      await insert('caseCrimeTypes', dataset.cases.flatMap((c) => c.crimeTypes.map((crimeType) => ({ caseId: c.localId, crimeType }))));
      await insert('caseSubjects', dataset.cases.flatMap((c) =>
        c.subjects.map((s, ordinal) => ({ caseId: c.localId, ordinal, subjectId: s.subjectLocalId, role: s.role })),
      ));
      await insert('caseAgencies', dataset.cases.flatMap((c) =>
        c.participatingAgencies.map((agency, ordinal) => ({ caseId: c.localId, ordinal, agency })),
      ));
      await indexSubjects(trx, subjects.map((subject) => subject.localId));
      await insert('releasability', Object.entries(dataset.labels).flatMap(([recordId, labels]) =>
        labels.releasableTo.map((audience) => ({ recordId, audience })),
      ));
      await insert('texts', [
        ...dataset.notices.flatMap((n) => [...textRows(n.localId, 'title', n.title), ...textRows(n.localId, 'charges', n.charges)]),
        ...dataset.cases.flatMap((c) => textRows(c.localId, 'title', c.title)),
      ]);
    });
  }

  /**
   * A write transaction that takes the write lock before it reads. On SQLite a transaction
   * that reads first cannot wait for another process's lock (an import, say) and fails at
   * once; taking the lock first makes it wait (busy timeout) instead.
   */
  async writeTransaction<T>(work: (trx: Kysely<Tables>) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.db.transaction().execute(work);
    return this.db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await work(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (error) {
        await sql`rollback`.execute(connection);
        throw error;
      }
    });
  }

  /** The names of the tables the migrations made (for checking that a copy misses none). */
  async tableNames(): Promise<string[]> {
    const tables = await this.db.introspection.getTables();
    return tables.map((table) => table.name).filter((name) => !name.startsWith('kysely_'));
  }

  /**
   * Copies every row into an empty store, page by page and in one transaction on the
   * target: a store moves whole (e.g. from SQLite to PostgreSQL) or not at all.
   */
  async copyTo(target: RecordStore, onTable?: (table: string, rows: number) => void): Promise<Record<string, number>> {
    if (!(await target.isEmpty())) throw new Error(`the target store of ${target.agency} already holds records`);
    const counts: Record<string, number> = {};
    await target.db.transaction().execute(async (trx) => {
      for (const [table, keys] of Object.entries(TABLE_KEYS) as [keyof Tables, string[]][]) {
        let copied = 0;
        for (;;) {
          let page = this.db.selectFrom(table).selectAll();
          for (const key of keys) page = page.orderBy(key as never);
          const rows = await page.limit(COPY_PAGE).offset(copied).execute();
          for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
            await trx.insertInto(table).values(rows.slice(i, i + INSERT_CHUNK) as never).execute();
          }
          copied += rows.length;
          if (rows.length < COPY_PAGE) break;
        }
        counts[table] = copied;
        onTable?.(table, copied);
      }
    });
    return counts;
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

/** Inserts rows in chunks small enough for every dialect's parameter limit. */
export async function insertRows<T extends keyof Tables>(db: Kysely<Tables>, table: T, rows: readonly Tables[T][]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db.insertInto(table).values(rows.slice(i, i + INSERT_CHUNK) as never).execute();
  }
}

/** A subject's names, dates of birth, nationalities and documents, each list in the owner's order. */
export async function insertSubjectDetails(db: Kysely<Tables>, subjects: readonly SubjectRecord[]): Promise<void> {
  await insertRows(db, 'subjectNames', subjects.flatMap((s) =>
    s.names.map((n, ordinal) => ({ subjectId: s.localId, ordinal, full: n.full, script: n.script, kind: n.kind, quality: n.quality })),
  ));
  await insertRows(db, 'subjectBirthDates', subjects.flatMap((s) =>
    s.birthDates.map((d, ordinal) => ({ subjectId: s.localId, ordinal, qualifier: d.qualifier, date: d.date, dateFrom: d.from, dateTo: d.to })),
  ));
  await insertRows(db, 'subjectNationalities', subjects.flatMap((s) =>
    s.nationalities.map((country, ordinal) => ({ subjectId: s.localId, ordinal, country })),
  ));
  await insertRows(db, 'subjectDocuments', subjects.flatMap((s) =>
    s.documents.map((d, ordinal) => ({ subjectId: s.localId, ordinal, type: d.type, number: d.number, issuingCountry: d.issuingCountry })),
  ));
}

export function textRows(ownerId: string, field: string, texts: readonly TextRecord[]): TextsTable[] {
  return texts.map((t, ordinal) => ({ ownerId, field, ordinal, language: t.language, text: t.text, original: t.original ? 1 : 0 }));
}
