import fc from 'fast-check';
import { DefaultQueryCompiler, sql, type Kysely, type LogEvent } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fullAccessClauses } from '../../../subgraphs/agency/policy/policy.js';
import { generateDataset } from '../../../subgraphs/agency/seed/generate.js';
import { AuditLedger } from '../../../subgraphs/agency/store/audit.js';
import { CONTENT, readContent, type ContentKind } from '../../../subgraphs/agency/store/content.js';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import { CASE_STATUSES, CRIME_TYPES, NOTICE_COLOURS, NOTICE_STATUSES } from '../../../subgraphs/agency/store/records.js';
import type { DisclosureScope, StoreDialect } from '../../../subgraphs/agency/store/rows.js';
import { screeningCandidates } from '../../../subgraphs/agency/store/scoped/screening-candidates.js';
import { screeningKeys } from '../../../subgraphs/agency/screening/withheld.js';
import { casesById, linkedCases, listCases } from '../../../subgraphs/agency/store/scoped/cases.js';
import { listNotices, noticesById, noticesOfSubjects } from '../../../subgraphs/agency/store/scoped/notices.js';
import { linkedSubjects, subjectsById } from '../../../subgraphs/agency/store/scoped/subjects.js';
import { shapedStatement } from '../../../subgraphs/agency/store/shaped-statement.js';
import type { RecordStore } from '../../../subgraphs/agency/store/store.js';
import type { Tables } from '../../../subgraphs/agency/store/tables.js';
import { insertDataset } from '../../../subgraphs/agency/store/writes.js';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../../helpers/databases.js';

// A shaped statement is compiled once per shape of its arguments and then only has its
// parameters filled in. What it sends must be what Kysely compiles for those arguments, and a
// build that breaks the rule (a value turned into SQL text, a computed parameter, a per-call
// closure) must still be answered right, by being built anew.

const created: TestDatabase[] = [];
const opened: RecordStore[] = [];
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await Promise.all(created.map((db) => db.drop()));
});

/** A store of EUROPOL's demo data, and what it sent (SQL and parameters) since the last `take`. */
async function openLogged(database: string) {
  const sent: { sql: string; parameters: readonly unknown[] }[] = [];
  const store = await openStore({
    agency: 'EUROPOL',
    database,
    onQuery: (event: LogEvent) => void sent.push({ sql: event.query.sql, parameters: event.query.parameters }),
  });
  opened.push(store);
  return { store, take: () => sent.splice(0) };
}

const CALLERS = ['EUROPOL', 'TH-RTP', 'INTERPOL', 'VN-MPS', 'NOBODY'] as const;
const CIRCLES = ['FIVE_EYES', 'ASEAN', 'MEKONG', 'EU'] as const;

const scopes = fc
  .record({
    agency: fc.constantFrom(...CALLERS),
    circles: fc.subarray([...CIRCLES]),
    // A grant's expiry is compared with this instant: a value of the scope, not its shape.
    now: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
  })
  .map(({ agency, circles, now }): DisclosureScope => fullAccessClauses({ agency, circles }, { code: 'EUROPOL', circles: ['EU'] }, now));

/** Ids of the demo store and some it does not hold, in any order, with repeats. */
function idsOf(prefix: string) {
  return fc.array(
    fc.oneof(
      fc.integer({ min: 1, max: 300 }).map((n) => `${prefix}-${String(n).padStart(5, '0')}`),
      fc.constant(`${prefix}-99999`),
    ),
    { minLength: 1, maxLength: 12 },
  );
}

