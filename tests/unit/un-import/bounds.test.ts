import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import { readContent } from '../../../subgraphs/agency/store/content.js';
import type { RecordStore } from '../../../subgraphs/agency/store/store.js';
import { checkEntryBounds } from '../../../subgraphs/agency/un/bounds.js';
import { importUnList } from '../../../subgraphs/agency/un/import.js';
import { UN_IMPORT_LIMITS, type UnImportLimits } from '../../../subgraphs/agency/un/limits.js';
import { UnListError, UnListReader } from '../../../subgraphs/agency/un/xml.js';
import { createTestDatabase, dumpStore, type TestDatabase } from '../../helpers/databases.js';
import { makeTempDir, runImportCli, SHIPPED_LIST, writeList } from './lists.js';

// The caps of subgraphs/agency/un/limits.ts: a list over one is refused with one line naming
// the entry, the field, the cap and the length, and the store is left exactly as it was (the
// refused files below change every entry before the one over the cap, so batches have been
// written when the import fails: only the rollback keeps the store as it was). A list at a cap
// is imported. The lists are built here, one entry a line from line 4 on.

const LIMITS = UN_IMPORT_LIMITS;
/** Entries in the lists the store tests import: more than two batches of writes (100 each). */
const BASE = 250;

function individual(n: number, { version = 1, firstName = `PERSON ${n}`, extra = '' } = {}): string {
  return (
    `<INDIVIDUAL><DATAID>${900_000 + n}</DATAID><VERSIONNUM>${version}</VERSIONNUM><FIRST_NAME>${firstName}</FIRST_NAME>` +
    `<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.${n}</REFERENCE_NUMBER><LISTED_ON>2024-01-01</LISTED_ON>${extra}</INDIVIDUAL>`
  );
}

/** `count` plain entries, numbered from 1, then `last` when given. */
function list(count: number, { version = 1, last = '' } = {}): string {
  const entries = Array.from({ length: count }, (_, i) => individual(i + 1, { version }));
  if (last) entries.push(last);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<CONSOLIDATED_LIST dateGenerated="2024-10-01T00:00:00">',
    '<INDIVIDUALS>',
    ...entries,
    '</INDIVIDUALS>',
    '<ENTITIES/>',
    '</CONSOLIDATED_LIST>',
    '',
  ].join('\n');
}

/** The list of BASE entries, every one changed, then `last`: entry BASE + 1, on line BASE + 4. */
const changedThen = (last: string) => list(BASE, { version: 2, last });
const LAST = BASE + 1;
const LAST_LINE = BASE + 4;

const aliases = (count: number) =>
  Array.from(
    { length: count },
    (_, i) => `<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>ALIAS ${i + 1}</ALIAS_NAME></INDIVIDUAL_ALIAS>`,
  ).join('');

/** A text as a stream of chunks, counting how much of it the reader pulled. */
function metered(text: string, size = 64 * 1024): { chunks: AsyncIterable<string>; pulled(): number } {
  let pulled = 0;
  async function* chunks(): AsyncGenerator<string> {
    for (let at = 0; at < text.length; at += size) {
      pulled = Math.min(at + size, text.length);
      yield text.slice(at, at + size);
    }
  }
  return { chunks: chunks(), pulled: () => pulled };
}

/** Reads a whole list and checks each entry's caps, as the import does, without a store. */
async function readChecked(chunks: AsyncIterable<string>, limits: Readonly<UnImportLimits> = LIMITS): Promise<number> {
  let ordinal = 0;
  for await (const entry of new UnListReader(limits).entries(chunks)) checkEntryBounds(entry, ++ordinal, limits);
  return ordinal;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnListError);
  return (error as Error).message;
}

describe('the caps of the UN list import', () => {
  it('are the documented ones', () => {
    expect(LIMITS).toMatchObject({ entries: 20_000, aliasesPerEntry: 100, fileBytes: 128 * 1024 * 1024, pieceCharacters: 65_536 });
    expect(LIMITS.field).toMatchObject({ namePart: 200, aliasName: 1_000, comments: 5_000 });
    expect(Object.isFrozen(LIMITS) && Object.isFrozen(LIMITS.field)).toBe(true);
  });

  it('leave the real list (2024-09-26) whole', async () => {
    expect(await readChecked(createReadStream(SHIPPED_LIST, { encoding: 'utf8' }))).toBe(875);
  });
});

