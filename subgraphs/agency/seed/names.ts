// Hand-built personal-name pools, one per naming culture, and how each country maps to one.
// Each element keeps its Latin spellings (usual one first, then real-world transliteration
// variants) next to its original-script form, so a person can be written differently by
// different agencies and still be the same person.

export interface NamePart {
  readonly latin: readonly string[];
  readonly native: string | null;
}

export interface Culture {
  /** ISO 15924 code of the original script; null where names are natively written in Latin script. */
  readonly script: string | null;
  /** Order in the culture itself; a record-keeping style may override it. */
  readonly order: 'FAMILY_FIRST' | 'GIVEN_FIRST';
  /** Chinese and Burmese names run together in the original script. */
  readonly nativeJoin: string;
  readonly givenCount: readonly [number, number];
  /** 0 for cultures without family names (Burmese), 2 for Iberian double surnames. */
  readonly familyCount: number;
  readonly male: readonly NamePart[];
  readonly female: readonly NamePart[];
  readonly family: readonly NamePart[];
  /** Vietnamese middle names (Văn, Thị, ...), placed between family and given name. */
  readonly middle?: { readonly male: readonly NamePart[]; readonly female: readonly NamePart[] };
  /** Malay "bin"/"binti": the family slot holds the father's given name. */
  readonly patronymic?: { readonly male: string; readonly female: string };
  /** Slavic surnames take a feminine form. */
  readonly feminineFamily?: (name: string) => string;
  /** Monikers that show up as low-quality aliases. */
  readonly nicknames?: { readonly male: readonly string[]; readonly female: readonly string[] };
}

/** `latin` lists spellings separated by '/', the usual one first. */
function p(latin: string, native: string | null = null): NamePart {
  return { latin: latin.split('/'), native };
}

/** Pinyin given names of two syllables are written run together, hyphenated or spaced. */
function cn(syllables: string, native: string): NamePart {
  const [first, second] = syllables.split(' ');
  if (second === undefined) return { latin: [syllables], native };
  return {
    latin: [`${first}${second.toLowerCase()}`, `${first}-${second}`, `${first} ${second}`],
    native,
  };
}

function list(parts: string): NamePart[] {
  return parts.split(',').map((s) => p(s.trim()));
}

const CHINESE: Culture = {
  script: 'Hans',
  order: 'FAMILY_FIRST',
  nativeJoin: '',
  givenCount: [1, 1],
  familyCount: 1,
  male: [
    cn('Wei', '伟'),
    cn('Qiang', '强'),
    cn('Lei', '磊'),
    cn('Jun', '军'),
    cn('Yong', '勇'),
    cn('Jie', '杰'),
    cn('Tao', '涛'),
    cn('Ming', '明'),
    cn('Chao', '超'),
    cn('Gang', '刚'),
    cn('Hui', '辉'),
    cn('Peng', '鹏'),
    cn('Bin', '斌'),
    cn('Yu', '宇'),
    cn('Jian Guo', '建国'),
    cn('Zhi Qiang', '志强'),
    cn('Jian Hua', '建华'),
    cn('Hai Tao', '海涛'),
    cn('Jun Jie', '俊杰'),
    cn('Hao Ran', '浩然'),
    cn('Zi Hao', '子豪'),
    cn('Wen Bo', '文博'),
    cn('Guo Hua', '国华'),
    cn('Xiao Long', '小龙'),
    cn('De Sheng', '德胜'),
  ],
  female: [
    cn('Fang', '芳'),
    cn('Na', '娜'),
    cn('Min', '敏'),
    cn('Jing', '静'),
    cn('Li', '丽'),
    cn('Yan', '艳'),
    cn('Xia', '霞'),
    cn('Ting', '婷'),
    cn('Xue', '雪'),
    cn('Hui', '慧'),
    cn('Xiu Ying', '秀英'),
    cn('Gui Ying', '桂英'),
    cn('Li Hua', '丽华'),
    cn('Yu Lan', '玉兰'),
    cn('Hong Mei', '红梅'),
    cn('Xiao Yan', '晓燕'),
    cn('Xin Yi', '欣怡'),
    cn('Zi Han', '梓涵'),
    cn('Jia Qi', '佳琪'),
    cn('Mei Ling', '美玲'),
  ],
  family: [
    p('Wang', '王'),
    p('Li', '李'),
    p('Zhang', '张'),
    p('Liu', '刘'),
    p('Chen', '陈'),
    p('Yang', '杨'),
    p('Huang', '黄'),
    p('Zhao', '赵'),
    p('Wu', '吴'),
    p('Zhou', '周'),
    p('Xu', '徐'),
    p('Sun', '孙'),
    p('Ma', '马'),
    p('Zhu', '朱'),
    p('Hu', '胡'),
    p('Guo', '郭'),
    p('He', '何'),
    p('Lin', '林'),
    p('Luo', '罗'),
    p('Gao', '高'),
    p('Zheng', '郑'),
    p('Liang', '梁'),
    p('Xie', '谢'),
    p('Song', '宋'),
    p('Tang', '唐'),
    p('Lü/Lyu/Lv', '吕'),
    p('Wei', '魏'),
    p('Peng', '彭'),
  ],
  nicknames: {
    male: ['Ah Wei', 'Ah Ming', 'Ah Qiang', 'Ah Long', 'Xiao Hu', 'Lao Da', 'Ah Jie'],
    female: ['Ah Fang', 'Ah Mei', 'Xiao Yan', 'Ah Ling', 'Xiao Xue'],
  },
};