/** One read of the node's, by its exported function. */
const reads = fc.oneof(
  fc.record({ read: fc.constant('noticesById' as const), scope: scopes, ids: idsOf('N') }),
  fc.record({ read: fc.constant('subjectsById' as const), scope: scopes, ids: idsOf('S') }),
  fc.record({ read: fc.constant('casesById' as const), scope: scopes, ids: idsOf('C') }),
  fc.record({ read: fc.constant('linkedSubjects' as const), scope: scopes, ids: idsOf('S') }),
  fc.record({ read: fc.constant('linkedCases' as const), scope: scopes, ids: idsOf('C') }),
  fc.record({ read: fc.constant('noticesOfSubjects' as const), scope: scopes, ids: idsOf('S') }),
  fc.record({
    read: fc.constant('listNotices' as const),
    scope: scopes,
    first: fc.integer({ min: 1, max: 40 }),
    colours: fc.option(fc.subarray([...NOTICE_COLOURS], { minLength: 1 }), { nil: undefined }),
    statuses: fc.option(fc.subarray([...NOTICE_STATUSES], { minLength: 1 }), { nil: undefined }),
  }),
  fc.record({
    read: fc.constant('listCases' as const),
    scope: scopes,
    first: fc.integer({ min: 1, max: 40 }),
    crimeTypes: fc.option(fc.subarray([...CRIME_TYPES], { minLength: 1, maxLength: 3 }), { nil: undefined }),
    statuses: fc.option(fc.subarray([...CASE_STATUSES], { minLength: 1 }), { nil: undefined }),
  }),
  fc.record({
    read: fc.constant('screening' as const),
    scope: scopes,
    name: fc.constantFrom('Ahmed Hassan', 'Maria Garcia Lopez', 'Nguyen Van An', 'Li Wei', 'Olena Kovalenko', 'Zz'),
    documentNumber: fc.option(fc.constantFrom('AB 123456', 'X9-99-99'), { nil: undefined }),
    limit: fc.integer({ min: 1, max: 60 }),
  }),
  fc.record({
    read: fc.constant('content' as const),
    kind: fc.constantFrom(...(Object.keys(CONTENT) as ContentKind[])),
    ids: fc.array(fc.constantFrom('N-00001', 'N-00002', 'S-00001', 'S-00003', 'C-00002', 'C-00007', 'X-1'), { minLength: 1, maxLength: 5 }),
  }),
);

type Read = typeof reads extends fc.Arbitrary<infer R> ? R : never;

function run(db: Kysely<Tables>, read: Read, dialect: StoreDialect): Promise<unknown[]> {
  switch (read.read) {
    case 'noticesById':
      return noticesById(db, read.scope, read.ids);
    case 'subjectsById':
      return subjectsById(db, read.scope, read.ids);
    case 'casesById':
      return casesById(db, read.scope, read.ids);
    case 'linkedSubjects':
      return linkedSubjects(db, read.scope, read.ids);
    case 'linkedCases':
      return linkedCases(db, read.scope, read.ids);
    case 'noticesOfSubjects':
      return noticesOfSubjects(db, read.scope, read.ids);
    case 'listNotices':
      return listNotices(db, read.scope, { first: read.first, colours: read.colours, statuses: read.statuses });
    case 'listCases':
      return listCases(db, read.scope, { first: read.first, crimeTypes: read.crimeTypes, statuses: read.statuses });
    case 'screening':
      return screeningCandidates(
        db,
        dialect,
        read.scope,
        screeningKeys({ name: read.name, documentNumber: read.documentNumber }),
        read.limit,
      );
    case 'content':
      return readContent(db, read.kind, read.ids);
  }
}

