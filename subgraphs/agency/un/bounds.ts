import { UN_IMPORT_LIMITS, type UnFieldCaps, type UnImportLimits } from './limits.js';
import { entryLabel, UnListError, type ListEntry, type XmlElement } from './xml.js';

// The caps of limits.ts on what one entry holds: the length of every value it keeps (in the
// records or in raw), the number of its aliases and of any repeated element. Checked on each
// entry as read, before it is mapped or written; the reader has already bounded the entry as
// a whole (its size, its elements, its nesting), so the entry checked here is small.

/** Which cap a value falls under, by element name; anything not named here is `text`. */
const FIELD_OF_ELEMENT: Readonly<Record<string, keyof UnFieldCaps>> = {
  FIRST_NAME: 'namePart',
  SECOND_NAME: 'namePart',
  THIRD_NAME: 'namePart',
  FOURTH_NAME: 'namePart',
  NAME_ORIGINAL_SCRIPT: 'namePart',
  ALIAS_NAME: 'aliasName',
  REFERENCE_NUMBER: 'identifier',
  DATAID: 'identifier',
  VERSIONNUM: 'identifier',
  LISTED_ON: 'date',
  DATE: 'date',
  YEAR: 'date',
  FROM_YEAR: 'date',
  TO_YEAR: 'date',
  DATE_OF_ISSUE: 'date',
  DATE_OF_BIRTH: 'date',
  COUNTRY: 'country',
  ISSUING_COUNTRY: 'country',
  COUNTRY_OF_ISSUE: 'country',
  COUNTRY_OF_BIRTH: 'country',
  NUMBER: 'documentNumber',
  STREET: 'address',
  CITY: 'address',
  STATE_PROVINCE: 'address',
  ZIP_CODE: 'address',
  CITY_OF_BIRTH: 'address',
  CITY_OF_ISSUE: 'address',
  COMMENTS1: 'comments',
};

/** A VALUE takes the cap of the list it is in (NATIONALITY, LAST_DAY_UPDATED, TITLE, ...). */
const FIELD_OF_VALUE_IN: Readonly<Record<string, keyof UnFieldCaps>> = { NATIONALITY: 'country', LAST_DAY_UPDATED: 'date' };

const FIELD_NAMES: Readonly<Record<keyof UnFieldCaps, string>> = {
  namePart: 'a name part',
  aliasName: 'an alias name',
  identifier: 'an identifier',
  date: 'a date',
  country: 'a country',
  documentNumber: 'a document number',
  address: 'a part of an address',
  comments: 'comments',
  text: 'any other text',
};

const ALIASES: ReadonlySet<string> = new Set(['INDIVIDUAL_ALIAS', 'ENTITY_ALIAS']);

/** Refuses the `ordinal`-th entry of the file when anything it holds is over its cap. */
export function checkEntryBounds(entry: ListEntry, ordinal: number, limits: Readonly<UnImportLimits> = UN_IMPORT_LIMITS): void {
  const { kind, element, line } = entry;
  const reference = element.children.find((child) => child.name === 'REFERENCE_NUMBER')?.text ?? '';
  const label = entryLabel(kind, ordinal, line, reference.length <= limits.field.identifier ? reference : null);
  const refuse = (what: string): never => {
    throw new UnListError(`${label}: ${what}`);
  };
  const aliases = element.children.filter((child) => ALIASES.has(child.name));
  if (aliases.length > limits.aliasesPerEntry) {
    const names = [...new Set(aliases.map((alias) => alias.name))].join(', ');
    refuse(`${aliases.length} aliases (${names}); the cap is ${limits.aliasesPerEntry}`);
  }
  checkElement(element, null, null, limits, refuse);
}

/** Checks an element and everything in it; `path` names it within its entry (null for the entry). */
function checkElement(
  element: XmlElement,
  path: string | null,
  parent: string | null,
  limits: Readonly<UnImportLimits>,
  refuse: (what: string) => never,
): void {
  const here = path ?? element.name;
  const field = (element.name === 'VALUE' && parent !== null && FIELD_OF_VALUE_IN[parent]) || FIELD_OF_ELEMENT[element.name] || 'text';
  checkLength(here, element.text, field, limits, refuse);
  for (const [name, value] of Object.entries(element.attributes)) checkLength(`${here} attribute ${name}`, value, 'text', limits, refuse);

  const counts = new Map<string, number>();
  for (const child of element.children) counts.set(child.name, (counts.get(child.name) ?? 0) + 1);
  for (const [name, count] of counts) {
    // An entry's aliases have their own cap, checked above.
    const cap = path === null && ALIASES.has(name) ? Infinity : limits.repeatsPerElement;
    if (count > cap) refuse(`${path === null ? name : `${here}/${name}`} appears ${count} times; the cap is ${cap}`);
  }
  const seen = new Map<string, number>();
  for (const child of element.children) {
    const nth = (seen.get(child.name) ?? 0) + 1;
    seen.set(child.name, nth);
    const step = counts.get(child.name)! > 1 ? `${child.name}[${nth}]` : child.name;
    checkElement(child, path === null ? step : `${path}/${step}`, element.name, limits, refuse);
  }
}

function checkLength(
  what: string,
  value: string,
  field: keyof UnFieldCaps,
  limits: Readonly<UnImportLimits>,
  refuse: (what: string) => never,
): void {
  const cap = limits.field[field];
  if (value.length > cap) refuse(`${what} is ${value.length} characters long; the cap for ${FIELD_NAMES[field]} is ${cap}`);
}
