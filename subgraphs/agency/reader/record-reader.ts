import type DataLoader from 'dataloader';
import type { Kysely } from 'kysely';
import { formatRecordId } from '../../../lib/ids.js';
import { fullAccessClauses, showsLinks, type PolicyCaller, type RecordOwner } from '../policy/policy.js';
import { CONTENT, readContent, recordIdOf, type ContentKind, type ContentRow } from '../store/content.js';
import type {
  CaseQuery,
  CaseRow,
  DisclosureScope,
  Holdings,
  NoticeQuery,
  NoticeRow,
  RecordRow,
  ScreeningKeys,
  StoreDialect,
  SubjectQuery,
  SubjectRow,
} from '../store/rows.js';
import { casesById, linkedCases, listCases } from '../store/scoped/cases.js';
import { countHoldings } from '../store/scoped/holdings.js';
import { countCooperation, type PeriodDays, type RecordFigures } from '../store/scoped/cooperation.js';

export type { RecordFigures };
import { listNotices, noticesById, noticesOfSubjects } from '../store/scoped/notices.js';
import { screeningCandidates } from '../store/scoped/screening-candidates.js';
import { linkedSubjects, listSubjects, subjectsById } from '../store/scoped/subjects.js';
import type { RecordStore } from '../store/store.js';
import type { Tables } from '../store/tables.js';
import { byKey, grouped, present } from './batch.js';
import type { DisclosureRecord } from './disclosures.js';

// THE way a node reads records for a caller. One reader per request, made by the node's
// context once the caller is verified: it applies the caller's disclosure scope (in SQL,
// store/scoped/) and notes every record it returns in the request's DisclosureRecord, which
// the audit plugin writes to the ledger before the answer leaves. A resolver cannot hand
// out a record without it being recorded, because this is the only reader it has.
// Two reads must not count as disclosures, and are named so: `unrecorded.*`.

/** The content of a record, read only for records this reader has handed out. */
type ContentLoaders = { [K in ContentKind]: DataLoader<string, ContentRow<K>[]> };

/**
 * The reader of `owner`'s store for `caller`: its scope is the policy's clauses for FULL
 * access (policy/policy.ts), and what it returns is noted in `disclosures`.
 */
export function readerFor(store: RecordStore, owner: RecordOwner, caller: PolicyCaller, disclosures: DisclosureRecord): RecordReader {
  return new RecordReader(store.db, store.dialect, owner.code, fullAccessClauses(caller, owner), disclosures);
}

export class RecordReader {
  /** Rows this reader returned (recorded or not): the only rows whose content it reads. */
  readonly #handedOut = new WeakSet<object>();
  readonly #noticeLoader: DataLoader<string, NoticeRow | null>;
  readonly #subjectLoader: DataLoader<string, SubjectRow | null>;
  readonly #caseLoader: DataLoader<string, CaseRow | null>;
  readonly #noticesOfSubjectLoader: DataLoader<string, NoticeRow[]>;
  readonly #linkedSubjectLoader: DataLoader<string, SubjectRow | null>;
  readonly #linkedCaseLoader: DataLoader<string, CaseRow | null>;
  readonly #contentLoaders: ContentLoaders;

  // ES private fields: a resolver holding the reader cannot reach the store or widen the scope.
  readonly #db: Kysely<Tables>;
  readonly #dialect: StoreDialect;
  readonly #scope: DisclosureScope;
  readonly #disclosures: DisclosureRecord;