describe('a list over a cap, imported into a SQLite store', () => {
  let db: TestDatabase;
  let store: RecordStore;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite', 'un-bounds');
    store = await openStore({ agency: 'INTERPOL', database: db.database });
    dir = await makeTempDir();
    await importUnList(store, await writeList(dir, 'base.xml', list(BASE)));
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Imports `xml`, expects it refused, and the store to hold exactly what it held before. */
  async function expectRefused(xml: string, limits?: Readonly<UnImportLimits>): Promise<string> {
    const file = await writeList(dir, 'refused.xml', xml);
    const before = await dumpStore(db.database);
    const message = await refusal(importUnList(store, file, undefined, limits));
    const after = await dumpStore(db.database);
    expect(Object.values(after).map((rows) => rows.length)).toEqual(Object.values(before).map((rows) => rows.length));
    expect(after).toEqual(before);
    return message;
  }

  const subjectOf = (n: number) => `UNS-QDi.${n}`;

  it('refuses a name one character over its cap, naming the entry, the field, the cap and the length', async () => {
    const message = await expectRefused(changedThen(individual(LAST, { firstName: 'N'.repeat(201) })));
    expect(message).toBe(
      `entry ${LAST} (INDIVIDUAL QDi.${LAST} at line ${LAST_LINE}): FIRST_NAME is 201 characters long; the cap for a name part is 200`,
    );
  });

  it('imports a name of exactly the cap', async () => {
    const summary = await importUnList(
      store,
      await writeList(dir, 'name.xml', changedThen(individual(LAST, { firstName: 'N'.repeat(200) }))),
    );
    expect(summary).toMatchObject({ persons: LAST, added: 1 });
    const names = await readContent(store.db, 'names', [subjectOf(LAST)]);
    expect(names.map((name) => name.full)).toEqual(['N'.repeat(200)]);
  });

  it('refuses a name of megabytes while reading it, before holding it whole', async () => {
    const huge = list(1, { last: individual(2, { firstName: 'N'.repeat(5_000_000) }) });
    const input = metered(huge);
    const message = await refusal(readChecked(input.chunks));
    expect(message).toBe(
      'entry 2 (INDIVIDUAL at line 5): <FIRST_NAME> holds more than 65536 characters in one text, tag or comment, the cap (reading stopped at line 5)',
    );
    expect(input.pulled()).toBeLessThan(200_000);
    expect(await expectRefused(huge)).toBe(message);
  });

  it('refuses 101 aliases in one entry and imports 100', async () => {
    const message = await expectRefused(changedThen(individual(LAST, { extra: aliases(101) })));
    expect(message).toBe(`entry ${LAST} (INDIVIDUAL QDi.${LAST} at line ${LAST_LINE}): 101 aliases (INDIVIDUAL_ALIAS); the cap is 100`);

    await importUnList(store, await writeList(dir, 'aliases.xml', changedThen(individual(LAST, { extra: aliases(100) }))));
    const names = await readContent(store.db, 'names', [subjectOf(LAST)]);
    expect(names.filter((name) => name.kind === 'ALIAS')).toHaveLength(100);
  });

  it('refuses a list of more entries than the cap, and imports one at the cap (a lowered cap, to keep the test small)', async () => {
    const limits = { ...LIMITS, entries: BASE };
    const message = await expectRefused(changedThen(individual(LAST)), limits);
    expect(message).toBe(`entry ${LAST} (INDIVIDUAL at line ${LAST_LINE}): the list holds more than ${BASE} entries, the cap`);

    const summary = await importUnList(store, await writeList(dir, 'at-cap.xml', list(BASE, { version: 3 })), undefined, limits);
    expect(summary).toMatchObject({ persons: BASE, updated: BASE, delisted: 1 });
  });

  it('refuses a file larger than the cap before it opens a transaction, and imports one at the cap', async () => {
    const xml = list(BASE, { version: 4 });
    const file = await writeList(dir, 'sized.xml', xml);
    const { size } = await stat(file);
    const message = await expectRefused(xml, { ...LIMITS, fileBytes: size - 1 });
    expect(message).toMatch(new RegExp(`refused\\.xml is ${size} bytes, over the cap of ${size - 1} bytes$`));
    expect(await importUnList(store, file, undefined, { ...LIMITS, fileBytes: size })).toMatchObject({ updated: BASE });
  });

  it('refuses, as a command, with one line, exit code 1 and the store as it was', async () => {
    const file = await writeList(dir, 'cli.xml', changedThen(individual(LAST, { firstName: 'N'.repeat(201) })));
    const before = await dumpStore(db.database);
    const run = await runImportCli([file], { DATABASE_PATH: db.database, DATABASE_URL: '' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `import:un: entry ${LAST} (INDIVIDUAL QDi.${LAST} at line ${LAST_LINE}): FIRST_NAME is 201 characters long; the cap for a name part is 200`,
    ]);
    expect(await dumpStore(db.database)).toEqual(before);
  });
});

