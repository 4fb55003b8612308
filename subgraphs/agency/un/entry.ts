import type { BirthDateRecord, DocumentType, Gender, IdentityDocumentRecord, NameRecord, SubjectKind } from '../store/records.js';
import { isoCountry } from './countries.js';
import { scriptOf } from './script.js';
import { UnListError, type EntryKind, type XmlElement } from './xml.js';

// One entry of the UN list (an INDIVIDUAL or an ENTITY element) mapped onto the records
// model and the UN fields of the contract (schema/records.un.graphql). Each element of the
// entry is either held whole by those fields, or also kept whole, as the UN wrote it, in
// `raw`: nothing in the file is dropped (docs/un-import.md lists what goes where).

export interface UnPlace {
  street: string | null;
  city: string | null;
  stateProvince: string | null;
  zipCode: string | null;
  /** As the UN writes it. */
  country: string | null;
  /** ISO 3166-1 alpha-2 of `country`, when it names a known country. */
  countryCode: string | null;
  note: string | null;
}

export interface UnEntry {
  referenceNumber: string;
  dataId: string;
  versionNumber: number | null;
  /** UN_LIST_TYPE: the sanctions regime (Al-Qaida, Taliban, DPRK, ...). */
  listType: string;
  listedOn: string;
  lastUpdated: string[];
  comments: string | null;
  kind: SubjectKind;
  gender: Gender | null;
  firstName: string;
  secondName: string | null;
  thirdName: string | null;
  fourthName: string | null;
  /** PRIMARY (the name parts joined), ORIGINAL_SCRIPT, then every alias. */
  names: NameRecord[];
  birthDates: BirthDateRecord[];
  /** ISO 3166-1 alpha-2. */
  nationalities: string[];
  documents: IdentityDocumentRecord[];
  titles: string[];
  designations: string[];
  placesOfBirth: UnPlace[];
  addresses: UnPlace[];
  /** Elements the fields above hold only in part or not at all, whole, by element name; null when there are none. */
  raw: Record<string, unknown[]> | null;
}

type Draft = Omit<UnEntry, 'referenceNumber' | 'dataId' | 'listType' | 'listedOn' | 'firstName' | 'names' | 'raw'> & {
  referenceNumber: string | null;
  dataId: string | null;
  listType: string | null;
  listedOn: string | null;
  firstName: string | null;
  otherNames: NameRecord[];
};

type SingleField = 'referenceNumber' | 'dataId' | 'listType' | 'comments' | 'firstName' | 'secondName' | 'thirdName' | 'fourthName';

const SINGLE_FIELDS: Readonly<Record<string, SingleField>> = {
  REFERENCE_NUMBER: 'referenceNumber',
  DATAID: 'dataId',
  UN_LIST_TYPE: 'listType',
  COMMENTS1: 'comments',
  FIRST_NAME: 'firstName',
  SECOND_NAME: 'secondName',
  THIRD_NAME: 'thirdName',
  FOURTH_NAME: 'fourthName',
};

const REQUIRED: readonly [keyof Draft, string][] = [
  ['referenceNumber', 'REFERENCE_NUMBER'],
  ['dataId', 'DATAID'],
  ['listType', 'UN_LIST_TYPE'],
  ['listedOn', 'LISTED_ON'],
  ['firstName', 'FIRST_NAME'],
];

const GENDERS: Readonly<Record<string, Gender>> = { male: 'MALE', female: 'FEMALE', unknown: 'UNKNOWN' };

// Individuals' aliases are rated Good or Low; entities' are "a.k.a." (held: that is what an
// alias is) or "f.k.a." (formerly known as: kept in raw, the model has no such kind).
const ALIAS_QUALITIES: Readonly<Record<string, NameRecord['quality']>> = { '': null, good: 'GOOD', low: 'LOW', 'a.k.a.': null };

const DOCUMENT_TYPES: readonly (readonly [RegExp, DocumentType])[] = [
  [/passport|passeport|pasaporte/i, 'PASSPORT'],
  [/driv/i, 'DRIVING_LICENCE'],
  [/residen/i, 'RESIDENCE_PERMIT'],
  [/identi(fication|ty)/i, 'NATIONAL_ID'],
];

const PLACE_FIELDS = {
  STREET: 'street',
  CITY: 'city',
  STATE_PROVINCE: 'stateProvince',
  ZIP_CODE: 'zipCode',
  COUNTRY: 'country',
  NOTE: 'note',
} as const;