const THAI: Culture = {
  script: 'Thai',
  order: 'GIVEN_FIRST',
  nativeJoin: ' ',
  givenCount: [1, 1],
  familyCount: 1,
  male: [
    p('Somchai/Somchay', 'สมชาย'),
    p('Somsak', 'สมศักดิ์'),
    p('Prasert/Prasoet', 'ประเสริฐ'),
    p('Surachai', 'สุรชัย'),
    p('Wichai/Vichai', 'วิชัย'),
    p('Anan/Anant', 'อนันต์'),
    p('Chaiwat', 'ชัยวัฒน์'),
    p('Nattapong/Natthaphong', 'ณัฐพงศ์'),
    p('Thanakorn/Thanakon', 'ธนกร'),
    p('Kittisak', 'กิตติศักดิ์'),
    p('Sompong', 'สมปอง'),
    p('Boonmee/Bunmi', 'บุญมี'),
    p('Suchart/Suchat', 'สุชาติ'),
    p('Arthit/Athit', 'อาทิตย์'),
    p('Pongsak/Phongsak', 'พงศ์ศักดิ์'),
    p('Sakchai', 'ศักดิ์ชัย'),
    p('Wirat/Virat', 'วิรัตน์'),
  ],
  female: [
    p('Somsri', 'สมศรี'),
    p('Malee/Mali', 'มาลี'),
    p('Siriporn/Siriphon', 'ศิริพร'),
    p('Suda', 'สุดา'),
    p('Wanida', 'วนิดา'),
    p('Kanya', 'กัญญา'),
    p('Nittaya/Nitaya', 'นิตยา'),
    p('Pornthip/Phonthip', 'พรทิพย์'),
    p('Ratana/Rattana', 'รัตนา'),
    p('Supaporn/Suphaphon', 'สุภาพร'),
    p('Jintana/Chintana', 'จินตนา'),
    p('Araya', 'อารยา'),
    p('Naree/Nari', 'นารี'),
    p('Kanokwan', 'กนกวรรณ'),
    p('Pimchanok/Phimchanok', 'พิมพ์ชนก'),
  ],
  family: [
    p('Srisuk/Srisook/Sisuk', 'ศรีสุข'),
    p('Saetang/Sae-tang', 'แซ่ตั้ง'),
    p('Saelee/Sae-lee', 'แซ่ลี้'),
    p('Thongdee/Thongdi', 'ทองดี'),
    p('Boonma/Bunma', 'บุญมา'),
    p('Kaewkham/Kaeokham', 'แก้วคำ'),
    p('Chaiyasit', 'ชัยสิทธิ์'),
    p('Suwannarat', 'สุวรรณรัตน์'),
    p('Phromma/Promma', 'พรหมมา'),
    p('Sriwong/Siwong', 'ศรีวงศ์'),
    p('Jaidee/Chaidi', 'ใจดี'),
    p('Sukprasert/Sukprasoet', 'สุขประเสริฐ'),
    p('Khamsuk', 'คำสุข'),
    p('Charoenphon/Charoenpol', 'เจริญผล'),
    p('Rattanawong', 'รัตนวงศ์'),
    p('Thongsuk/Thongsook', 'ทองสุข'),
    p('Wongsuwan', 'วงศ์สุวรรณ'),
  ],
  nicknames: {
    male: ['Lek', 'Daeng', 'Ton', 'Boy', 'Golf', 'Beer', 'Bird', 'Pu'],
    female: ['Noi', 'Nok', 'Joy', 'Ploy', 'Aom', 'Lek'],
  },
};