describe('the caps, read without a store', () => {
  it('refuses a list of 20,001 entries, the documented cap, at its 20,001st entry, and reads one of 20,000', async () => {
    expect(await readChecked(metered(list(LIMITS.entries)).chunks)).toBe(20_000);
    const message = await refusal(readChecked(metered(list(LIMITS.entries + 1)).chunks));
    expect(message).toBe('entry 20001 (INDIVIDUAL at line 20004): the list holds more than 20000 entries, the cap');
  });

  // [field as the message names it, its cap, an entry holding a value of `length` characters]
  const fields: [string, number, (length: number) => string][] = [
    ['FIRST_NAME', 200, (length) => individual(1, { firstName: 'N'.repeat(length) })],
    [
      'NAME_ORIGINAL_SCRIPT',
      200,
      (length) => individual(1, { extra: `<NAME_ORIGINAL_SCRIPT>${'ن'.repeat(length)}</NAME_ORIGINAL_SCRIPT>` }),
    ],
    [
      'INDIVIDUAL_ALIAS/ALIAS_NAME',
      1_000,
      (length) => individual(1, { extra: `<INDIVIDUAL_ALIAS><ALIAS_NAME>${'A'.repeat(length)}</ALIAS_NAME></INDIVIDUAL_ALIAS>` }),
    ],
    ['COMMENTS1', 5_000, (length) => individual(1, { extra: `<COMMENTS1>${'c'.repeat(length)}</COMMENTS1>` })],
    ['LISTED_ON', 100, (length) => individual(1).replace('<LISTED_ON>2024-01-01', `<LISTED_ON>${'2'.repeat(length)}`)],
    ['NATIONALITY/VALUE', 200, (length) => individual(1, { extra: `<NATIONALITY><VALUE>${'x'.repeat(length)}</VALUE></NATIONALITY>` })],
    [
      'INDIVIDUAL_DOCUMENT/NUMBER',
      200,
      (length) =>
        individual(1, {
          extra: `<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>${'9'.repeat(length)}</NUMBER></INDIVIDUAL_DOCUMENT>`,
        }),
    ],
    [
      'INDIVIDUAL_ADDRESS[2]/STREET',
      500,
      (length) =>
        individual(1, { extra: `<INDIVIDUAL_ADDRESS/><INDIVIDUAL_ADDRESS><STREET>${'s'.repeat(length)}</STREET></INDIVIDUAL_ADDRESS>` }),
    ],
    ['DESIGNATION/VALUE', 2_000, (length) => individual(1, { extra: `<DESIGNATION><VALUE>${'d'.repeat(length)}</VALUE></DESIGNATION>` })],
    ['SOMETHING_NEW attribute note', 2_000, (length) => individual(1, { extra: `<SOMETHING_NEW note="${'n'.repeat(length)}"/>` })],
  ];

  it.each(fields)('reads %s at its cap (%i characters) and refuses it one character longer', async (field, cap, entry) => {
    expect(await readChecked(metered(list(0, { last: entry(cap) })).chunks)).toBe(1);
    const message = await refusal(readChecked(metered(list(0, { last: entry(cap + 1) })).chunks));
    expect(message).toMatch(
      new RegExp(
        `^entry 1 \\(INDIVIDUAL QDi\\.1 at line 4\\): ${field.replace(/[[\]]/g, '\\$&')} is ${cap + 1} characters long; the cap for .+ is ${cap}$`,
      ),
    );
  });

  it('gives the exact length of a value over its cap but under what the parser may hold at once', async () => {
    // Just under the parser's cap, and read in several writes: what the reader counts as held
    // must be what the parser holds, not more.
    const entry = individual(1, { extra: `<COMMENTS1>${'c'.repeat(65_400)}</COMMENTS1>` });
    expect(await refusal(readChecked(metered(list(0, { last: entry })).chunks))).toBe(
      'entry 1 (INDIVIDUAL QDi.1 at line 4): COMMENTS1 is 65400 characters long; the cap for comments is 5000',
    );
  });

  it('measures a value as it is kept, its whitespace collapsed (the UN wraps long values)', async () => {
    // 2,500 words of one letter: 5,000 characters once each line break and indent is one space.
    const wrapped = Array.from({ length: 2_500 }, () => 'c').join('\n            ') + ' ';
    expect(wrapped.length).toBeGreaterThan(30_000);
    const entry = individual(1, { extra: `<COMMENTS1>\n ${wrapped}\n</COMMENTS1>` });
    expect(await readChecked(metered(list(0, { last: entry })).chunks)).toBe(1);
  });

  it('refuses, while reading, more characters than the file cap (a file that grew after its size was checked)', async () => {
    const xml = list(10);
    expect(await readChecked(metered(xml, 100).chunks, { ...LIMITS, fileBytes: xml.length })).toBe(10);
    expect(await refusal(readChecked(metered(xml, 100).chunks, { ...LIMITS, fileBytes: xml.length - 1 }))).toBe(
      `the file is larger than ${xml.length - 1} bytes, the cap`,
    );
  });

  it('names an entry by its position when its reference number is over the cap', async () => {
    const entry = individual(1).replace('QDi.1<', `${'Q'.repeat(51)}<`);
    expect(await refusal(readChecked(metered(list(0, { last: entry })).chunks))).toBe(
      'entry 1 (INDIVIDUAL at line 4): REFERENCE_NUMBER is 51 characters long; the cap for an identifier is 50',
    );
  });

  it('refuses an element repeated more than 100 times in one parent', async () => {
    const entry = individual(1, { extra: `<TITLE>${'<VALUE>Mullah</VALUE>'.repeat(101)}</TITLE>` });
    expect(await refusal(readChecked(metered(list(0, { last: entry })).chunks))).toBe(
      'entry 1 (INDIVIDUAL QDi.1 at line 4): TITLE/VALUE appears 101 times; the cap is 100',
    );
  });

  it('refuses nesting deeper than the cap while reading, whatever follows', async () => {
    const entry = individual(1, { extra: `${'<NOTE>'.repeat(100_000)}` });
    const input = metered(list(0, { last: entry }));
    expect(await refusal(readChecked(input.chunks))).toBe(
      'entry 1 (INDIVIDUAL QDi.1 at line 4): <NOTE> at line 4 is nested 11 elements deep; the cap is 10',
    );
    expect(input.pulled()).toBeLessThan(100_000 * '<NOTE>'.length);
  });

  it('refuses an entry over its size or element cap while reading it', async () => {
    const big = individual(1, { extra: Array.from({ length: 150 }, (_, i) => `<NOTE${i}>${'n'.repeat(1_900)}</NOTE${i}>`).join('') });
    expect(await refusal(readChecked(metered(list(0, { last: big })).chunks))).toBe(
      'entry 1 (INDIVIDUAL QDi.1 at line 4) is longer than 262144 characters, the cap for one entry',
    );
    const many = individual(1, { extra: Array.from({ length: 2_000 }, (_, i) => `<E${i}/>`).join('') });
    expect(await refusal(readChecked(metered(list(0, { last: many })).chunks))).toBe(
      'entry 1 (INDIVIDUAL QDi.1 at line 4) holds more than 2000 elements, the cap for one entry',
    );
  });

  it('refuses a huge comment or DOCTYPE outside any entry while reading it', async () => {
    const comment = list(1).replace('<INDIVIDUALS>', `<INDIVIDUALS><!--${' '.repeat(1_000_000)}-->`);
    const input = metered(comment);
    expect(await refusal(readChecked(input.chunks))).toMatch(
      /^<INDIVIDUALS> holds more than 65536 characters in one text, tag or comment, the cap/,
    );
    expect(input.pulled()).toBeLessThan(200_000);
    const doctype = `<!DOCTYPE CONSOLIDATED_LIST [${' '.repeat(1_000_000)}]>${list(1).replace(/^<\?xml.*\n/, '')}`;
    expect(await refusal(readChecked(metered(doctype).chunks))).toMatch(
      /^the file before its root element holds more than 65536 characters/,
    );
  });
});