/** Maps the `ordinal`-th entry of the file; refuses an entry that lacks what every UN entry has. */
export function mapEntry(kind: EntryKind, element: XmlElement, ordinal: number): UnEntry {
  const draft: Draft = {
    referenceNumber: null,
    dataId: null,
    versionNumber: null,
    listType: null,
    listedOn: null,
    lastUpdated: [],
    comments: null,
    kind: kind === 'INDIVIDUAL' ? 'PERSON' : 'ORGANISATION',
    gender: null,
    firstName: null,
    secondName: null,
    thirdName: null,
    fourthName: null,
    otherNames: [],
    birthDates: [],
    nationalities: [],
    documents: [],
    titles: [],
    designations: [],
    placesOfBirth: [],
    addresses: [],
  };
  const raw: Record<string, unknown[]> = {};
  if (!isLeafless(element)) raw[element.name] = [{ ...prefixed(element.attributes), ...(element.text ? { '#text': element.text } : {}) }];
  for (const child of element.children) {
    if (hasData(child) && !take(draft, child)) (raw[child.name] ??= []).push(toJson(child));
  }
  for (const [field, name] of REQUIRED) {
    if (draft[field] === null) {
      throw new UnListError(`entry ${ordinal} (${kind} ${draft.referenceNumber ?? 'without REFERENCE_NUMBER'}) has no ${name}`);
    }
  }
  const { otherNames, referenceNumber, dataId, listType, listedOn, firstName, ...rest } = draft;
  const primary = [firstName, rest.secondName, rest.thirdName, rest.fourthName].filter((part) => part !== null).join(' ');
  return {
    ...rest,
    // Checked just above: REQUIRED fields are set.
    referenceNumber: referenceNumber!,
    dataId: dataId!,
    listType: listType!,
    listedOn: listedOn!,
    firstName: firstName!,
    names: [{ full: primary, script: scriptOf(primary), kind: 'PRIMARY', quality: null }, ...otherNames],
    raw: Object.keys(raw).length > 0 ? raw : null,
  };
}

/** Takes one element of an entry into the draft; true when the draft holds all of it. */
function take(draft: Draft, element: XmlElement): boolean {
  const single = SINGLE_FIELDS[element.name];
  if (single) return setOnce(draft, single, element);
  switch (element.name) {
    case 'LISTED_ON': {
      // xs:date may carry a time zone ("2015-03-27-04:00"): the notice keeps the date, raw the whole value.
      const date = /^\d{4}-\d{2}-\d{2}(?=$|Z|[+-]\d{2}:\d{2}$)/.exec(element.text)?.[0];
      if (!isLeaf(element) || !date || draft.listedOn !== null) return false;
      draft.listedOn = date;
      return date === element.text;
    }
    case 'VERSIONNUM':
      if (!isLeaf(element) || !/^\d+$/.test(element.text) || draft.versionNumber !== null) return false;
      draft.versionNumber = Number(element.text);
      return true;
    case 'GENDER': {
      const gender = GENDERS[element.text.toLowerCase()];
      if (!isLeaf(element) || !gender || draft.gender !== null) return false;
      draft.gender = gender;
      return true;
    }
    case 'NAME_ORIGINAL_SCRIPT':
      if (!isLeaf(element)) return false;
      draft.otherNames.push({ full: element.text, script: scriptOf(element.text), kind: 'ORIGINAL_SCRIPT', quality: null });
      return true;
    case 'TITLE':
      return takeValues(element, draft.titles);
    case 'DESIGNATION':
      return takeValues(element, draft.designations);
    case 'LAST_DAY_UPDATED':
      return takeValues(element, draft.lastUpdated);
    case 'LIST_TYPE': {
      // Every entry of the consolidated list says "UN List": the notice being a UN notice holds that.
      const { values, clean } = valueList(element);
      return clean && values.every((value) => value === 'UN List');
    }
    case 'NATIONALITY': {
      const { values, clean } = valueList(element);
      const codes = values.map(isoCountry);
      draft.nationalities.push(...codes.filter((code) => code !== null));
      return clean && codes.every((code) => code !== null);
    }
    case 'INDIVIDUAL_ALIAS':
    case 'ENTITY_ALIAS':
      return takeAlias(draft, element);
    case 'INDIVIDUAL_DATE_OF_BIRTH':
      return takeBirthDate(draft, element);
    case 'INDIVIDUAL_PLACE_OF_BIRTH':
      return takePlace(element, draft.placesOfBirth);
    case 'INDIVIDUAL_ADDRESS':
    case 'ENTITY_ADDRESS':
      return takePlace(element, draft.addresses);
    case 'INDIVIDUAL_DOCUMENT':
      return takeDocument(draft, element);
    default:
      return false;
  }
}

function setOnce(draft: Draft, field: SingleField, element: XmlElement): boolean {
  if (!isLeaf(element) || draft[field] !== null) return false;
  draft[field] = element.text;
  return true;
}

function takeValues(element: XmlElement, into: string[]): boolean {
  const { values, clean } = valueList(element);
  into.push(...values);
  return clean;
}

function takeAlias(draft: Draft, element: XmlElement): boolean {
  const { values, clean } = flatRecord(element);
  const name = values.ALIAS_NAME;
  if (!name) return false;
  const quality = ALIAS_QUALITIES[(values.QUALITY ?? '').toLowerCase()];
  draft.otherNames.push({ full: name, script: scriptOf(name), kind: 'ALIAS', quality: quality ?? null });
  return clean && quality !== undefined && usesAll(values, ['ALIAS_NAME', 'QUALITY']);
}

