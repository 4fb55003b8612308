// The directory's own data: who takes part, in which trust circles. Public, small,
// changed by configuration review rather than at run time.

export type AgencyKind = 'GLOBAL' | 'REGIONAL' | 'NATIONAL';

export interface AgencyEntry {
  code: string;
  name: string;
  kind: AgencyKind;
  region: string;
  languages: string[];
  hostsNode: boolean;
}

export interface TrustCircleEntry {
  code: string;
  name: string;
  description: string;
  members: string[];
}

export const AGENCIES: readonly AgencyEntry[] = [
  { code: 'INTERPOL', name: 'International Criminal Police Organization', kind: 'GLOBAL', region: 'Worldwide', languages: ['ar', 'en', 'es', 'fr'], hostsNode: true },
  { code: 'EUROPOL', name: 'European Union Agency for Law Enforcement Cooperation', kind: 'REGIONAL', region: 'European Union', languages: ['en', 'de', 'fr'], hostsNode: true },
  { code: 'ASEANAPOL', name: 'ASEAN Chiefs of National Police', kind: 'REGIONAL', region: 'Southeast Asia', languages: ['en'], hostsNode: true },
  {
    code: 'LMLECC',
    name: 'Lancang-Mekong Integrated Law Enforcement and Security Cooperation Centre',
    kind: 'REGIONAL',
    region: 'Lancang-Mekong',
    languages: ['zh', 'th', 'lo', 'my', 'km', 'vi', 'en'],
    hostsNode: true,
  },
  { code: 'TH-RTP', name: 'Royal Thai Police', kind: 'NATIONAL', region: 'Thailand', languages: ['th', 'en'], hostsNode: false },
  { code: 'VN-MPS', name: 'Ministry of Public Security of Viet Nam', kind: 'NATIONAL', region: 'Viet Nam', languages: ['vi', 'en'], hostsNode: false },
  { code: 'CN-MPS', name: "Ministry of Public Security of the People's Republic of China", kind: 'NATIONAL', region: 'China', languages: ['zh', 'en'], hostsNode: false },
  { code: 'LA-MPS', name: 'Ministry of Public Security of the Lao PDR', kind: 'NATIONAL', region: 'Lao PDR', languages: ['lo', 'en'], hostsNode: false },
  { code: 'MM-MPF', name: 'Myanmar Police Force', kind: 'NATIONAL', region: 'Myanmar', languages: ['my', 'en'], hostsNode: false },
  { code: 'KH-NP', name: 'Cambodian National Police', kind: 'NATIONAL', region: 'Cambodia', languages: ['km', 'en'], hostsNode: false },
  { code: 'FR-PN', name: 'Police nationale (France)', kind: 'NATIONAL', region: 'France', languages: ['fr'], hostsNode: false },
  { code: 'DE-BKA', name: 'Bundeskriminalamt (Germany)', kind: 'NATIONAL', region: 'Germany', languages: ['de'], hostsNode: false },
];

export const TRUST_CIRCLES: readonly TrustCircleEntry[] = [
  {
    code: 'GLOBAL',
    name: 'Global',
    description: 'Every participant of the federation.',
    members: AGENCIES.map((agency) => agency.code),
  },
  { code: 'EU', name: 'European Union', description: 'EU agencies and EU member-state police.', members: ['EUROPOL', 'FR-PN', 'DE-BKA'] },
  {
    code: 'ASEAN',
    name: 'ASEAN',
    description: 'ASEANAPOL and the police of ASEAN member states.',
    members: ['ASEANAPOL', 'TH-RTP', 'VN-MPS', 'LA-MPS', 'MM-MPF', 'KH-NP'],
  },
  {
    code: 'MEKONG',
    name: 'Lancang-Mekong',
    description: 'The Lancang-Mekong centre and the six riparian states.',
    members: ['LMLECC', 'CN-MPS', 'TH-RTP', 'VN-MPS', 'LA-MPS', 'MM-MPF', 'KH-NP'],
  },
];

/** The trust circles the directory lists an agency in. */
export function circlesOf(agency: string): string[] {
  return TRUST_CIRCLES.filter((circle) => circle.members.includes(agency)).map((circle) => circle.code);
}
