// What makes each agency's data look like its own: who it deals with, which crimes, which
// partners, which languages, and how its clerks write names.
import type { CrimeType } from '../store/records.js';
import type { NameStyle } from './naming.js';
import { ARAB_ENTITIES, EUROPEAN_COMPANIES, MEKONG_COMPANIES, type OrganisationFamily } from './organisations.js';
import type { Weighted } from './random.js';
import type { InterpolColour, LanguagePlan } from './texts.js';

/** The agencies the demo federation has data for. */
export const DEMO_AGENCIES = ['INTERPOL', 'EUROPOL', 'ASEANAPOL', 'LMLECC'] as const;
export type DemoAgency = (typeof DEMO_AGENCIES)[number];

/** Whether demo data exists for this agency code (any well-formed code may run a node). */
export function isDemoAgency(code: string): code is DemoAgency {
  return (DEMO_AGENCIES as readonly string[]).includes(code);
}

export type NoticePlan =
  /** INTERPOL: how many notices of each colour. */
  | { readonly kind: 'COLOURED'; readonly quotas: Weighted<InterpolColour> }
  /** Regional bodies only send diffusions to chosen partners. */
  | {
      readonly kind: 'DIFFUSION';
      readonly min: number;
      readonly max: number;
      /** Member countries that request diffusions through the body. */
      readonly requesters: readonly string[];
    };

export interface AgencyProfile {
  readonly code: DemoAgency;
  readonly nationalities: Weighted<string>;
  readonly crimes: Weighted<CrimeType>;
  /** Directory codes of partners that join cases and receive diffusions. */
  readonly partners: Weighted<string>;
  readonly organisations: readonly OrganisationFamily[];
  readonly nameStyle: NameStyle;
  readonly languages: LanguagePlan;
  /** Subjects of the agency's own, shared persons come on top. */
  readonly subjects: number;
  readonly cases: readonly [number, number];
  readonly notices: NoticePlan;
}

const EU_MEMBERS = ['FR', 'DE', 'IT', 'ES', 'NL', 'PL', 'RO', 'BE', 'PT', 'AT', 'IE'];
const ASEAN_MEMBERS = ['TH', 'VN', 'MY', 'ID', 'PH', 'SG', 'KH', 'LA', 'MM', 'BN'];
const LANCANG_MEKONG_MEMBERS = ['CN', 'TH', 'LA', 'MM', 'KH', 'VN'];

const INTERPOL: AgencyProfile = {
  code: 'INTERPOL',
  nationalities: [
    ['CN', 8],
    ['RU', 5],
    ['NG', 5],
    ['IN', 5],
    ['MX', 4],
    ['CO', 4],
    ['BR', 4],
    ['VN', 4],
    ['US', 3],
    ['GB', 3],
    ['FR', 3],
    ['DE', 3],
    ['IT', 3],
    ['ES', 3],
    ['TR', 3],
    ['AL', 3],
    ['MA', 3],
    ['EG', 3],
    ['IQ', 3],
    ['SY', 3],
    ['TH', 3],
    ['PH', 3],
    ['ID', 3],
    ['DZ', 2],
    ['SA', 2],
    ['MY', 2],
    ['MM', 2],
    ['KH', 2],
    ['PL', 2],
    ['RO', 2],
    ['NL', 2],
    ['AR', 2],
    ['VE', 2],
    ['LA', 1],
    ['AE', 1],
    ['JO', 1],
    ['LB', 1],
    ['TN', 1],
    ['PT', 1],
    ['PE', 1],
    ['AU', 1],
    ['CA', 1],
    ['IE', 1],
    ['BY', 1],
    ['KZ', 1],
    ['BE', 1],
    ['AT', 1],
    ['SG', 1],
    ['BN', 1],
  ],
  crimes: [
    ['DRUG_TRAFFICKING', 14],
    ['ORGANISED_CRIME', 10],
    ['MONEY_LAUNDERING', 10],
    ['TELECOM_FRAUD', 8],
    ['CYBER_FRAUD', 8],
    ['TRAFFICKING_IN_PERSONS', 8],
    ['HOMICIDE', 8],
    ['CYBERCRIME', 7],
    ['TERRORISM', 6],
    ['ARMED_ROBBERY', 6],
    ['MIGRANT_SMUGGLING', 5],
    ['CORRUPTION', 5],
    ['FIREARMS_TRAFFICKING', 5],
    ['CHILD_SEXUAL_EXPLOITATION', 5],
    ['ENVIRONMENTAL_CRIME', 4],
  ],
  partners: [
    ['EUROPOL', 3],
    ['ASEANAPOL', 3],
    ['FR-PN', 2],
    ['DE-BKA', 2],
    ['TH-RTP', 2],
    ['LMLECC', 1],
    ['VN-MPS', 1],
    ['CN-MPS', 1],
    ['LA-MPS', 1],
    ['MM-MPF', 1],
    ['KH-NP', 1],
  ],
  organisations: [MEKONG_COMPANIES, EUROPEAN_COMPANIES, ARAB_ENTITIES],
  nameStyle: { order: 'FAMILY_FIRST', upperFamily: true },
  languages: {
    originals: [
      ['en', 55],
      ['fr', 20],
      ['es', 17],
      ['ar', 8],
    ],
    translations: [
      ['en', 0.5],
      ['fr', 0.5],
      ['es', 0.5],
      ['ar', 0.5],
    ],
    // INTERPOL's four working languages.
    always: ['en', 'fr', 'es', 'ar'],
  },
  subjects: 340,
  cases: [230, 250],
  notices: {
    kind: 'COLOURED',
    quotas: [
      ['RED', 118],
      ['YELLOW', 40],
      ['BLUE', 42],
      ['BLACK', 14],
      ['GREEN', 30],
      ['ORANGE', 14],
      ['PURPLE', 16],
      ['SILVER', 16],
      ['UN_SPECIAL', 30],
    ],
  },
};

