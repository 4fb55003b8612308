import { readFileSync } from 'node:fs';
import { z } from 'zod';

// The conformance data set's format: records with their owner's labels, links and names in
// several scripts, in neutral JSON that any implementation can load into its own store
// (docs/conformance.md). The records belong to whichever agency loads them: ids are local,
// and a case's participating agencies leave out the owner, which every loader adds first.

/**
 * The contract's enums the format uses, by their names in schema/records.graphql. Spelled out,
 * not imported from a node's code: the format is the contract's, and a test holds each list
 * to the contract's SDL (tests/unit/conformance/dataset.test.ts).
 */
export const CONTRACT_ENUMS = {
  Tlp: ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'],
  HandlingCode: ['H0', 'H1', 'H2', 'H3'],
  NoticeColour: ['RED', 'YELLOW', 'BLUE', 'BLACK', 'GREEN', 'ORANGE', 'PURPLE', 'SILVER', 'UN_SPECIAL', 'DIFFUSION'],
  NoticeStatus: ['ACTIVE', 'CANCELLED', 'EXPIRED'],
  SubjectKind: ['PERSON', 'ORGANISATION'],
  Gender: ['MALE', 'FEMALE', 'UNKNOWN'],
  NameKind: ['PRIMARY', 'ORIGINAL_SCRIPT', 'ALIAS'],
  NameQuality: ['GOOD', 'LOW'],
  DateQualifier: ['EXACT', 'APPROXIMATELY', 'BETWEEN'],
  DocumentType: ['PASSPORT', 'NATIONAL_ID', 'DRIVING_LICENCE', 'RESIDENCE_PERMIT', 'OTHER'],
  CrimeType: [
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
  ],
  CaseStatus: ['OPEN', 'UNDER_INVESTIGATION', 'SUSPENDED', 'CLOSED'],
  CaseRole: ['SUSPECT', 'ACCOMPLICE', 'VICTIM', 'WITNESS', 'PERSON_OF_INTEREST'],
} as const;

export const DATASET_FORMAT = 'records-federation-conformance/1';

const tlp = z.enum(CONTRACT_ENUMS.Tlp);
const localId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
const text = z.object({ language: z.string().min(2), text: z.string().min(1), original: z.boolean() }).strict();

const subject = z
  .object({
    localId,
    kind: z.enum(CONTRACT_ENUMS.SubjectKind),
    gender: z.enum(CONTRACT_ENUMS.Gender).nullable(),
    names: z
      .array(
        z
          .object({
            full: z.string().min(1),
            script: z.string().length(4),
            kind: z.enum(CONTRACT_ENUMS.NameKind),
            quality: z.enum(CONTRACT_ENUMS.NameQuality).nullable(),
          })
          .strict(),
      )
      .min(1),
    birthDates: z.array(
      z
        .object({
          qualifier: z.enum(CONTRACT_ENUMS.DateQualifier),
          date: z.string().nullable(),
          from: z.string().nullable(),
          to: z.string().nullable(),
        })
        .strict(),
    ),
    nationalities: z.array(z.string().length(2)),
    documents: z.array(
      z
        .object({
          type: z.enum(CONTRACT_ENUMS.DocumentType),
          number: z.string().min(1),
          issuingCountry: z.string().length(2).nullable(),
        })
        .strict(),
    ),
  })
  .strict();

const notice = z
  .object({
    localId,
    colour: z.enum(CONTRACT_ENUMS.NoticeColour),
    status: z.enum(CONTRACT_ENUMS.NoticeStatus),
    subjectLocalId: localId,
    reference: z.string().min(1),
    title: z.array(text),
    charges: z.array(text),
    issuedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    requestingCountry: z.string().length(2).nullable(),
    recipients: z.array(z.string()),
  })
  .strict();

const caseRecord = z
  .object({
    localId,
    reference: z.string().min(1),
    title: z.array(text),
    crimeTypes: z.array(z.enum(CONTRACT_ENUMS.CrimeType)).min(1),
    status: z.enum(CONTRACT_ENUMS.CaseStatus),
    openedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    subjects: z.array(z.object({ subjectLocalId: localId, role: z.enum(CONTRACT_ENUMS.CaseRole) }).strict()),
    /** Other agencies taking part; the owner is not listed (a loader puts it first). */
    participatingAgencies: z.array(z.string()),
  })
  .strict();

const labels = z
  .object({
    tlp,
    handling: z.enum(CONTRACT_ENUMS.HandlingCode),
    releasableTo: z.array(z.string()),
    discoverable: z.boolean(),
  })
  .strict();

export const datasetSchema = z
  .object({
    format: z.literal(DATASET_FORMAT),
    description: z.string(),
    subjects: z.array(subject),
    notices: z.array(notice),
    cases: z.array(caseRecord),
    labels: z.record(localId, labels),
  })
  .strict()
  .superRefine((dataset, context) => {
    const subjects = new Set(dataset.subjects.map((s) => s.localId));
    const ids = [
      ...dataset.subjects.map((s) => s.localId),
      ...dataset.notices.map((n) => n.localId),
      ...dataset.cases.map((c) => c.localId),
    ];
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) context.addIssue({ code: 'custom', message: `record id ${id} is used twice` });
      seen.add(id);
      if (!dataset.labels[id]) context.addIssue({ code: 'custom', message: `record ${id} has no labels` });
    }
    for (const id of Object.keys(dataset.labels)) {
      if (!seen.has(id)) context.addIssue({ code: 'custom', message: `labels name ${id}, which is no record` });
    }
    const linked = [
      ...dataset.notices.map((n) => n.subjectLocalId),
      ...dataset.cases.flatMap((c) => c.subjects.map((s) => s.subjectLocalId)),
    ];
    for (const id of linked)
      if (!subjects.has(id)) context.addIssue({ code: 'custom', message: `a link names subject ${id}, which is no subject` });
  });

export type ConformanceDataset = z.infer<typeof datasetSchema>;
export type DatasetLabels = ConformanceDataset['labels'][string];
export type RecordKind = 'Notice' | 'Subject' | 'Case';

/** Reads and checks a data set file; a bad one is refused with one line naming the file and the first problem. */
export function readDataset(file: string): ConformanceDataset {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not JSON';
    throw new Error(`cannot read the data set ${file}: ${reason}`, { cause: error });
  }
  const parsed = datasetSchema.safeParse(data);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const where = issue!.path.length > 0 ? ` at ${issue!.path.join('.')}` : '';
    throw new Error(`the data set ${file} is not in the ${DATASET_FORMAT} format${where}: ${issue!.message}`);
  }
  return parsed.data;
}

/** Every record of the data set with its kind, in data set order. */
export function recordsOf(dataset: ConformanceDataset): { kind: RecordKind; localId: string }[] {
  return [
    ...dataset.notices.map((n) => ({ kind: 'Notice' as const, localId: n.localId })),
    ...dataset.subjects.map((s) => ({ kind: 'Subject' as const, localId: s.localId })),
    ...dataset.cases.map((c) => ({ kind: 'Case' as const, localId: c.localId })),
  ];
}
