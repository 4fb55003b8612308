// Every bound of the UN list import, in one place (docs/un-import.md, "Bounds"). A file
// over any of them is refused whole, with one line naming the entry, the field, the cap and
// the length found; nothing is written. The caps are far above anything in the real list
// (the 2024-09-26 list: 875 entries, 2.2 MB), so a real list never meets them, yet low enough
// that no single value, entry or file can make a lookup, a screening or the import itself
// unreasonably large. Lengths are in characters as JavaScript counts them (UTF-16 code
// units), after the runs of whitespace the UN wraps long values with are collapsed.

/** The longest value, by kind of field, that the import keeps (in the records or in raw). */
export interface UnFieldCaps {
  namePart: number;
  aliasName: number;
  identifier: number;
  date: number;
  country: number;
  documentNumber: number;
  address: number;
  comments: number;
  text: number;
}

export interface UnImportLimits {
  fileBytes: number;
  entries: number;
  entryCharacters: number;
  elementsPerEntry: number;
  depth: number;
  pieceCharacters: number;
  aliasesPerEntry: number;
  repeatsPerElement: number;
  field: Readonly<UnFieldCaps>;
}

export const UN_IMPORT_LIMITS: Readonly<UnImportLimits> = Object.freeze({
  // The file, checked before the import opens its transaction (and again while reading):
  // 20,000 entries of 6.7 KB, 2.7 times the real list's average (2.5 KB). Reading is
  // streaming, so this bounds the import's time (and how long it holds the write lock), not
  // its memory.
  fileBytes: 128 * 1024 * 1024,
  // Entries in one list: the real one has 875; 20,000 leaves room for the list to grow 20-fold.
  entries: 20_000,
  // One entry, from <INDIVIDUAL> to </INDIVIDUAL> in the file, raw included: 24 times the
  // largest real entry (10.7 K characters). Checked while reading, so an entry is never held
  // whole when it is over; it is also the most one subject's lookup can return.
  entryCharacters: 256 * 1024,
  // Elements inside one entry, counted while reading: the largest real entry has 188.
  elementsPerEntry: 2_000,
  // Nesting of elements, counted while reading: a UN list nests 5 deep (CONSOLIDATED_LIST >
  // INDIVIDUALS > INDIVIDUAL > INDIVIDUAL_ALIAS > ALIAS_NAME). Deep nesting is a way to make
  // a parser (and the recursive mapping) work hard on a small file.
  depth: 10,
  // One piece of the file the XML parser holds before it reports it: a text node, a start tag
  // with its attributes, a comment, a CDATA section. The parser (saxes) has no bound of its
  // own, so the reader checks, while streaming, how far it has read since the parser last
  // reported anything: a 50 MB name is refused after about 64 K characters, not after buffering
  // 50 MB. Over 10 times the longest field cap, so every field over its own cap but under this
  // one is refused with its exact length.
  pieceCharacters: 64 * 1024,
  // INDIVIDUAL_ALIAS or ENTITY_ALIAS elements in one entry: the real maximum is 27. Every alias
  // is a name screening compares a query with.
  aliasesPerEntry: 100,
  // Any other element repeated in one parent (addresses, documents, dates of birth,
  // nationalities, titles, designations, update dates, ...): the real maximum is 16 addresses.
  repeatsPerElement: 100,
  field: Object.freeze({
    // FIRST_NAME ... FOURTH_NAME, NAME_ORIGINAL_SCRIPT: the screening query's name limit (200);
    // the longest real one is 88 (an entity's name).
    namePart: 200,
    // ALIAS_NAME: an alias is sometimes several names in one (the longest real one, 324
    // characters, lists nine names of one entity), so five name parts.
    aliasName: 1_000,
    // REFERENCE_NUMBER, DATAID, VERSIONNUM: 7 characters at most in the real list; the reference
    // number also makes the records' local ids.
    identifier: 50,
    // LISTED_ON, LAST_DAY_UPDATED, DATE, YEAR, FROM_YEAR, TO_YEAR, DATE_OF_ISSUE, DATE_OF_BIRTH:
    // 10 characters, 16 with a time zone; room for a date written in words.
    date: 100,
    // NATIONALITY, COUNTRY, ISSUING_COUNTRY, COUNTRY_OF_ISSUE, COUNTRY_OF_BIRTH: the longest
    // country name, "United Kingdom of Great Britain and Northern Ireland", is 52.
    country: 200,
    // A document's NUMBER: 85 at most in the real list, where a number sometimes carries a note.
    documentNumber: 200,
    // STREET, CITY, STATE_PROVINCE, ZIP_CODE, CITY_OF_BIRTH, CITY_OF_ISSUE: 143 at most.
    address: 500,
    // COMMENTS1, the entry's narrative: 1,458 at most in the real list.
    comments: 5_000,
    // Anything else, kept in the records or in raw: NOTE (588 at most), TITLE, DESIGNATION,
    // the type of a document, unknown elements, attribute values.
    text: 2_000,
  }),
});