const EUROPOL: AgencyProfile = {
  code: 'EUROPOL',
  nationalities: [
    ['FR', 8],
    ['DE', 8],
    ['IT', 7],
    ['ES', 7],
    ['NL', 6],
    ['PL', 5],
    ['RO', 5],
    ['BE', 4],
    ['PT', 3],
    ['AT', 3],
    ['IE', 1],
    ['AL', 4],
    ['TR', 4],
    ['MA', 4],
    ['NG', 3],
    ['RU', 3],
    ['GB', 3],
    ['DZ', 2],
    ['CN', 2],
    ['VN', 2],
    ['SY', 2],
    ['IQ', 2],
    ['EG', 1],
  ],
  crimes: [
    ['CYBERCRIME', 26],
    ['MONEY_LAUNDERING', 24],
    ['DRUG_TRAFFICKING', 14],
    ['MIGRANT_SMUGGLING', 10],
    ['ORGANISED_CRIME', 10],
    ['CHILD_SEXUAL_EXPLOITATION', 6],
    ['TERRORISM', 5],
    ['TELECOM_FRAUD', 5],
  ],
  partners: [
    ['FR-PN', 5],
    ['DE-BKA', 5],
    ['INTERPOL', 4],
    ['ASEANAPOL', 1],
    ['VN-MPS', 1],
    ['CN-MPS', 1],
  ],
  organisations: [EUROPEAN_COMPANIES],
  nameStyle: { order: 'GIVEN_FIRST', upperFamily: true },
  languages: {
    originals: [
      ['en', 80],
      ['de', 10],
      ['fr', 10],
    ],
    translations: [
      ['en', 0.9],
      ['de', 0.25],
      ['fr', 0.25],
    ],
  },
  subjects: 250,
  cases: [225, 245],
  notices: { kind: 'DIFFUSION', min: 80, max: 120, requesters: EU_MEMBERS },
};

const ASEANAPOL: AgencyProfile = {
  code: 'ASEANAPOL',
  nationalities: [
    ['TH', 14],
    ['VN', 12],
    ['ID', 12],
    ['PH', 12],
    ['MY', 10],
    ['KH', 8],
    ['MM', 8],
    ['LA', 5],
    ['SG', 4],
    ['BN', 2],
  ],
  crimes: [
    ['TRAFFICKING_IN_PERSONS', 28],
    ['CYBER_FRAUD', 26],
    ['TELECOM_FRAUD', 16],
    ['DRUG_TRAFFICKING', 16],
    ['MIGRANT_SMUGGLING', 12],
  ],
  partners: [
    ['INTERPOL', 4],
    ['TH-RTP', 4],
    ['VN-MPS', 3],
    ['KH-NP', 3],
    ['LMLECC', 2],
    ['LA-MPS', 2],
    ['MM-MPF', 2],
    ['CN-MPS', 1],
    ['EUROPOL', 1],
  ],
  organisations: [MEKONG_COMPANIES],
  nameStyle: { order: 'NATIVE', upperFamily: false },
  languages: {
    originals: [
      ['en', 70],
      ['th', 8],
      ['vi', 8],
      ['ms', 7],
      ['id', 7],
    ],
    translations: [
      ['en', 0.9],
      ['th', 0.2],
      ['vi', 0.2],
      ['ms', 0.2],
      ['id', 0.2],
    ],
  },
  subjects: 250,
  cases: [225, 245],
  notices: { kind: 'DIFFUSION', min: 80, max: 120, requesters: ASEAN_MEMBERS },
};

const LMLECC: AgencyProfile = {
  code: 'LMLECC',
  nationalities: [
    ['CN', 30],
    ['TH', 18],
    ['MM', 16],
    ['LA', 12],
    ['KH', 12],
    ['VN', 12],
  ],
  crimes: [
    ['DRUG_TRAFFICKING', 32],
    ['TELECOM_FRAUD', 32],
    ['TRAFFICKING_IN_PERSONS', 12],
    ['MONEY_LAUNDERING', 12],
    ['FIREARMS_TRAFFICKING', 6],
    ['ENVIRONMENTAL_CRIME', 6],
  ],
  partners: [
    ['CN-MPS', 5],
    ['TH-RTP', 5],
    ['LA-MPS', 4],
    ['MM-MPF', 4],
    ['KH-NP', 3],
    ['VN-MPS', 3],
    ['INTERPOL', 2],
    ['ASEANAPOL', 2],
  ],
  organisations: [MEKONG_COMPANIES],
  nameStyle: { order: 'NATIVE', upperFamily: true },
  languages: {
    originals: [
      ['zh', 40],
      ['th', 20],
      ['lo', 12],
      ['my', 10],
      ['km', 10],
      ['vi', 8],
    ],
    translations: [
      ['en', 0.75],
      ['zh', 0.4],
    ],
    // The languages of the six Lancang-Mekong countries, and English.
    always: ['en', 'zh', 'th', 'lo', 'my', 'km', 'vi'],
  },
  subjects: 250,
  cases: [225, 245],
  notices: { kind: 'DIFFUSION', min: 80, max: 120, requesters: LANCANG_MEKONG_MEMBERS },
};

export const PROFILES: Readonly<Record<DemoAgency, AgencyProfile>> = { INTERPOL, EUROPOL, ASEANAPOL, LMLECC };

export function handles<T>(entries: Weighted<T>, value: T): boolean {
  return entries.some(([v]) => v === value);
}
