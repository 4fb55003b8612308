import type { ConformanceDataset } from '../../../conformance/dataset/format.js';
import type { AgencyDataset } from '../store/records.js';

// The conformance data set (conformance/, docs/conformance.md) as this node's store holds
// it: the records become the loading agency's, which takes part in each of its cases.

export function conformanceRecords(agency: string, dataset: ConformanceDataset): AgencyDataset {
  return {
    agency,
    subjects: dataset.subjects,
    notices: dataset.notices,
    cases: dataset.cases.map((record) => ({ ...record, participatingAgencies: [agency, ...record.participatingAgencies] })),
    labels: dataset.labels,
  };
}