const LAO: Culture = {
  script: 'Laoo',
  order: 'GIVEN_FIRST',
  nativeJoin: ' ',
  givenCount: [1, 1],
  familyCount: 1,
  male: [
    p('Somphone/Somphon', 'ສົມພອນ'),
    p('Khamphet', 'ຄຳເພັດ'),
    p('Bounmy/Bounmi', 'ບຸນມີ'),
    p('Souksavanh/Souksavan', 'ສຸກສະຫວັນ'),
    p('Phonesavanh/Phonsavan', 'ພອນສະຫວັນ'),
    p('Vilay/Vilai', 'ວິໄລ'),
    p('Khamla', 'ຄຳຫຼ້າ'),
    p('Bounthanh/Bounthan', 'ບຸນທັນ'),
    p('Sisavath/Sisavat', 'ສີສະຫວາດ'),
    p('Vanthong', 'ວັນທອງ'),
    p('Somsack/Somsak', 'ສົມສັກ'),
    p('Souliya', 'ສຸລິຍາ'),
  ],
  female: [
    p('Manivanh/Manivan', 'ມະນີວັນ'),
    p('Keomany/Keomani', 'ແກ້ວມະນີ'),
    p('Chanthala', 'ຈັນທະລາ'),
    p('Bouavanh/Bouavan', 'ບົວວັນ'),
    p('Sengdao', 'ແສງດາວ'),
    p('Douangchanh/Duangchan', 'ດວງຈັນ'),
    p('Souphaphone/Souphaphon', 'ສຸພາພອນ'),
    p('Noy/Noi', 'ນ້ອຍ'),
    p('Amphone/Amphon', 'ອຳພອນ'),
    p('Sida', 'ສີດາ'),
    p('Naly/Nali', 'ນາລີ'),
  ],
  family: [
    p('Phommachanh/Phommachan', 'ພົມມະຈັນ'),
    p('Sisouphanh/Sisouphan', 'ສີສຸພັນ'),
    p('Vongsa', 'ວົງສາ'),
    p('Keomanivong', 'ແກ້ວມະນີວົງ'),
    p('Inthavong', 'ອິນທະວົງ'),
    p('Sayavong/Xayavong', 'ໄຊຍະວົງ'),
    p('Phetsomphou', 'ເພັດສົມພູ'),
    p('Souvannavong/Souvanavong', 'ສຸວັນນະວົງ'),
    p('Chanthavong', 'ຈັນທະວົງ'),
    p('Luangrath/Louangrath', 'ຫຼວງລາດ'),
    p('Douangmala/Duangmala', 'ດວງມາລາ'),
    p('Khamvongsa', 'ຄຳວົງສາ'),
    p('Thammavong', 'ທຳມະວົງ'),
    p('Sengsouvanh/Sengsouvan', 'ແສງສຸວັນ'),
    p('Vilayphone', 'ວິໄລພອນ'),
  ],
};

// Burmese names have no family name: two or three elements, spaced in Latin script only.
const BURMESE: Culture = {
  script: 'Mymr',
  order: 'GIVEN_FIRST',
  nativeJoin: '',
  givenCount: [2, 3],
  familyCount: 0,
  male: [
    p('Aung', 'အောင်'),
    p('Kyaw', 'ကျော်'),
    p('Min', 'မင်း'),
    p('Zaw', 'ဇော်'),
    p('Htet', 'ထက်'),
    p('Naing', 'နိုင်'),
    p('Thura', 'သူရ'),
    p('Win/Winn', 'ဝင်း'),
    p('Soe', 'စိုး'),
    p('Myint', 'မြင့်'),
    p('Tun/Htun', 'ထွန်း'),
    p('Hlaing', 'လှိုင်'),
    p('Moe/Mo', 'မိုး'),
    p('Lwin', 'လွင်'),
    p('Thein', 'သိန်း'),
    p('Maung', 'မောင်'),
    p('Hein', 'ဟိန်း'),
    p('Lin/Linn', 'လင်း'),
    p('Khant', 'ခန့်'),
    p('Pyae', 'ပြည့်'),
    p('Phyo/Phyoe', 'ဖြိုး'),
    p('Ye', 'ရဲ'),
    p('Htoo', 'ထူး'),
    p('Naung', 'နောင်'),
    p('Paing', 'ပိုင်'),
  ],
  female: [
    p('Aye', 'အေး'),
    p('Thandar/Thanda', 'သန္တာ'),
    p('Su', 'စု'),
    p('Hnin', 'နှင်း'),
    p('Khin', 'ခင်'),
    p('May', 'မေ'),
    p('Nwe/Nway', 'နွယ်'),
    p('Thida/Thidar', 'သီတာ'),
    p('Phyu', 'ဖြူ'),
    p('Yu', 'ယု'),
    p('Mon', 'မွန်'),
    p('Sandar/Sanda', 'စန္ဒာ'),
    p('Myat', 'မြတ်'),
    p('Thet', 'သက်'),
    p('Zar', 'ဇာ'),
    p('Cho', 'ချို'),
    p('Nandar/Nanda', 'နန္ဒာ'),
    p('Wah', 'ဝါ'),
    p('Yadanar/Yadana', 'ရတနာ'),
    p('San', 'စန်း'),
    p('Thuzar', 'သူဇာ'),
    p('Ei', 'အိ'),
  ],
  family: [],
};