function takeBirthDate(draft: Draft, element: XmlElement): boolean {
  const { values, clean } = flatRecord(element);
  const qualifier = values.TYPE_OF_DATE?.toUpperCase();
  let birthDate: BirthDateRecord | null = null;
  let used: string[] = [];
  if (qualifier === 'EXACT' || qualifier === 'APPROXIMATELY') {
    const key = values.DATE !== undefined ? 'DATE' : 'YEAR';
    const date = values[key];
    if (date !== undefined && isPartialDate(date)) {
      birthDate = { qualifier, date, from: null, to: null };
      used = ['TYPE_OF_DATE', key];
    }
  } else if (qualifier === 'BETWEEN' && isPartialDate(values.FROM_YEAR) && isPartialDate(values.TO_YEAR)) {
    birthDate = { qualifier, date: null, from: values.FROM_YEAR!, to: values.TO_YEAR! };
    used = ['TYPE_OF_DATE', 'FROM_YEAR', 'TO_YEAR'];
  }
  if (birthDate) draft.birthDates.push(birthDate);
  return clean && birthDate !== null && usesAll(values, used);
}

function takePlace(element: XmlElement, into: UnPlace[]): boolean {
  const { values, clean } = flatRecord(element);
  const place: UnPlace = { street: null, city: null, stateProvince: null, zipCode: null, country: null, countryCode: null, note: null };
  for (const [name, field] of Object.entries(PLACE_FIELDS)) place[field] = values[name] ?? null;
  place.countryCode = place.country === null ? null : isoCountry(place.country);
  if (Object.values(place).some((value) => value !== null)) into.push(place);
  return clean && usesAll(values, Object.keys(PLACE_FIELDS));
}

function takeDocument(draft: Draft, element: XmlElement): boolean {
  const { values, clean } = flatRecord(element);
  const number = values.NUMBER;
  if (!number) return false;
  const typeText = values.TYPE_OF_DOCUMENT;
  const type = typeText === undefined ? 'OTHER' : (DOCUMENT_TYPES.find(([pattern]) => pattern.test(typeText))?.[1] ?? 'OTHER');
  const countryField = values.ISSUING_COUNTRY !== undefined ? 'ISSUING_COUNTRY' : 'COUNTRY_OF_ISSUE';
  const country = values[countryField];
  const issuingCountry = country === undefined ? null : isoCountry(country);
  draft.documents.push({ type, number, issuingCountry });
  const typeHeld = typeText === undefined || type !== 'OTHER';
  const countryHeld = country === undefined || issuingCountry !== null;
  return clean && typeHeld && countryHeld && usesAll(values, ['NUMBER', 'TYPE_OF_DOCUMENT', countryField]);
}

/** Reduced-precision ISO 8601: 1961, 1961-03 or 1961-03-05. */
function isPartialDate(value: string | undefined): boolean {
  return value !== undefined && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(value);
}

function hasData(element: XmlElement): boolean {
  return element.text !== '' || Object.keys(element.attributes).length > 0 || element.children.some(hasData);
}

/** Text only: no attributes and no child that carries data. */
function isLeaf(element: XmlElement): boolean {
  return Object.keys(element.attributes).length === 0 && !element.children.some(hasData);
}

/** No attributes and no text of its own (the entry element itself). */
function isLeafless(element: XmlElement): boolean {
  return Object.keys(element.attributes).length === 0 && element.text === '';
}

/**
 * The children of an element that has only leaf children, as name → text; `clean` is false
 * when the element has anything else (text, attributes, nested or repeated children).
 */
function flatRecord(element: XmlElement): { values: Record<string, string>; clean: boolean } {
  const values: Record<string, string> = {};
  let clean = isLeafless(element);
  for (const child of element.children.filter(hasData)) {
    if (!isLeaf(child) || child.name in values) clean = false;
    else values[child.name] = child.text;
  }
  return { values, clean };
}

/** The texts of an element's VALUE children (TITLE, NATIONALITY, ...). */
function valueList(element: XmlElement): { values: string[]; clean: boolean } {
  const children = element.children.filter(hasData);
  const values = children.filter((child) => child.name === 'VALUE' && isLeaf(child)).map((child) => child.text);
  return { values, clean: isLeafless(element) && values.length === children.length };
}

function usesAll(values: Record<string, string>, used: readonly string[]): boolean {
  return Object.keys(values).every((name) => used.includes(name));
}

function prefixed(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).map(([name, value]) => [`@${name}`, value]));
}

/** An element as JSON: a leaf is its text; otherwise @attributes, #text and children (repeated ones as arrays). */
function toJson(element: XmlElement): unknown {
  if (isLeaf(element)) return element.text;
  const json: Record<string, unknown> = prefixed(element.attributes);
  if (element.text) json['#text'] = element.text;
  for (const child of element.children.filter(hasData)) {
    const value = toJson(child);
    const earlier = json[child.name];
    json[child.name] = earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value];
  }
  return json;
}
