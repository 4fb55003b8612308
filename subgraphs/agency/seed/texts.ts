// Human-readable titles and charges, written in the agency's working languages: one original
// and a few translations. Templates use "label: crime" so no language needs grammatical
// agreement with the crime phrase.
import type { CrimeType, NoticeColour, TextRecord } from '../store/records.js';
import type { Random, Weighted } from './random.js';

export type Language = 'en' | 'fr' | 'es' | 'ar' | 'de' | 'zh' | 'th' | 'lo' | 'my' | 'km' | 'vi' | 'ms' | 'id';

export interface LanguagePlan {
  readonly originals: Weighted<Language>;
  /** Each language with the probability that a translation into it is attached. */
  readonly translations: readonly (readonly [Language, number])[];
  /**
   * Languages every text is also given in: the agency's working languages, which it
   * publishes everything in. Added after the drawn ones, drawing nothing, so the rest of the
   * demo data does not change with them.
   */
  readonly always?: readonly Language[];
}

type Table<T> = Partial<Record<Language, T>>;

function lookup<T>(table: Table<T>, language: Language, what: string): T {
  const value = table[language];
  if (value === undefined) throw new Error(`No ${language} text for ${what}`);
  return value;
}

// Each agency only draws crimes it works on, in its own languages, so the Mekong and
// ASEAN languages cover the crimes of LMLECC and ASEANAPOL only.
const CRIMES: Readonly<Record<CrimeType, Table<string>>> = {
  TELECOM_FRAUD: {
    en: 'telecom fraud',
    fr: 'fraude aux télécommunications',
    es: 'fraude de telecomunicaciones',
    ar: 'الاحتيال عبر الاتصالات',
    de: 'Telekommunikationsbetrug',
    zh: '电信网络诈骗',
    th: 'การฉ้อโกงทางโทรคมนาคม',
    lo: 'ການສໍ້ໂກງທາງໂທລະຄົມມະນາຄົມ',
    my: 'ဆက်သွယ်ရေးလိမ်လည်မှု',
    km: 'ការឆបោកតាមប្រព័ន្ធទូរគមនាគមន៍',
    vi: 'lừa đảo qua viễn thông',
    ms: 'penipuan telekomunikasi',
    id: 'penipuan telekomunikasi',
  },
  CYBER_FRAUD: {
    en: 'online fraud',
    fr: 'escroquerie en ligne',
    es: 'estafa en línea',
    ar: 'الاحتيال الإلكتروني',
    de: 'Online-Betrug',
    zh: '网络诈骗',
    th: 'การฉ้อโกงออนไลน์',
    vi: 'lừa đảo trực tuyến',
    ms: 'penipuan dalam talian',
    id: 'penipuan daring',
  },
  CYBERCRIME: {
    en: 'cybercrime',
    fr: 'cybercriminalité',
    es: 'ciberdelincuencia',
    ar: 'الجرائم الإلكترونية',
    de: 'Cyberkriminalität',
  },
  DRUG_TRAFFICKING: {
    en: 'drug trafficking',
    fr: 'trafic de stupéfiants',
    es: 'tráfico de drogas',
    ar: 'الاتجار بالمخدرات',
    de: 'Drogenhandel',
    zh: '贩毒',
    th: 'การค้ายาเสพติด',
    lo: 'ການຄ້າຢາເສບຕິດ',
    my: 'မူးယစ်ဆေးဝါးကုန်ကူးမှု',
    km: 'ការជួញដូរគ្រឿងញៀន',
    vi: 'mua bán trái phép chất ma túy',
    ms: 'pengedaran dadah',
    id: 'peredaran gelap narkotika',
  },
  TRAFFICKING_IN_PERSONS: {
    en: 'trafficking in persons',
    fr: 'traite des êtres humains',
    es: 'trata de personas',
    ar: 'الاتجار بالبشر',
    de: 'Menschenhandel',
    zh: '拐卖人口',
    th: 'การค้ามนุษย์',
    lo: 'ການຄ້າມະນຸດ',
    my: 'လူကုန်ကူးမှု',
    km: 'ការជួញដូរមនុស្ស',
    vi: 'mua bán người',
    ms: 'pemerdagangan orang',
    id: 'perdagangan orang',
  },
  MIGRANT_SMUGGLING: {
    en: 'migrant smuggling',
    fr: 'trafic illicite de migrants',
    es: 'tráfico ilícito de migrantes',
    ar: 'تهريب المهاجرين',
    de: 'Einschleusen von Ausländern',
    th: 'การลักลอบขนคนเข้าเมือง',
    vi: 'tổ chức đưa người xuất cảnh trái phép',
    ms: 'penyeludupan migran',
    id: 'penyelundupan manusia',
  },
  MONEY_LAUNDERING: {
    en: 'money laundering',
    fr: 'blanchiment d’argent',
    es: 'blanqueo de capitales',
    ar: 'غسل الأموال',
    de: 'Geldwäsche',
    zh: '洗钱',
    th: 'การฟอกเงิน',
    lo: 'ການຟອກເງິນ',
    my: 'ငွေကြေးခဝါချမှု',
    km: 'ការសម្អាតប្រាក់',
    vi: 'rửa tiền',
    ms: 'pengubahan wang haram',
    id: 'pencucian uang',
  },
  TERRORISM: { en: 'terrorism', fr: 'terrorisme', es: 'terrorismo', ar: 'الإرهاب', de: 'Terrorismus' },
  FIREARMS_TRAFFICKING: {
    en: 'firearms trafficking',
    fr: 'trafic d’armes à feu',
    es: 'tráfico de armas de fuego',
    ar: 'الاتجار بالأسلحة النارية',
    de: 'illegaler Waffenhandel',
    zh: '走私枪支',
    th: 'การค้าอาวุธปืนเถื่อน',
    lo: 'ການຄ້າອາວຸດປືນເຖື່ອນ',
    my: 'လက်နက်မှောင်ခိုကူးမှု',
    km: 'ការជួញដូរអាវុធខុសច្បាប់',
    vi: 'buôn bán vũ khí trái phép',
  },
  ENVIRONMENTAL_CRIME: {
    en: 'environmental crime',
    fr: 'atteintes à l’environnement',
    es: 'delitos contra el medio ambiente',
    ar: 'الجرائم البيئية',
    de: 'Umweltkriminalität',
    zh: '破坏环境资源犯罪',
    th: 'อาชญากรรมด้านสิ่งแวดล้อม',
    lo: 'ອາຊະຍາກຳດ້ານສິ່ງແວດລ້ອມ',
    my: 'သဘာဝပတ်ဝန်းကျင်ဆိုင်ရာ ရာဇဝတ်မှု',
    km: 'បទល្មើសបរិស្ថាន',
    vi: 'tội phạm về môi trường',
  },
  CORRUPTION: { en: 'corruption', fr: 'corruption', es: 'corrupción', ar: 'الفساد', de: 'Korruption' },
  CHILD_SEXUAL_EXPLOITATION: {
    en: 'child sexual exploitation',
    fr: 'exploitation sexuelle d’enfants',
    es: 'explotación sexual infantil',
    ar: 'الاستغلال الجنسي للأطفال',
    de: 'sexuelle Ausbeutung von Kindern',
  },
  HOMICIDE: { en: 'homicide', fr: 'homicide', es: 'homicidio', ar: 'القتل العمد', de: 'Tötungsdelikt' },
  ARMED_ROBBERY: {
    en: 'armed robbery',
    fr: 'vol à main armée',
    es: 'robo a mano armada',
    ar: 'السطو المسلح',
    de: 'bewaffneter Raubüberfall',
  },
  ORGANISED_CRIME: {
    en: 'participation in an organised criminal group',
    fr: 'participation à une organisation criminelle',
    es: 'pertenencia a organización criminal',
    ar: 'المشاركة في جماعة إجرامية منظمة',
    de: 'Beteiligung an einer kriminellen Vereinigung',
  },
};

