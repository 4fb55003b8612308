// Investigation files: a lead crime (plus related ones), the subjects involved and their
// roles, and the partner agencies working the case.
import type { CaseRecord, CaseRole, CaseStatus, CrimeType, SubjectRecord } from '../store/records.js';
import { RECORD_WINDOW, randomDate, yearOf } from './dates.js';
import { byDate, drawer, localId, relatedCrimes, yearlySerials, type SubjectPool } from './pool.js';
import type { AgencyProfile } from './profiles.js';
import type { Random, Weighted } from './random.js';
import { caseTitle, pickLanguages, texts } from './texts.js';

// Every store must be able to answer a cross-store query on telecom fraud.
const MIN_TELECOM_FRAUD_CASES = 12;

const CRIME_CODES: Readonly<Record<CrimeType, string>> = {
  TELECOM_FRAUD: 'TF',
  CYBER_FRAUD: 'CF',
  CYBERCRIME: 'CY',
  DRUG_TRAFFICKING: 'DT',
  TRAFFICKING_IN_PERSONS: 'TP',
  MIGRANT_SMUGGLING: 'MS',
  MONEY_LAUNDERING: 'ML',
  TERRORISM: 'TE',
  FIREARMS_TRAFFICKING: 'FA',
  ENVIRONMENTAL_CRIME: 'EN',
  CORRUPTION: 'CO',
  CHILD_SEXUAL_EXPLOITATION: 'CS',
  HOMICIDE: 'HO',
  ARMED_ROBBERY: 'AR',
  ORGANISED_CRIME: 'OC',
};

const STATUSES: Weighted<CaseStatus> = [
  ['OPEN', 25],
  ['UNDER_INVESTIGATION', 35],
  ['SUSPENDED', 10],
  ['CLOSED', 30],
];
const PERSON_ROLES: Weighted<CaseRole> = [
  ['SUSPECT', 30],
  ['ACCOMPLICE', 25],
  ['VICTIM', 15],
  ['WITNESS', 12],
  ['PERSON_OF_INTEREST', 18],
];
// Companies are not victims or witnesses in these files.
const ORGANISATION_ROLES: Weighted<CaseRole> = [
  ['SUSPECT', 40],
  ['ACCOMPLICE', 30],
  ['PERSON_OF_INTEREST', 30],
];

interface Lead {
  readonly crime: CrimeType;
  readonly suspect: SubjectRecord | null;
}

type CaseDraft = Omit<CaseRecord, 'localId' | 'reference'> & { readonly lead: CrimeType };

export function buildCases(rng: Random, profile: AgencyProfile, pool: SubjectPool): CaseRecord[] {
  const count = rng.int(...profile.cases);
  const leads: Lead[] = [
    ...pool.shared.map(({ subject, crime }) => ({ crime, suspect: subject })),
    ...Array.from({ length: MIN_TELECOM_FRAUD_CASES }, (): Lead => ({ crime: 'TELECOM_FRAUD', suspect: null })),
  ];
  while (leads.length < count) leads.push({ crime: rng.weighted(profile.crimes), suspect: null });

  const person = drawer(rng, pool.persons);
  const organisation = drawer(rng, pool.organisations);
  const drafts = rng.shuffle(leads).map((lead): CaseDraft => {
    const crimeTypes = [
      lead.crime,
      ...relatedCrimes(
        rng,
        profile,
        lead.crime,
        rng.weighted([
          [0, 50],
          [1, 35],
          [2, 15],
        ]),
      ),
    ];
    const suspect = lead.suspect ?? (rng.chance(0.12) ? organisation() : person());
    const others = rng
      .sample(pool.all, 5)
      .filter((s) => s !== suspect)
      .slice(
        0,
        rng.weighted([
          [0, 20],
          [1, 30],
          [2, 25],
          [3, 15],
          [4, 10],
        ]),
      );
    const partners = rng.weightedSample(
      profile.partners,
      rng.weighted([
        [0, 35],
        [1, 35],
        [2, 20],
        [3, 10],
      ]),
    );
    return {
      lead: lead.crime,
      title: texts(pickLanguages(rng, profile.languages), caseTitle(rng, lead.crime)),
      crimeTypes,
      status: rng.weighted(STATUSES),
      openedOn: randomDate(rng, RECORD_WINDOW.from, RECORD_WINDOW.to),
      subjects: [
        { subjectLocalId: suspect.localId, role: 'SUSPECT' },
        ...others.map((s) => ({
          subjectLocalId: s.localId,
          role: rng.weighted(s.kind === 'PERSON' ? PERSON_ROLES : ORGANISATION_ROLES),
        })),
      ],
      participatingAgencies: [profile.code, ...partners],
    };
  });

  const sorted = byDate(drafts, (d) => d.openedOn);
  const serials = yearlySerials(
    rng,
    sorted.map((d) => d.openedOn),
    [1, 4],
  );
  return sorted.map(({ lead, ...draft }, i) => ({
    localId: localId('C', i + 1),
    reference: `${profile.code}-${yearOf(draft.openedOn)}-${CRIME_CODES[lead]}-${String(serials[i]).padStart(4, '0')}`,
    ...draft,
  }));
}