const KHMER: Culture = {
  script: 'Khmr',
  order: 'FAMILY_FIRST',
  nativeJoin: ' ',
  givenCount: [1, 1],
  familyCount: 1,
  male: [
    p('Dara', 'ដារ៉ា'),
    p('Sophal', 'សុផល'),
    p('Vannak', 'វណ្ណៈ'),
    p('Rithy/Rithi', 'រិទ្ធី'),
    p('Vuthy/Vuthi', 'វុទ្ធី'),
    p('Sambath/Sambat', 'សម្បត្តិ'),
    p('Bunthoeun', 'ប៊ុនធឿន'),
    p('Chantha', 'ចន្ថា'),
    p('Piseth/Piset', 'ពិសិដ្ឋ'),
    p('Sovann', 'សុវណ្ណ'),
    p('Visal', 'វិសាល'),
    p('Kosal', 'កុសល'),
    p('Narith', 'ណារិទ្ធ'),
    p('Pheakdey', 'ភក្ដី'),
    p('Veasna', 'វាសនា'),
    p('Samnang', 'សំណាង'),
    p('Rathana', 'រតនា'),
    p('Sothea', 'សុធា'),
    p('Makara', 'មករា'),
  ],
  female: [
    p('Sreymom/Srey Mom', 'ស្រីមុំ'),
    p('Sokunthea', 'សុគន្ធា'),
    p('Chenda', 'ចិន្តា'),
    p('Sophea', 'សោភា'),
    p('Bopha', 'បុប្ផា'),
    p('Kanha', 'កញ្ញា'),
    p('Dany', 'ដានី'),
    p('Malis', 'ម្លិះ'),
    p('Theary', 'ធារី'),
    p('Sokha', 'សុខា'),
    p('Chantrea', 'ចន្ទ្រា'),
    p('Sreypov/Srey Pov', 'ស្រីពៅ'),
    p('Vanna', 'វណ្ណា'),
    p('Phalla', 'ផល្លា'),
    p('Leakhena', 'លក្ខិណា'),
    p('Thida', 'ធីតា'),
  ],
  family: [
    p('Sok/Sokh', 'សុខ'),
    p('Chan', 'ចាន់'),
    p('Kim', 'គីម'),
    p('Heng', 'ហេង'),
    p('Meas', 'មាស'),
    p('Chea/Chear', 'ជា'),
    p('Keo', 'កែវ'),
    p('Ly', 'លី'),
    p('Sam', 'សំ'),
    p('Nhem', 'ញឹម'),
    p('Pich/Pech', 'ពេជ្រ'),
    p('Yim', 'យឹម'),
    p('Ouk/Uk', 'អ៊ុក'),
    p('Seng', 'សេង'),
    p('Tep', 'ទេព'),
    p('Mao', 'ម៉ៅ'),
    p('Long', 'ឡុង'),
    p('Prak', 'ប្រាក់'),
    p('Chhay', 'ឆាយ'),
    p('Lim', 'លឹម'),
  ],
};

const VIETNAMESE: Culture = {
  script: null,
  order: 'FAMILY_FIRST',
  nativeJoin: ' ',
  givenCount: [1, 1],
  familyCount: 1,
  male: list(
    'An, Anh, Bình, Cường, Dũng, Hải, Hùng, Huy, Khánh, Long, Nam, Phong, Quân, Sơn, Tuấn, Thắng, ' + 'Trung, Việt, Hiếu, Tài, Đạt, Khoa',
  ),
  female: list('Lan, Hoa, Hương, Hằng, Linh, Mai, Phương, Thảo, Trang, Yến, Vy, Nhung, Hà, Thủy, Oanh, Loan, ' + 'Hạnh, Nga, Huyền'),
  family: list('Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý, Đinh, ' + 'Trương, Lâm'),
  middle: {
    male: list('Văn, Đức, Minh, Quốc, Hữu, Thành, Công'),
    female: list('Thị, Ngọc, Thu, Thanh, Kim, Bích'),
  },
  nicknames: { male: ['Tèo', 'Tí', 'Út', 'Tư', 'Hai'], female: ['Út', 'Bé', 'Hai', 'Tư'] },
};

const MALAY_MALE = [
  p('Muhammad/Mohd/Mohamad'),
  p('Ahmad'),
  p('Ismail'),
  p('Azman'),
  p('Hafiz'),
  p('Faizal/Faisal'),
  p('Rizal'),
  p('Hakim/Hakeem'),
  p('Zulkifli'),
  p('Hamzah/Hamza'),
  p('Amir'),
  p('Syafiq/Shafiq'),
  p('Aiman'),
  p('Farid/Fareed'),
  p('Kamal'),
  p('Razak'),
  p('Rosli'),
  p('Shahrul/Syahrul'),
  p('Hisham'),
  p('Abdullah'),
];

const MALAY: Culture = {
  script: null,
  order: 'GIVEN_FIRST',
  nativeJoin: ' ',
  givenCount: [1, 2],
  familyCount: 1,
  male: MALAY_MALE,
  female: [
    p('Nurul'),
    p('Siti'),
    p('Aisyah/Aishah'),
    p('Farah'),
    p('Nur/Noor'),
    p('Zainab'),
    p('Aminah'),
    p('Fatimah'),
    p('Norazlina'),
    p('Haslinda'),
    p('Rohani'),
    p('Suriani'),
    p('Izzati'),
    p('Syazwani/Shazwani'),
  ],
  family: MALAY_MALE,
  patronymic: { male: 'bin', female: 'binti' },
};