function crimePhrase(crime: CrimeType, language: Language): string {
  return lookup(CRIMES[crime], language, crime);
}

export type InterpolColour = Exclude<NoticeColour, 'DIFFUSION'>;
type NoticeTemplate = Table<(crime: string, female: boolean) => string>;

// Several colours carry no crime (missing persons, bodies, UN sanctions): they ignore it.
const NOTICE_TITLES: Readonly<Record<InterpolColour, readonly NoticeTemplate[]>> = {
  RED: [
    {
      en: (c) => `Wanted for prosecution: ${c}`,
      fr: (c, f) => `${f ? 'Recherchée' : 'Recherché'} pour poursuites : ${c}`,
      es: (c, f) => `${f ? 'Buscada' : 'Buscado'} para su procesamiento: ${c}`,
      ar: (c, f) => `${f ? 'مطلوبة' : 'مطلوب'} للملاحقة القضائية: ${c}`,
    },
    {
      en: (c) => `Wanted to serve a sentence: ${c}`,
      fr: (c, f) => `${f ? 'Recherchée' : 'Recherché'} pour l’exécution d’une peine : ${c}`,
      es: (c, f) => `${f ? 'Buscada' : 'Buscado'} para cumplir una condena: ${c}`,
      ar: (c, f) => `${f ? 'مطلوبة' : 'مطلوب'} لتنفيذ حكم قضائي: ${c}`,
    },
  ],
  YELLOW: [{ en: () => 'Missing person', fr: () => 'Personne disparue', es: () => 'Persona desaparecida', ar: () => 'شخص مفقود' }],
  BLUE: [
    {
      en: (c) => `Request for additional information: ${c}`,
      fr: (c) => `Demande de renseignements complémentaires : ${c}`,
      es: (c) => `Solicitud de información adicional: ${c}`,
      ar: (c) => `طلب معلومات إضافية: ${c}`,
    },
  ],
  BLACK: [
    {
      en: () => 'Unidentified body: presumed identity',
      fr: () => 'Corps non identifié : identité présumée',
      es: () => 'Cadáver sin identificar: identidad presunta',
      ar: () => 'جثة مجهولة الهوية: هوية مفترضة',
    },
  ],
  GREEN: [
    {
      en: (c) => `Warning about criminal activities: ${c}`,
      fr: (c) => `Avertissement sur des activités criminelles : ${c}`,
      es: (c) => `Advertencia sobre actividades delictivas: ${c}`,
      ar: (c) => `تحذير من أنشطة إجرامية: ${c}`,
    },
  ],
  ORANGE: [
    {
      en: (c) => `Imminent threat to public safety: ${c}`,
      fr: (c) => `Menace imminente pour la sécurité publique : ${c}`,
      es: (c) => `Amenaza inminente para la seguridad pública: ${c}`,
      ar: (c) => `تهديد وشيك للسلامة العامة: ${c}`,
    },
  ],
  PURPLE: [
    {
      en: (c) => `Modus operandi: ${c}`,
      fr: (c) => `Mode opératoire : ${c}`,
      es: (c) => `Modus operandi: ${c}`,
      ar: (c) => `أسلوب إجرامي: ${c}`,
    },
  ],
  SILVER: [
    {
      en: (c) => `Criminal assets sought: ${c}`,
      fr: (c) => `Recherche d’avoirs criminels : ${c}`,
      es: (c) => `Localización de activos de origen delictivo: ${c}`,
      ar: (c) => `تعقب الأصول المتأتية من الجريمة: ${c}`,
    },
  ],
  UN_SPECIAL: [
    {
      en: () => 'INTERPOL–United Nations Security Council Special Notice: asset freeze, travel ban and arms embargo',
      fr: () =>
        'Notice spéciale INTERPOL–Conseil de sécurité des Nations Unies : gel des avoirs, interdiction de voyager et embargo sur les armes',
      es: () =>
        'Notificación especial INTERPOL–Consejo de Seguridad de las Naciones Unidas: congelación de activos, prohibición de viajar y embargo de armas',
      ar: () => 'نشرة خاصة من الإنتربول ومجلس الأمن التابع للأمم المتحدة: تجميد الأصول وحظر السفر وحظر الأسلحة',
    },
  ],
};

