// Fictional organisation names in the styles seen in each region's case files: Chinese-run
// companies and "industrial parks" fronting scam compounds around the Mekong, European
// shell companies, and Gulf/Levant charities and exchange houses of sanctions lists.

export interface OrganisationName {
  readonly latin: string;
  readonly native: string | null;
  /** ISO 15924 code of the native name, null when there is none. */
  readonly script: string | null;
}

export interface OrganisationFamily {
  /** Countries where such entities are registered. */
  readonly countries: readonly string[];
  /** Every name the family can produce for a registration country. */
  names(country: string): OrganisationName[];
}

const MEKONG_PREFIXES = [
  ['Golden Triangle', '金三角'],
  ['Mekong Star', '湄公之星'],
  ['Jade Dragon', '玉龙'],
  ['Lucky Phoenix', '幸运凤凰'],
  ['Silver Lotus', '银莲'],
  ['Golden Kapok', '金木棉'],
  ['Four Seas', '四海'],
  ['Great Fortune', '鸿运'],
  ['Heavenly Horse', '天马'],
  ['Red Sun', '红日'],
  ['Blue Ocean', '蓝海'],
  ['Rising Tiger', '腾虎'],
] as const;

const MEKONG_KINDS = [
  ['Trading Co., Ltd.', '贸易有限公司'],
  ['Logistics Co., Ltd.', '物流有限公司'],
  ['Investment Group', '投资集团'],
  ['Technology Co., Ltd.', '科技有限公司'],
  ['Industrial Park', '工业园区'],
  ['Entertainment City', '娱乐城'],
] as const;

export const MEKONG_COMPANIES: OrganisationFamily = {
  countries: ['MM', 'LA', 'KH', 'TH', 'CN', 'PH', 'MY', 'SG'],
  names: () =>
    MEKONG_PREFIXES.flatMap(([prefix, prefixZh]) =>
      MEKONG_KINDS.map(([kind, kindZh]) => ({ latin: `${prefix} ${kind}`, native: prefixZh + kindZh, script: 'Hans' })),
    ),
};

const EUROPEAN_PREFIXES = [
  'Nordhafen',
  'Baltic Amber',
  'Danube Star',
  'Rhine Valley',
  'Adriatic Sun',
  'Black Sea',
  'Alpine Peak',
  'Atlantic Gate',
  'Silver Coast',
  'Hanse Bridge',
  'Blue Harbour',
  'Iberian Sun',
];
const EUROPEAN_KINDS = ['Logistics', 'Trading', 'Consulting', 'Shipping', 'Payments', 'Crypto Exchange'];
const LEGAL_FORMS: Readonly<Record<string, string>> = {
  DE: 'GmbH',
  AT: 'GmbH',
  NL: 'B.V.',
  BE: 'SRL',
  FR: 'SAS',
  ES: 'S.L.',
  PT: 'Lda.',
  IT: 'S.r.l.',
  PL: 'sp. z o.o.',
  RO: 'S.R.L.',
  GB: 'Ltd',
  IE: 'Ltd',
};

export const EUROPEAN_COMPANIES: OrganisationFamily = {
  countries: Object.keys(LEGAL_FORMS),
  names: (country) =>
    EUROPEAN_PREFIXES.flatMap((prefix) =>
      EUROPEAN_KINDS.map((kind) => ({
        latin: `${prefix} ${kind} ${LEGAL_FORMS[country] ?? 'Ltd'}`,
        native: null,
        script: null,
      })),
    ),
};

const ARAB_PREFIXES = [
  ['Al-Yasmin', 'الياسمين'],
  ['Al-Zaytoun', 'الزيتون'],
  ['Al-Rimal', 'الرمال'],
  ['Al-Qamar', 'القمر'],
  ['Al-Sahraa', 'الصحراء'],
  ['Al-Nujoom', 'النجوم'],
  ['Al-Ward', 'الورد'],
  ['Al-Jabal', 'الجبل'],
] as const;

const ARAB_KINDS: readonly (readonly [(p: string) => string, (p: string) => string])[] = [
  [(p) => `${p} Charitable Foundation`, (p) => `مؤسسة ${p} الخيرية`],
  [(p) => `${p} Exchange Company`, (p) => `شركة ${p} للصرافة`],
  [(p) => `${p} General Trading LLC`, (p) => `شركة ${p} للتجارة العامة`],
  [(p) => `${p} Relief Society`, (p) => `جمعية ${p} للإغاثة`],
];

export const ARAB_ENTITIES: OrganisationFamily = {
  countries: ['AE', 'LB', 'SY', 'IQ', 'JO', 'EG', 'SA'],
  names: () =>
    ARAB_PREFIXES.flatMap(([prefix, prefixAr]) =>
      ARAB_KINDS.map(([latin, arabic]) => ({ latin: latin(prefix), native: arabic(prefixAr), script: 'Arab' })),
    ),
};
