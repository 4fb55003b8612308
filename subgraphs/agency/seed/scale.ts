// Synthetic data at scale, for measuring a node at the size of a real registry (issue 15:
// 100,000 records and more): the demo generator run again with further seeds, each batch's
// ids, references and links renamed apart so that batches never collide with each other or
// with the demo data. Deterministic like the demo data: the same agency and count give the
// same records.
import type { AgencyDataset, CaseRecord, NoticeRecord, SubjectRecord } from '../store/records.js';
import { generateDataset } from './generate.js';

export interface ScaledBatch {
  dataset: AgencyDataset;
  /** Subjects in all batches so far, this one included. */
  subjects: number;
}

/**
 * Batches of synthetic records whose subjects add up to `subjects`: notices and cases come
 * with their subjects in the demo's proportions (the last batch's are cut to the subjects it
 * keeps). `firstBatch` names the first batch, so a store can be grown again later.
 */
export function* scaledDatasets(agency: string, subjects: number, firstBatch = 1): Generator<ScaledBatch> {
  let total = 0;
  for (let batch = firstBatch; total < subjects; batch++) {
    const dataset = renamed(generateDataset(agency, batch), `B${batch}`);
    const kept = dataset.subjects.slice(0, subjects - total);
    if (kept.length < dataset.subjects.length) keepOnly(dataset, new Set(kept.map((s) => s.localId)));
    total += dataset.subjects.length;
    yield { dataset, subjects: total };
  }
}

/** A demo dataset whose ids and references are prefixed by `prefix`, links followed. */
export function renamed(dataset: AgencyDataset, prefix: string): AgencyDataset {
  const id = (localId: string) => `${prefix}-${localId}`;
  const subjects: SubjectRecord[] = dataset.subjects.map((s) => ({ ...s, localId: id(s.localId) }));
  const notices: NoticeRecord[] = dataset.notices.map((n) => ({
    ...n,
    localId: id(n.localId),
    subjectLocalId: id(n.subjectLocalId),
    reference: `${n.reference}/${prefix}`,
  }));
  const cases: CaseRecord[] = dataset.cases.map((c) => ({
    ...c,
    localId: id(c.localId),
    reference: `${c.reference}/${prefix}`,
    subjects: c.subjects.map((s) => ({ ...s, subjectLocalId: id(s.subjectLocalId) })),
  }));
  const labels = Object.fromEntries(Object.entries(dataset.labels).map(([localId, labels]) => [id(localId), labels]));
  return { agency: dataset.agency, subjects, notices, cases, labels };
}

/** Cuts a dataset down to these subjects and the notices and cases that involve only them. */
function keepOnly(dataset: AgencyDataset, subjects: ReadonlySet<string>): void {
  dataset.subjects = dataset.subjects.filter((s) => subjects.has(s.localId));
  dataset.notices = dataset.notices.filter((n) => subjects.has(n.subjectLocalId));
  dataset.cases = dataset.cases.filter((c) => c.subjects.every((s) => subjects.has(s.subjectLocalId)));
  const kept = new Set([...subjects, ...dataset.notices.map((n) => n.localId), ...dataset.cases.map((c) => c.localId)]);
  dataset.labels = Object.fromEntries(Object.entries(dataset.labels).filter(([localId]) => kept.has(localId)));
}