  constructor(
    db: Kysely<Tables>,
    dialect: StoreDialect,
    /** The owner of every record in this store. */
    readonly agency: string,
    scope: DisclosureScope,
    disclosures: DisclosureRecord,
  ) {
    this.#db = db;
    this.#dialect = dialect;
    this.#scope = scope;
    this.#disclosures = disclosures;
    this.#noticeLoader = byKey(
      async (ids) => this.#recorded(await noticesById(db, scope, ids)),
      (row) => row.localId,
    );
    this.#subjectLoader = byKey(
      async (ids) => this.#recorded(await subjectsById(db, scope, ids)),
      (row) => row.localId,
    );
    this.#caseLoader = byKey(
      async (ids) => this.#recorded(await casesById(db, scope, ids)),
      (row) => row.localId,
    );
    this.#linkedSubjectLoader = byKey(
      async (ids) => this.#recorded(await linkedSubjects(db, scope, ids)),
      (row) => row.localId,
    );
    this.#linkedCaseLoader = byKey(
      async (ids) => this.#recorded(await linkedCases(db, scope, ids)),
      (row) => row.localId,
    );
    this.#noticesOfSubjectLoader = grouped(
      async (ids) => this.#recorded(await noticesOfSubjects(db, scope, ids)),
      (row) => row.subjectId,
    );
    this.#contentLoaders = Object.fromEntries(
      (Object.keys(CONTENT) as ContentKind[]).map((kind) => [
        kind,
        grouped(
          (ids) => readContent(db, kind, ids),
          (row) => recordIdOf(kind, row),
        ),
      ]),
    ) as unknown as ContentLoaders;
  }

  // ---- Records, recorded --------------------------------------------------------------

  async listNotices(query: NoticeQuery): Promise<NoticeRow[]> {
    return this.#recorded(await listNotices(this.#db, this.#scope, query));
  }

  async listSubjects(query: SubjectQuery): Promise<SubjectRow[]> {
    return this.#recorded(await listSubjects(this.#db, this.#dialect, this.#scope, query));
  }

  async listCases(query: CaseQuery): Promise<CaseRow[]> {
    return this.#recorded(await listCases(this.#db, this.#scope, query));
  }

  notice(localId: string): Promise<NoticeRow | null> {
    return this.#noticeLoader.load(localId);
  }

  subject(localId: string): Promise<SubjectRow | null> {
    return this.#subjectLoader.load(localId);
  }

  case(localId: string): Promise<CaseRow | null> {
    return this.#caseLoader.load(localId);
  }

  // ---- Links: from a record this reader handed out, under the policy's link rule ----------
  // (policy.ts `linkDisclosed`): nothing from a record not disclosed in full, and only records
  // disclosed in full at the other end.

  /** A subject's notices. */
  async noticesOfSubject(subject: SubjectRow): Promise<NoticeRow[]> {
    if (!this.#followsLinks(subject)) return [];
    return this.#noticesOfSubjectLoader.load(subject.localId);
  }

  /** The subject at the other end of a link from `from` (a notice's subject), or null. */
  async linkedSubject(from: RecordRow, localId: string | null): Promise<SubjectRow | null> {
    if (!localId || !this.#followsLinks(from)) return null;
    return this.#linkedSubjectLoader.load(localId);
  }

  /** The subjects at the other ends of links from `from` (a case's subjects), in the order asked. */
  async linkedSubjects(from: RecordRow, localIds: readonly string[]): Promise<SubjectRow[]> {
    if (!this.#followsLinks(from)) return [];
    return present(await this.#linkedSubjectLoader.loadMany(localIds));
  }

  /** The cases at the other ends of links from `from` (a subject's cases), in the order asked. */
  async linkedCases(from: RecordRow, localIds: readonly string[]): Promise<CaseRow[]> {
    if (!this.#followsLinks(from)) return [];
    return present(await this.#linkedCaseLoader.loadMany(localIds));
  }

  /**
   * A screening question: candidates from the index (read unrecorded), `choose` scores them
   * and picks the hits that leave, and those hits' subjects are recorded, with the question's
   * fingerprint as a detail of the ledger entry.
   */
  async screen<Hit extends { subject: SubjectRow }>(
    keys: ScreeningKeys,
    limit: number,
    fingerprint: string,
    choose: (candidates: SubjectRow[]) => Promise<Hit[]>,
  ): Promise<Hit[]> {
    const hits = await choose(await this.unrecorded.screeningCandidates(keys, limit));
    this.#recorded(hits.map((hit) => hit.subject));
    this.#disclosures.addDetail('screening', fingerprint);
    return hits;
  }

  /** Cooperation figures' record counts, of records the caller reads in full: counts, not records. */
  cooperation(period: PeriodDays): Promise<RecordFigures> {
    return countCooperation(this.#db, this.#scope, this.agency, period);
  }

  /** How many records the caller may know of: counts, not records. */
  holdings(): Promise<Holdings> {
    return countHoldings(this.#db, this.#scope);
  }

  // ---- Content of records this reader returned ------------------------------------------

  /** One kind of content (names, titles, links, ...) of a record this reader handed out. */
  content<K extends ContentKind>(kind: K, record: RecordRow): Promise<ContentRow<K>[]> {
    this.#assertHandedOut(record);
    return this.#contentLoaders[kind].load(record.localId) as Promise<ContentRow<K>[]>;
  }

  /** The same kind of content of many records, in their order. */
  async contentOfEach<K extends ContentKind>(kind: K, records: readonly RecordRow[]): Promise<ContentRow<K>[][]> {
    for (const record of records) this.#assertHandedOut(record);
    const results = await this.#contentLoaders[kind].loadMany(records.map((record) => record.localId));
    return results.map((result) => {
      if (result instanceof Error) throw result;
      return result as ContentRow<K>[];
    });
  }

  // ---- Reads that are not disclosures -------------------------------------------------

  /** Explicitly not recorded: what these return must not leave the node as it is. */
  readonly unrecorded = {
    /**
     * Screening candidates before scoring: most of them never leave the node. Only
     * `screen` records the hits that do.
     */
    screeningCandidates: async (keys: ScreeningKeys, limit: number): Promise<SubjectRow[]> =>
      this.#handOut(await screeningCandidates(this.#db, this.#dialect, this.#scope, keys, limit)),

    /** Whether the caller may know that a record exists (an access request's check); answers a boolean only. */
    isKnown: async (localId: string): Promise<boolean> => {
      const found = await Promise.all([
        noticesById(this.#db, this.#scope, [localId]),
        subjectsById(this.#db, this.#scope, [localId]),
        casesById(this.#db, this.#scope, [localId]),
      ]);
      return found.some((rows) => rows.length > 0);
    },
  };

  #recorded<Row extends RecordRow>(rows: Row[]): Row[] {
    for (const row of rows) this.#disclosures.note(formatRecordId(this.agency, row.localId), row.disclosure);
    return this.#handOut(rows);
  }

  #handOut<Row extends object>(rows: Row[]): Row[] {
    for (const row of rows) this.#handedOut.add(row);
    return rows;
  }

  #followsLinks(from: RecordRow): boolean {
    this.#assertHandedOut(from);
    return showsLinks(from.disclosure);
  }

  #assertHandedOut(record: object): void {
    // A programming error, not a caller's: content is read only for rows read under the scope.
    if (!this.#handedOut.has(record)) throw new Error('The record reader reads content only of records it returned.');
  }
}
