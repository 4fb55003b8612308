import type { Kysely } from 'kysely';
import type { AgencyDataset, SubjectRecord, TextRecord } from './records.js';
import { insertRows } from './insert.js';
import { indexSubjects } from './screening-index.js';
import type { RecordStore } from './store.js';
import type { Tables, TextsTable } from './tables.js';

// Writing records: a whole dataset (demo seeding, conformance data), and the pieces the UN
// import reuses.

/** Writes a whole dataset in one transaction: all of it lands, or none. */
export async function insertDataset(store: RecordStore, dataset: AgencyDataset): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const insert = <T extends keyof Tables>(table: T, rows: Tables[T][]) => insertRows(trx, table, rows);
    const labelsOf = (localId: string) => {
      const labels = dataset.labels[localId];
      if (!labels) throw new Error(`record ${localId} has no disclosure labels`);
      return { tlp: labels.tlp, handling: labels.handling, discoverable: labels.discoverable ? 1 : 0 };
    };
    const subjects = dataset.subjects;
    await insert(
      'subjects',
      subjects.map((s) => ({ localId: s.localId, kind: s.kind, gender: s.gender, ...labelsOf(s.localId) })),
    );
    await insertSubjectDetails(trx, subjects);
    await insert(
      'notices',
      dataset.notices.map((n) => ({
        localId: n.localId,
        colour: n.colour,
        status: n.status,
        subjectId: n.subjectLocalId,
        reference: n.reference,
        issuedOn: n.issuedOn,
        requestingCountry: n.requestingCountry,
        ...labelsOf(n.localId),
      })),
    );
    await insert(
      'noticeRecipients',
      dataset.notices.flatMap((n) => n.recipients.map((agency, ordinal) => ({ noticeId: n.localId, ordinal, agency }))),
    );
    await insert(
      'cases',
      dataset.cases.map((c) => ({
        localId: c.localId,
        reference: c.reference,
        status: c.status,
        openedOn: c.openedOn,
        ...labelsOf(c.localId),
      })),
    );
    await insert(
      'caseCrimeTypes',
      dataset.cases.flatMap((c) => c.crimeTypes.map((crimeType) => ({ caseId: c.localId, crimeType }))),
    );
    await insert(
      'caseSubjects',
      dataset.cases.flatMap((c) =>
        c.subjects.map((s, ordinal) => ({ caseId: c.localId, ordinal, subjectId: s.subjectLocalId, role: s.role })),
      ),
    );
    await insert(
      'caseAgencies',
      dataset.cases.flatMap((c) => c.participatingAgencies.map((agency, ordinal) => ({ caseId: c.localId, ordinal, agency }))),
    );
    await indexSubjects(
      trx,
      subjects.map((subject) => subject.localId),
    );
    await insert(
      'releasability',
      Object.entries(dataset.labels).flatMap(([recordId, labels]) => labels.releasableTo.map((audience) => ({ recordId, audience }))),
    );
    await insert('texts', [
      ...dataset.notices.flatMap((n) => [...textRows(n.localId, 'title', n.title), ...textRows(n.localId, 'charges', n.charges)]),
      ...dataset.cases.flatMap((c) => textRows(c.localId, 'title', c.title)),
    ]);
  });
}

/** A subject's names, dates of birth, nationalities and documents, each list in the owner's order. */
export async function insertSubjectDetails(db: Kysely<Tables>, subjects: readonly SubjectRecord[]): Promise<void> {
  await insertRows(
    db,
    'subjectNames',
    subjects.flatMap((s) =>
      s.names.map((n, ordinal) => ({ subjectId: s.localId, ordinal, full: n.full, script: n.script, kind: n.kind, quality: n.quality })),
    ),
  );
  await insertRows(
    db,
    'subjectBirthDates',
    subjects.flatMap((s) =>
      s.birthDates.map((d, ordinal) => ({
        subjectId: s.localId,
        ordinal,
        qualifier: d.qualifier,
        date: d.date,
        dateFrom: d.from,
        dateTo: d.to,
      })),
    ),
  );
  await insertRows(
    db,
    'subjectNationalities',
    subjects.flatMap((s) => s.nationalities.map((country, ordinal) => ({ subjectId: s.localId, ordinal, country }))),
  );
  await insertRows(
    db,
    'subjectDocuments',
    subjects.flatMap((s) =>
      s.documents.map((d, ordinal) => ({
        subjectId: s.localId,
        ordinal,
        type: d.type,
        number: d.number,
        issuingCountry: d.issuingCountry,
      })),
    ),
  );
}

export function textRows(ownerId: string, field: string, texts: readonly TextRecord[]): TextsTable[] {
  return texts.map((t, ordinal) => ({ ownerId, field, ordinal, language: t.language, text: t.text, original: t.original ? 1 : 0 }));
}
