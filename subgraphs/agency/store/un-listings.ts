import { sql, type Insertable, type Kysely } from 'kysely';
import type { NoticeRecord, RecordLabels, SubjectRecord } from './records.js';
import { INSERT_CHUNK, insertRows } from './insert.js';
import type { UnListingRow } from './rows.js';
import { indexSubjects } from './screening-index.js';
import type { RecordStore } from './store.js';
import { insertSubjectDetails, textRows } from './writes.js';
import type { Tables, UnListingsTable } from './tables.js';

// The SQL of the UN list import (subgraphs/agency/un/import.ts decides what to write). An
// import is one transaction: a list lands whole or not at all.

/** What the import needs to know of a listing already in the store. */
export type KnownUnListing = Pick<UnListingRow, 'noticeId' | 'subjectId' | 'referenceNumber' | 'dataId' | 'fingerprint' | 'delistedOn'>;

/** One UN entry as records: its subject, its notice and the listing row that ties them. */
export interface UnListingWrite {
  subject: SubjectRecord;
  /** UN notices have no charges and no recipients. */
  notice: Omit<NoticeRecord, 'charges' | 'recipients'>;
  listing: Insertable<UnListingsTable>;
}

/** Runs `work` in one transaction that holds the store's write lock from its first statement. */
export function writeUnListings<T>(store: RecordStore, work: (writer: UnListingWriter) => Promise<T>): Promise<T> {
  // writeTransaction holds SQLite's write lock from the start, so a running node's writes wait
  // for the import instead of failing it halfway; on PostgreSQL two imports never interleave.
  return store.writeTransaction(async (trx) => {
    if (store.dialect === 'postgres') await sql`lock table un_listings in exclusive mode`.execute(trx);
    return work(new UnListingWriter(trx));
  });
}

export class UnListingWriter {
  constructor(private readonly trx: Kysely<Tables>) {}

  known(): Promise<KnownUnListing[]> {
    return this.trx
      .selectFrom('unListings')
      .select(['noticeId', 'subjectId', 'referenceNumber', 'dataId', 'fingerprint', 'delistedOn'])
      .execute();
  }

  /** New entries: subject, notice, their labels and content, and the listing. */
  async add(writes: readonly UnListingWrite[], labels: RecordLabels): Promise<void> {
    if (writes.length === 0) return;
    const label = { tlp: labels.tlp, handling: labels.handling, discoverable: labels.discoverable ? 1 : 0 };
    await this.insert(
      'subjects',
      writes.map(({ subject }) => ({ localId: subject.localId, kind: subject.kind, gender: subject.gender, ...label })),
    );
    await this.insert(
      'notices',
      writes.map(({ notice }) => ({
        localId: notice.localId,
        colour: notice.colour,
        status: notice.status,
        subjectId: notice.subjectLocalId,
        reference: notice.reference,
        issuedOn: notice.issuedOn,
        requestingCountry: notice.requestingCountry,
        ...label,
      })),
    );
    await this.insert(
      'releasability',
      writes.flatMap(({ subject, notice }) =>
        [subject.localId, notice.localId].flatMap((recordId) => labels.releasableTo.map((audience) => ({ recordId, audience }))),
      ),
    );
    await this.insertContent(writes);
    await this.insert(
      'unListings',
      writes.map(({ listing }) => listing),
    );
  }

  /** Changed (or relisted) entries: the same records, rewritten; their labels stay as the owner set them. */
  async replace(writes: readonly UnListingWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const subjectIds = writes.map(({ subject }) => subject.localId);
    for (const table of ['subjectNames', 'subjectBirthDates', 'subjectNationalities', 'subjectDocuments'] as const) {
      await this.trx.deleteFrom(table).where('subjectId', 'in', subjectIds).execute();
    }
    await this.trx
      .deleteFrom('texts')
      .where(
        'ownerId',
        'in',
        writes.map(({ notice }) => notice.localId),
      )
      .execute();
    for (const { subject, notice, listing } of writes) {
      await this.trx
        .updateTable('subjects')
        .set({ kind: subject.kind, gender: subject.gender })
        .where('localId', '=', subject.localId)
        .execute();
      await this.trx
        .updateTable('notices')
        .set({ status: notice.status, reference: notice.reference, issuedOn: notice.issuedOn })
        .where('localId', '=', notice.localId)
        .execute();
      await this.trx.updateTable('unListings').set(listing).where('noticeId', '=', notice.localId).execute();
    }
    await this.insertContent(writes);
  }

  /** Entries the imported list no longer holds: the notice is cancelled, every record kept. */
  async delist(noticeIds: readonly string[], on: string): Promise<void> {
    for (let i = 0; i < noticeIds.length; i += INSERT_CHUNK) {
      const chunk = noticeIds.slice(i, i + INSERT_CHUNK);
      await this.trx.updateTable('notices').set({ status: 'CANCELLED' }).where('localId', 'in', chunk).execute();
      await this.trx.updateTable('unListings').set({ delistedOn: on }).where('noticeId', 'in', chunk).execute();
    }
  }

  private async insertContent(writes: readonly UnListingWrite[]): Promise<void> {
    const subjects = writes.map(({ subject }) => subject);
    await insertSubjectDetails(this.trx, subjects);
    await this.insert(
      'texts',
      writes.flatMap(({ notice }) => textRows(notice.localId, 'title', notice.title)),
    );
    // Screening finds the subjects by these names and documents as soon as the import commits.
    await indexSubjects(
      this.trx,
      subjects.map((subject) => subject.localId),
    );
  }

  private insert<T extends keyof Tables>(table: T, rows: Insertable<Tables[T]>[]): Promise<void> {
    return insertRows(this.trx, table, rows as Tables[T][]);
  }
}