const DIFFUSION_TITLES: Table<(crime: string) => string> = {
  en: (c) => `Request to locate suspect: ${c}`,
  de: (c) => `Fahndungsersuchen: ${c}`,
  fr: (c) => `Demande de localisation d’un suspect : ${c}`,
  zh: (c) => `协查通报：${c}`,
  th: (c) => `ขอความร่วมมือติดตามตัวผู้ต้องหา: ${c}`,
  lo: (c) => `ແຈ້ງການຂໍຄວາມຮ່ວມມືຕິດຕາມຕົວຜູ້ຕ້ອງຫາ: ${c}`,
  my: (c) => `ရှာဖွေဖမ်းဆီးရန် အကြောင်းကြားစာ: ${c}`,
  km: (c) => `សំណើសហការស្វែងរកជនសង្ស័យ: ${c}`,
  vi: (c) => `Thông báo truy tìm đối tượng: ${c}`,
  ms: (c) => `Permohonan mengesan suspek: ${c}`,
  id: (c) => `Permintaan pencarian tersangka: ${c}`,
};

const CASE_TITLES: readonly Table<(crime: string) => string>[] = [
  {
    en: (c) => `Joint investigation: ${c}`,
    fr: (c) => `Enquête conjointe : ${c}`,
    es: (c) => `Investigación conjunta: ${c}`,
    ar: (c) => `تحقيق مشترك: ${c}`,
    de: (c) => `Gemeinsame Ermittlungen: ${c}`,
    zh: (c) => `联合侦查：${c}`,
    th: (c) => `การสืบสวนร่วม: ${c}`,
    lo: (c) => `ການສືບສວນຮ່ວມ: ${c}`,
    my: (c) => `ပူးတွဲစုံစမ်းစစ်ဆေးမှု: ${c}`,
    km: (c) => `ការស៊ើបអង្កេតរួមគ្នា: ${c}`,
    vi: (c) => `Điều tra chung: ${c}`,
    ms: (c) => `Siasatan bersama: ${c}`,
    id: (c) => `Penyidikan bersama: ${c}`,
  },
  {
    en: (c) => `Cross-border criminal network: ${c}`,
    fr: (c) => `Réseau criminel transfrontalier : ${c}`,
    es: (c) => `Red criminal transfronteriza: ${c}`,
    ar: (c) => `شبكة إجرامية عابرة للحدود: ${c}`,
    de: (c) => `Grenzüberschreitendes kriminelles Netzwerk: ${c}`,
    zh: (c) => `跨境犯罪团伙：${c}`,
    th: (c) => `เครือข่ายอาชญากรรมข้ามชาติ: ${c}`,
    lo: (c) => `ເຄືອຂ່າຍອາຊະຍາກຳຂ້າມຊາດ: ${c}`,
    my: (c) => `နယ်ကျော်ရာဇဝတ်ဂိုဏ်း: ${c}`,
    km: (c) => `បណ្តាញឧក្រិដ្ឋកម្មឆ្លងដែន: ${c}`,
    vi: (c) => `Đường dây tội phạm xuyên quốc gia: ${c}`,
    ms: (c) => `Rangkaian jenayah rentas sempadan: ${c}`,
    id: (c) => `Jaringan kejahatan lintas negara: ${c}`,
  },
];