const INDONESIAN: Culture = {
  script: null,
  order: 'GIVEN_FIRST',
  nativeJoin: ' ',
  givenCount: [1, 1],
  familyCount: 1,
  male: list('Budi, Agus, Joko, Bambang, Hendra, Eko, Dedi, Rudi, Andi, Wahyu, Rizky, Fajar, Arief, Dimas, Yusuf'),
  female: list('Siti, Dewi, Sri, Ani, Rina, Wulan, Indah, Putri, Ratna, Yuni, Fitri, Ayu, Nurul'),
  family: list(
    'Santoso, Setiawan, Wijaya, Saputra, Hidayat, Kurniawan, Susanto, Pratama, Nugroho, Wibowo, ' +
      'Hartono, Gunawan, Suryadi, Halim, Siregar, Simanjuntak',
  ),
};

const FILIPINO: Culture = {
  script: null,
  order: 'GIVEN_FIRST',
  nativeJoin: ' ',
  givenCount: [1, 2],
  familyCount: 1,
  male: list('Jose, Juan, Mark, John, Rodrigo, Ramon, Eduardo, Antonio, Angelo, Jerome, Christian, Carlo, Ferdinand, Rommel, Arnel'),
  female: list('Maria, Ana, Kristine, Rosario, Maricel, Jocelyn, Cristina, Angelica, Grace, Lorna, Liza, Divina'),
  family: list(
    'Santos, Reyes, Cruz, Bautista, Ocampo, Garcia, Mendoza, Torres, Tomas, Villanueva, Ramos, ' +
      'Aquino, Castillo, Flores, Dela Cruz, Gonzales, Navarro',
  ),
};

const ARABIC: Culture = {
  script: 'Arab',
  order: 'GIVEN_FIRST',
  nativeJoin: ' ',
  givenCount: [1, 1],
  familyCount: 1,
  male: [
    p('Mohammed/Muhammad/Mohamed/Mohamad', 'محمد'),
    p('Ahmed/Ahmad', 'أحمد'),
    p('Ali', 'علي'),
    p('Omar/Umar', 'عمر'),
    p('Yusuf/Youssef/Yousef', 'يوسف'),
    p('Ibrahim/Ebrahim', 'إبراهيم'),
    p('Khalid/Khaled', 'خالد'),
    p('Hassan/Hasan', 'حسن'),
    p('Hussein/Husain/Hussain', 'حسين'),
    p('Mahmoud/Mahmud', 'محمود'),
    p('Mustafa/Moustafa/Mostafa', 'مصطفى'),
    p('Abdullah/Abdallah/Abd Allah', 'عبد الله'),
    p('Abdulrahman/Abd al-Rahman/Abdelrahman', 'عبد الرحمن'),
    p('Karim/Kareem', 'كريم'),
    p('Tariq/Tarek/Tareq', 'طارق'),
    p('Samir/Sameer', 'سمير'),
    p('Walid/Waleed', 'وليد'),
    p('Faisal/Faysal', 'فيصل'),
    p('Hamza/Hamzah', 'حمزة'),
    p('Bilal', 'بلال'),
    p('Nabil/Nabeel', 'نبيل'),
    p('Rashid/Rachid', 'راشد'),
    p('Saeed/Said', 'سعيد'),
    p('Adel/Adil', 'عادل'),
    p('Ziad/Ziyad', 'زياد'),
  ],
  female: [
    p('Fatima/Fatma/Fatimah', 'فاطمة'),
    p('Aisha/Aicha/Aysha', 'عائشة'),
    p('Mariam/Maryam/Meriem', 'مريم'),
    p('Khadija/Khadidja', 'خديجة'),
    p('Layla/Leila/Laila', 'ليلى'),
    p('Nour/Noor', 'نور'),
    p('Huda/Houda/Hoda', 'هدى'),
    p('Amina/Amena', 'آمنة'),
    p('Salma', 'سلمى'),
    p('Rania', 'رانيا'),
    p('Yasmin/Yasmine', 'ياسمين'),
    p('Samira/Sameera', 'سميرة'),
    p('Zainab/Zeinab/Zaynab', 'زينب'),
    p('Dina', 'دينا'),
  ],
  family: [
    p('Al-Masri/El-Masry/Almasri', 'المصري'),
    p('Haddad', 'حداد'),
    p('Khoury/Khouri', 'خوري'),
    p('Mansour/Mansur', 'منصور'),
    p('Nasser/Nasir', 'ناصر'),
    p('Al-Amin/El-Amine', 'الأمين'),
    p('Saleh/Salih', 'صالح'),
    p('Hamdan', 'حمدان'),
    p('Al-Obaidi/Al-Ubaydi', 'العبيدي'),
    p('Darwish/Derwich', 'درويش'),
    p('Abbas', 'عباس'),
    p('El Idrissi/Al-Idrisi', 'الإدريسي'),
    p('Al-Tamimi', 'التميمي'),
    p('Qasim/Kassem/Qassem', 'قاسم'),
    p('Al-Najjar/El-Naggar', 'النجار'),
    p('Shaheen/Chahine', 'شاهين'),
    p('Aziz', 'عزيز'),
    p('Jaber/Jabir', 'جابر'),
    p('Othman/Osman/Uthman', 'عثمان'),
    p('Farouk/Faruq', 'فاروق'),
    p('Ben Ali', 'بن علي'),
    p('Al-Husseini/El-Husseini', 'الحسيني'),
  ],
  nicknames: {
    male: ['Abu Hamza', 'Abu Omar', 'Abu Khalid', 'Abu Yusuf', 'Abu Ali', 'Abu Mohammed'],
    female: ['Umm Ahmed', 'Umm Ali', 'Umm Khalid'],
  },
};