describe.each(STORE_KINDS)('shaped statements on %s', (kind) => {
  it('sends, for any arguments of a shape met before, what Kysely compiles for them, and the same rows', async () => {
    const database = await createTestDatabase(kind, 'EUROPOL');
    created.push(database);
    const seeding = await openStore({ agency: 'EUROPOL', database: database.database });
    await insertDataset(seeding, generateDataset('EUROPOL'));
    await seeding.close();
    const warm = await openLogged(database.database);
    await fc.assert(
      fc.asyncProperty(reads, reads, async (earlier, read) => {
        // A store that met `earlier` and `read` before (its shapes compiled) against one that
        // meets `read` first, which Kysely compiles as it always did.
        // A shape is checked and kept the second time it is met, used from the third.
        await run(warm.store.db, earlier, warm.store.dialect);
        await run(warm.store.db, { ...read }, warm.store.dialect);
        await run(warm.store.db, { ...read }, warm.store.dialect);
        warm.take();
        const rows = await run(warm.store.db, read, warm.store.dialect);
        const sent = warm.take();
        const fresh = await openLogged(database.database);
        fresh.take();
        const expected = await run(fresh.store.db, read, fresh.store.dialect);
        const compiled = fresh.take();
        await fresh.store.close();
        opened.splice(opened.indexOf(fresh.store), 1);
        expect(sent).toEqual(compiled);
        expect(rows).toEqual(expected);
      }),
      { numRuns: kind === 'sqlite' ? 60 : 25 },
    );
  });

  it('compiles nothing when the same reads come again with other values', async () => {
    const database = await createTestDatabase(kind, 'EUROPOL');
    created.push(database);
    const { store } = await openLogged(database.database);
    await insertDataset(store, generateDataset('EUROPOL'));
    const round = async (n: number) => {
      const scope = fullAccessClauses({ agency: n % 2 ? 'TH-RTP' : 'VN-MPS', circles: ['ASEAN'] }, { code: 'EUROPOL', circles: ['EU'] });
      await noticesById(store.db, scope, [`N-0000${n}`, 'N-00010']);
      await listNotices(store.db, scope, { first: 5 + n, colours: ['RED'] });
      await listCases(store.db, scope, { first: 3 + n, crimeTypes: ['TELECOM_FRAUD'] });
      await subjectsById(store.db, scope, [`S-0000${n}`]);
      await readContent(store.db, 'names', [`S-0000${n}`, 'S-00002']);
      await new AuditLedger(store).append([
        {
          event: 'DISCLOSURE',
          callerAgency: n % 2 ? 'TH-RTP' : 'VN-MPS',
          callerSub: `officer-${n}`,
          purpose: 'CRIMINAL_INVESTIGATION',
          operation: 'q',
          recordIds: [`EUROPOL:N-0000${n}`],
          disclosure: 'FULL',
          detail: null,
        },
      ]);
    };
    await round(1);
    await round(2);
    const compile = vi.spyOn(DefaultQueryCompiler.prototype, 'compileQuery');
    try {
      await round(3);
      await round(4);
      // Raw SQL (PostgreSQL's ledger lock) is text already; nothing is built from a query tree.
      expect(compile.mock.calls.map(([node]) => node.kind).filter((nodeKind) => nodeKind !== 'RawNode')).toEqual([]);
    } finally {
      compile.mockRestore();
    }
    const verified = await new AuditLedger(store).verify();
    expect(verified).toMatchObject({ ok: true, length: 4 });
  });
});

/** A store with no records: these statements read constants. */
async function emptyStore(): Promise<RecordStore> {
  const database = await createTestDatabase('sqlite', 'shapes');
  created.push(database);
  const store = await openStore({ agency: 'EUROPOL', database: database.database });
  opened.push(store);
  return store;
}