// "A and B" per language; Arabic "و" attaches to the following word.
const AND: Readonly<Record<Language, string>> = {
  en: ' and ',
  fr: ' et ',
  es: ' y ',
  ar: ' و',
  de: ' und ',
  zh: '、',
  th: 'และ',
  lo: ' ແລະ ',
  my: ' နှင့် ',
  km: ' និង ',
  vi: ' và ',
  ms: ' dan ',
  id: ' dan ',
};

/** Original language first, then the translations. */
export function pickLanguages(rng: Random, plan: LanguagePlan): Language[] {
  const original = rng.weighted(plan.originals);
  const translations: Language[] = [];
  for (const [language, p] of plan.translations) {
    if (language !== original && rng.chance(p)) translations.push(language);
  }
  const drawn = [original, ...translations.slice(0, 3)];
  return [...drawn, ...(plan.always ?? []).filter((language) => !drawn.includes(language))];
}

export function texts(languages: readonly Language[], render: (language: Language) => string): TextRecord[] {
  return languages.map((language, i) => ({ language, text: render(language), original: i === 0 }));
}

export function noticeTitle(rng: Random, colour: InterpolColour, crime: CrimeType | null, female: boolean): (language: Language) => string {
  const template = rng.pick(NOTICE_TITLES[colour]);
  return (language) => lookup(template, language, `${colour} notice`)(crime === null ? '' : crimePhrase(crime, language), female);
}

export function diffusionTitle(crime: CrimeType): (language: Language) => string {
  return (language) => lookup(DIFFUSION_TITLES, language, 'diffusion')(crimePhrase(crime, language));
}

export function caseTitle(rng: Random, crime: CrimeType): (language: Language) => string {
  const template = rng.pick(CASE_TITLES);
  return (language) => lookup(template, language, 'case title')(crimePhrase(crime, language));
}

/** One or two charges, e.g. "Drug trafficking and money laundering". */
export function charges(crimes: readonly CrimeType[]): (language: Language) => string {
  return (language) => {
    const text = crimes.map((crime) => crimePhrase(crime, language)).join(AND[language]);
    return text.charAt(0).toUpperCase() + text.slice(1);
  };
}