const RUSSIAN: Culture = {
  script: 'Cyrl',
  order: 'GIVEN_FIRST',
  nativeJoin: ' ',
  givenCount: [1, 1],
  familyCount: 1,
  male: [
    p('Sergei/Sergey/Serguei', 'Сергей'),
    p('Alexei/Aleksei/Alexey', 'Алексей'),
    p('Dmitry/Dmitri/Dmitrii', 'Дмитрий'),
    p('Andrei/Andrey', 'Андрей'),
    p('Ivan', 'Иван'),
    p('Mikhail/Michail', 'Михаил'),
    p('Nikolai/Nikolay', 'Николай'),
    p('Vladimir', 'Владимир'),
    p('Yuri/Yury/Iurii', 'Юрий'),
    p('Alexander/Aleksandr', 'Александр'),
    p('Pavel', 'Павел'),
    p('Maxim/Maksim', 'Максим'),
    p('Igor', 'Игорь'),
    p('Oleg', 'Олег'),
    p('Viktor/Victor', 'Виктор'),
    p('Artem/Artyom', 'Артём'),
    p('Evgeny/Yevgeny/Evgenii', 'Евгений'),
    p('Roman', 'Роман'),
    p('Denis', 'Денис'),
    p('Anton', 'Антон'),
  ],
  female: [
    p('Olga', 'Ольга'),
    p('Tatiana/Tatyana', 'Татьяна'),
    p('Elena/Yelena', 'Елена'),
    p('Natalia/Natalya', 'Наталья'),
    p('Irina', 'Ирина'),
    p('Svetlana', 'Светлана'),
    p('Anna', 'Анна'),
    p('Maria/Mariya', 'Мария'),
    p('Ekaterina/Yekaterina', 'Екатерина'),
    p('Yulia/Yuliya/Iuliia', 'Юлия'),
    p('Anastasia/Anastasiya', 'Анастасия'),
    p('Marina', 'Марина'),
    p('Daria/Darya', 'Дарья'),
  ],
  family: [
    p('Ivanov', 'Иванов'),
    p('Smirnov', 'Смирнов'),
    p('Kuznetsov', 'Кузнецов'),
    p('Popov', 'Попов'),
    p('Sokolov', 'Соколов'),
    p('Lebedev', 'Лебедев'),
    p('Kozlov', 'Козлов'),
    p('Novikov', 'Новиков'),
    p('Morozov', 'Морозов'),
    p('Petrov', 'Петров'),
    p('Volkov', 'Волков'),
    p('Solovyov/Solovyev/Soloviev', 'Соловьёв'),
    p('Vasiliev/Vasilyev', 'Васильев'),
    p('Zaitsev/Zaytsev', 'Зайцев'),
    p('Pavlov', 'Павлов'),
    p('Semenov/Semyonov', 'Семёнов'),
    p('Golubev', 'Голубев'),
    p('Orlov', 'Орлов'),
    p('Fedorov/Fyodorov', 'Фёдоров'),
  ],
  // Every surname in the pool ends in -ov/-ev/-ёв, whose feminine form adds -a.
  feminineFamily: (name) => name + (/\p{Script=Cyrillic}/u.test(name) ? 'а' : 'a'),
};

const HINDI: Culture = {
  script: 'Deva',
  order: 'GIVEN_FIRST',
  nativeJoin: ' ',
  givenCount: [1, 1],
  familyCount: 1,
  male: [
    p('Rahul', 'राहुल'),
    p('Amit', 'अमित'),
    p('Rajesh', 'राजेश'),
    p('Suresh', 'सुरेश'),
    p('Vijay', 'विजय'),
    p('Sanjay', 'संजय'),
    p('Anil', 'अनिल'),
    p('Sunil', 'सुनील'),
    p('Ravi', 'रवि'),
    p('Arjun', 'अर्जुन'),
    p('Vikram', 'विक्रम'),
    p('Deepak', 'दीपक'),
    p('Manoj', 'मनोज'),
    p('Ajay', 'अजय'),
    p('Rakesh', 'राकेश'),
  ],
  female: [
    p('Priya', 'प्रिया'),
    p('Pooja/Puja', 'पूजा'),
    p('Sunita', 'सुनीता'),
    p('Anita', 'अनीता'),
    p('Kavita', 'कविता'),
    p('Neha', 'नेहा'),
    p('Anjali', 'अंजलि'),
    p('Rekha', 'रेखा'),
    p('Meena', 'मीना'),
    p('Deepika', 'दीपिका'),
    p('Sneha', 'स्नेहा'),
  ],
  family: [
    p('Sharma', 'शर्मा'),
    p('Verma', 'वर्मा'),
    p('Gupta', 'गुप्ता'),
    p('Singh', 'सिंह'),
    p('Kumar', 'कुमार'),
    p('Patel', 'पटेल'),
    p('Yadav', 'यादव'),
    p('Mishra', 'मिश्रा'),
    p('Joshi', 'जोशी'),
    p('Agarwal/Aggarwal', 'अग्रवाल'),
    p('Chauhan', 'चौहान'),
    p('Reddy', 'रेड्डी'),
    p('Mehta', 'मेहता'),
    p('Jain', 'जैन'),
    p('Pandey', 'पांडे'),
  ],
};