describe('a build that breaks the rule is built anew, and answers right', () => {
  const numbers = (db: Kysely<Tables>) =>
    db
      .selectFrom(
        sql<{ n: number; label: string }>`(select 1 as n, 'one' as label union all select 2, 'two' union all select 3, 'three')`.as('t'),
      )
      .selectAll();

  it.each([
    [
      'a value written into the SQL text',
      shapedStatement((db, { n }: { n: number }) => numbers(db).where(sql<boolean>`n = ${sql.lit(n)}`)),
    ],
    [
      'a value made part of a parameter',
      shapedStatement((db, { n }: { n: number }) => numbers(db).where('label', 'like', `%${['', 'on', 'tw', 'thr'][n]}%`)),
    ],
    ['a parameter computed from a value', shapedStatement((db, { n }: { n: number }) => numbers(db).where('n', '=', Number(n) + 0))],
  ])('%s', async (_, statement) => {
    const store = await emptyStore();
    for (const n of [1, 2, 3, 2, 1]) expect(await statement(store.db, { n })).toEqual([{ n, label: ['', 'one', 'two', 'three'][n] }]);
    expect(statement.shapes(store.db).compiled).toBe(0);
  });

  it('a build that cannot be built from markers (a lookup by a value)', async () => {
    const store = await emptyStore();
    const labels: Record<string, string> = { one: 'one', two: 'two' };
    const statement = shapedStatement((db, { key }: { key: string }) => {
      const label = labels[key];
      if (label === undefined) throw new Error(`no label ${key}`);
      return numbers(db).where('label', '=', label);
    });
    for (const key of ['one', 'two', 'one', 'two', 'one'])
      expect(await statement(store.db, { key })).toEqual([{ n: key === 'one' ? 1 : 2, label: key }]);
    expect(statement.shapes(store.db)).toEqual({ compiled: 0, unshaped: 1 });
  });

  it('a build testing whether a value is empty meets each kind in a shape of its own', async () => {
    const store = await emptyStore();
    const statement = shapedStatement((db, { label }: { label: string }) =>
      (label ? numbers(db).where('label', '=', label) : numbers(db)).orderBy('n'),
    );
    for (const label of ['one', 'one', '', '', 'two', '', 'three']) {
      const expected = label
        ? [{ n: ['', 'one', 'two', 'three'].indexOf(label), label }]
        : [1, 2, 3].map((n) => ({ n, label: ['', 'one', 'two', 'three'][n] }));
      expect(await statement(store.db, { label })).toEqual(expected);
    }
  });

  it('a per-call closure', async () => {
    const store = await emptyStore();
    for (const n of [1, 2, 3, 2]) {
      const statement = shapedStatement((db, _: Record<string, never>) => numbers(db).where('n', '=', n));
      expect(await statement(store.db, {})).toEqual([{ n, label: ['', 'one', 'two', 'three'][n] }]);
    }
  });

  it('arguments it cannot walk (a Date) are built each time', async () => {
    const store = await emptyStore();
    const statement = shapedStatement((db, { at }: { at: Date }) => numbers(db).where('n', '=', at.getUTCDate()));
    expect(await statement(store.db, { at: new Date('2026-01-02') })).toEqual([{ n: 2, label: 'two' }]);
    expect(await statement(store.db, { at: new Date('2026-01-03') })).toEqual([{ n: 3, label: 'three' }]);
    expect(statement.shapes(store.db)).toEqual({ compiled: 0, unshaped: 0 });
  });

  it('keeps the shape of a build that follows the rule', async () => {
    const store = await emptyStore();
    const statement = shapedStatement((db, { ns }: { ns: number[] }) => numbers(db).where('n', 'in', ns).orderBy('n'));
    expect(await statement(store.db, { ns: [1, 3] })).toEqual([
      { n: 1, label: 'one' },
      { n: 3, label: 'three' },
    ]);
    expect(await statement(store.db, { ns: [2, 3] })).toEqual([
      { n: 2, label: 'two' },
      { n: 3, label: 'three' },
    ]);
    expect(await statement(store.db, { ns: [2] })).toEqual([{ n: 2, label: 'two' }]);
    // Kept from the second time a shape is met: two ids, not yet one.
    expect(statement.shapes(store.db)).toEqual({ compiled: 1, unshaped: 0 });
    expect(await statement(store.db, { ns: [3] })).toEqual([{ n: 3, label: 'three' }]);
    expect(await statement(store.db, { ns: [1, 2] })).toEqual([
      { n: 1, label: 'one' },
      { n: 2, label: 'two' },
    ]);
    expect(statement.shapes(store.db)).toEqual({ compiled: 2, unshaped: 0 });
  });
});