function latinCulture(
  male: string,
  female: string,
  family: string,
  extra: Partial<Pick<Culture, 'givenCount' | 'familyCount' | 'feminineFamily'>> = {},
): Culture {
  return {
    script: null,
    order: 'GIVEN_FIRST',
    nativeJoin: ' ',
    givenCount: [1, 1],
    familyCount: 1,
    male: list(male),
    female: list(female),
    family: list(family),
    ...extra,
  };
}

const FRENCH = latinCulture(
  'Jean, Pierre, Michel, Philippe, Nicolas, Julien, Thomas, Antoine, Laurent, Sébastien, Olivier, ' +
    'François, Mathieu, Stéphane, Christophe, Karim',
  'Marie, Nathalie, Isabelle, Sophie, Camille, Julie, Céline, Aurélie, Sandrine, Émilie, Claire, ' + 'Hélène, Manon, Léa, Inès',
  'Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon, Laurent, ' +
    'Lefebvre, Michel, David, Bertrand, Roux, Vincent, Fournier, Girard, Lambert, Mercier, Faure, Rousseau',
);

const GERMAN = latinCulture(
  'Thomas, Michael, Andreas, Stefan, Christian, Markus, Alexander, Jan, Tobias, Jürgen, Klaus, Uwe, ' +
    'Frank, Sebastian, Lukas, Jonas, Matthias, Dieter',
  'Sabine, Claudia, Andrea, Stefanie, Julia, Katrin, Anna, Lena, Laura, Birgit, Susanne, Petra, Jana, Monika',
  'Müller/Mueller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, ' +
    'Schäfer/Schaefer, Koch, Bauer, Richter, Klein, Wolf, Schröder/Schroeder, Neumann, Schwarz, ' +
    'Zimmermann, Braun, Krüger/Krueger, Hartmann',
);

const ITALIAN = latinCulture(
  'Marco, Giuseppe, Giovanni, Antonio, Luca, Francesco, Alessandro, Andrea, Matteo, Salvatore, ' +
    'Roberto, Stefano, Davide, Paolo, Vincenzo',
  'Giulia, Francesca, Chiara, Sara, Laura, Valentina, Maria, Anna, Elena, Federica, Alessia, Martina',
  'Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno, Gallo, ' +
    'Conti, De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti',
);

const SPANISH = latinCulture(
  'José, Antonio, Juan, Manuel, Francisco, David, Javier, Daniel, Carlos, Miguel, Alejandro, Pablo, ' +
    'Sergio, Jorge, Luis, Alberto, Diego, Andrés, Fernando',
  'María, Carmen, Ana, Laura, Isabel, Lucía, Marta, Elena, Cristina, Paula, Sofía, Raquel, Pilar, Rocío',
  'García, Rodríguez, González, Fernández, López, Martínez, Sánchez, Pérez, Gómez, Martín, Jiménez, ' +
    'Ruiz, Hernández, Díaz, Moreno, Álvarez, Romero, Navarro, Torres, Ramírez, Vargas, Castillo, Ortiz',
  { givenCount: [1, 2], familyCount: 2 },
);

const PORTUGUESE = latinCulture(
  'João, José, Pedro, Lucas, Gabriel, Rafael, Miguel, Tiago, Bruno, Diogo, Ricardo, Paulo, Marcos, ' + 'Felipe, Rodrigo, Luís',
  'Maria, Ana, Beatriz, Mariana, Juliana, Fernanda, Camila, Sofia, Inês, Carolina, Larissa, Patrícia',
  'Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Martins, Souza, Almeida, Carvalho, ' +
    'Gomes, Ribeiro, Alves, Lopes, Lima, Fernandes, Barbosa',
  { givenCount: [1, 2], familyCount: 2 },
);

const DUTCH = latinCulture(
  'Jan, Pieter, Johannes, Daan, Sem, Lucas, Thomas, Ruben, Bram, Martijn, Sander, Dennis, Joost, Niels',
  'Anna, Emma, Sophie, Julia, Lotte, Sanne, Fleur, Eva, Femke, Anouk, Marieke, Ingrid',
  'de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit, Meijer, de Boer, ' +
    'Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen',
);

const POLISH = latinCulture(
  'Piotr, Krzysztof, Andrzej, Tomasz, Paweł, Michał, Marcin, Jakub, Łukasz, Mateusz, Adam, Grzegorz, Kamil, Dariusz',
  'Anna, Katarzyna, Małgorzata, Agnieszka, Joanna, Magdalena, Monika, Ewa, Barbara, Aleksandra, Natalia, Zofia',
  'Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński, Szymański, ' +
    'Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, Kwiatkowski, Krawczyk',
  { feminineFamily: (name) => name.replace(/(sk|ck|dzk)i$/, '$1a') },
);

const ROMANIAN = latinCulture(
  'Andrei, Alexandru, Mihai, Ionuț, Florin, Cristian, Gabriel, Adrian, Marius, Bogdan, Daniel, Ștefan, Vlad, Constantin',
  'Maria, Elena, Ioana, Andreea, Mihaela, Ana, Alexandra, Cristina, Gabriela, Raluca, Roxana, Diana',
  'Popescu, Popa, Pop, Radu, Dumitru, Stan, Stoica, Gheorghe, Matei, Ciobanu, Ionescu, Rusu, ' +
    'Munteanu, Constantin, Moldovan, Marin, Tudor, Dinu',
);

const ALBANIAN = latinCulture(
  'Arben, Besnik, Ardit, Gentian, Erion, Dritan, Ilir, Fatmir, Agron, Flamur, Blerim, Endrit, Klodian, Altin',
  'Elira, Arta, Blerina, Ermira, Jonida, Anila, Mirela, Valbona, Drita, Besa, Fjolla',
  'Hoxha, Shehu, Krasniqi, Gashi, Berisha, Morina, Leka, Dervishi, Kola, Hysa, Bajrami, Çela/Cela, ' + 'Marku, Prifti, Kelmendi',
);

const TURKISH = latinCulture(
  'Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, Murat, Emre, Burak, Yusuf, Ömer, Can, Serkan, Kemal',
  'Ayşe, Fatma, Emine, Zeynep, Elif, Merve, Özlem, Hatice, Esra, Büşra, Derya, Gül',
  'Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, Özdemir, Arslan, Doğan, ' + 'Kılıç, Aslan, Çetin, Kara, Koç, Kurt',
);

const ENGLISH = latinCulture(
  'James, John, David, Michael, Daniel, Robert, William, Thomas, Christopher, Matthew, Andrew, Paul, ' +
    'Mark, Steven, Ryan, Liam, Connor, Jack, Kevin, Brian',
  'Sarah, Emma, Jessica, Emily, Laura, Rachel, Hannah, Rebecca, Jennifer, Amanda, Lisa, Michelle, ' + 'Chloe, Olivia, Siobhan',
  'Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Johnson, Thompson, Walker, Wright, ' +
    "Robinson, Murphy, O'Brien, Kelly, Miller, Davis, Anderson, Clarke, Hughes, Green, Hall",
);

const NIGERIAN = latinCulture(
  'Chinedu, Emeka, Oluwaseun, Babatunde, Tunde, Ikechukwu, Olumide, Chukwuemeka, Adebayo, Segun, ' + 'Obinna, Kelechi, Musa, Usman',
  'Ngozi, Chiamaka, Funmilayo, Adaeze, Blessing, Folake, Yetunde, Chioma, Amaka, Aisha, Halima, Nneka',
  'Okafor, Adeyemi, Okonkwo, Eze, Balogun, Adebayo, Nwosu, Ogunleye, Okeke, Ibrahim, Abubakar, ' + 'Bello, Olawale, Chukwu, Obi, Nwachukwu',
);

/** Naming culture by ISO 3166-1 alpha-2 nationality; only these countries are generated. */
const COUNTRY_CULTURE: Readonly<Record<string, Culture>> = {
  CN: CHINESE,
  SG: CHINESE,
  TH: THAI,
  LA: LAO,
  MM: BURMESE,
  KH: KHMER,
  VN: VIETNAMESE,
  MY: MALAY,
  BN: MALAY,
  ID: INDONESIAN,
  PH: FILIPINO,
  SA: ARABIC,
  EG: ARABIC,
  MA: ARABIC,
  DZ: ARABIC,
  TN: ARABIC,
  IQ: ARABIC,
  SY: ARABIC,
  JO: ARABIC,
  LB: ARABIC,
  AE: ARABIC,
  RU: RUSSIAN,
  BY: RUSSIAN,
  KZ: RUSSIAN,
  IN: HINDI,
  FR: FRENCH,
  BE: FRENCH,
  DE: GERMAN,
  AT: GERMAN,
  IT: ITALIAN,
  ES: SPANISH,
  MX: SPANISH,
  CO: SPANISH,
  AR: SPANISH,
  PE: SPANISH,
  VE: SPANISH,
  PT: PORTUGUESE,
  BR: PORTUGUESE,
  NL: DUTCH,
  PL: POLISH,
  RO: ROMANIAN,
  AL: ALBANIAN,
  TR: TURKISH,
  GB: ENGLISH,
  IE: ENGLISH,
  US: ENGLISH,
  AU: ENGLISH,
  CA: ENGLISH,
  NG: NIGERIAN,
};

export function cultureOf(country: string): Culture {
  const culture = COUNTRY_CULTURE[country];
  if (culture === undefined) throw new Error(`No naming culture for country ${country}`);
  return culture;
}
