import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, type LogEvent } from 'kysely';
import { loadConfig } from '../../../lib/config/index.js';
import type { Caller } from '../../../lib/auth/caller.js';
import { NodeContext } from '../../../subgraphs/agency/context.js';
import { decide, type DisclosureLevel } from '../../../subgraphs/agency/policy/policy.js';
import { documentKey, nameKeys, nameTokens } from '../../../subgraphs/agency/screening/normalize.js';
import { screeningKeys } from '../../../subgraphs/agency/screening/withheld.js';
import { generateDataset } from '../../../subgraphs/agency/seed/generate.js';
import { scaledDatasets } from '../../../subgraphs/agency/seed/scale.js';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import type { AgencyDataset, CrimeType } from '../../../subgraphs/agency/store/records.js';
import type { CaseQuery, NoticeQuery, SubjectQuery } from '../../../subgraphs/agency/store/rows.js';
import type { RecordStore } from '../../../subgraphs/agency/store/store.js';
import { insertDataset } from '../../../subgraphs/agency/store/writes.js';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../../helpers/databases.js';

// Reads on a store of a few thousand records (the demo data grown with `npm run seed`'s
// generator), for every partner of the directory and the filters partners use: each page is
// exactly the one the policy in TypeScript gives (policy.ts `decide`, independent of the SQL),
// in list order, whichever plan the store picks (a common and a rare crime type take
// different ones), and so are screening candidates (ranked from the index in rounds). On SQLite, the plans of unfiltered lists walk an index in list order: no
// table scan, no sort of the whole table, whatever the store's size.

const config = loadConfig();
const { directory } = config;
const OWNER = 'EUROPOL';
const SUBJECTS = 4000;

interface Listed {
  localId: string;
  /** What the policy decides, once filled in (NONE records are left out). */
  disclosure: DisclosureLevel;
  date: string | null;
}

describe.each(STORE_KINDS)('reads on %s match the policy at scale', (kind) => {
  let db: TestDatabase;
  let store: RecordStore;
  let statements: { sql: string; parameters: readonly unknown[] }[] = [];
  const records: AgencyDataset = { agency: OWNER, subjects: [], notices: [], cases: [], labels: {} };

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'list-pages');
    store = await openStore({ agency: OWNER, database: db.database, onQuery: (event: LogEvent) => statements.push(event.query) });
    const batches = [generateDataset(OWNER), ...[...scaledDatasets(OWNER, SUBJECTS)].map((batch) => batch.dataset)];
    for (const batch of batches) {
      await insertDataset(store, batch);
      records.subjects.push(...batch.subjects);
      records.notices.push(...batch.notices);
      records.cases.push(...batch.cases);
      Object.assign(records.labels, batch.labels);
    }
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  function readerOf(agency: string) {
    const context = new NodeContext({ code: OWNER, circles: directory.circlesOf(OWNER) }, store);
    const caller: Caller = {
      sub: 'list-pages',
      agency,
      circles: directory.circlesOf(agency),
      roles: ['officer'],
      purpose: 'CRIMINAL_INVESTIGATION',
      token: '',
    };
    context.caller = caller;
    return context.reader;
  }

  /** The page the policy gives: FULL records newest first (id breaking ties), then HIT_ONLY ones by id, descending. */
  function expectedPage(agency: string, listed: Listed[], first: number, fullOnly: boolean, newestFirst: boolean): string[] {
    const level = (localId: string) =>
      decide(
        { agency, circles: directory.circlesOf(agency) },
        { code: OWNER, circles: directory.circlesOf(OWNER) },
        records.labels[localId]!,
      );
    const byIdDesc = (a: Listed, b: Listed) => (a.localId < b.localId ? 1 : a.localId > b.localId ? -1 : 0);
    const withLevel = listed.map((entry) => ({ ...entry, disclosure: level(entry.localId) }));
    const full = withLevel.filter((entry) => entry.disclosure === 'FULL');
    const hits = fullOnly ? [] : withLevel.filter((entry) => entry.disclosure === 'HIT_ONLY');
    if (newestFirst) {
      full.sort((a, b) => (a.date! < b.date! ? 1 : a.date! > b.date! ? -1 : byIdDesc(a, b)));
      hits.sort(byIdDesc);
    } else {
      const byIdAsc = (a: Listed, b: Listed) => -byIdDesc(a, b);
      full.push(...hits.splice(0));
      full.sort(byIdAsc);
    }
    return [...full, ...hits].slice(0, first).map((entry) => `${entry.localId} ${entry.disclosure}`);
  }

  const callers = directory.agencies.map((agency) => agency.code);
  const commonCrime = (): CrimeType => mostCommon(records.cases.flatMap((c) => c.crimeTypes));
  const rareCrime = (): CrimeType => leastCommon(records.cases.flatMap((c) => c.crimeTypes));

  /** A part of a name that only a few subjects have: a list by it must not walk the others. */
  const rareNamePart = (): string => {
    const name = records.subjects.at(-1)!.names.find((n) => /^[\x20-\x7e]+$/.test(n.full))!.full;
    return name.slice(1, 7).toUpperCase();
  };

  it('the store holds enough records for both crime-type plans', () => {
    const count = (type: CrimeType) => records.cases.filter((c) => c.crimeTypes.includes(type)).length;
    expect(records.subjects.length).toBeGreaterThanOrEqual(SUBJECTS);
    expect(count(commonCrime())).toBeGreaterThan(500);
    expect(count(rareCrime())).toBeLessThan(500);
  });

  it.each([10, 100, 100_000])('notices, first %i', async (first) => {
    const queries: [NoticeQuery, (n: AgencyDataset['notices'][number]) => boolean, boolean][] = [
      [{ first }, () => true, false],
      [{ first, colours: ['RED', 'YELLOW'] }, (n) => n.colour === 'RED' || n.colour === 'YELLOW', false],
      [{ first, statuses: ['ACTIVE'] }, (n) => n.status === 'ACTIVE', true],
      [
        { first, colours: ['DIFFUSION'], statuses: ['CANCELLED', 'EXPIRED'] },
        (n) => n.colour === 'DIFFUSION' && n.status !== 'ACTIVE',
        true,
      ],
    ];
    for (const agency of callers) {
      for (const [query, matches, fullOnly] of queries) {
        const got = await readerOf(agency).listNotices(query);
        const listed = records.notices.filter(matches).map((n) => ({ localId: n.localId, disclosure: 'FULL' as const, date: n.issuedOn }));
        expect(
          got.map((row) => `${row.localId} ${row.disclosure}`),
          `${agency} ${JSON.stringify(query)}`,
        ).toEqual(expectedPage(agency, listed, first, fullOnly, true));
      }
    }
  });

  it.each([10, 100, 100_000])('cases, first %i (a common and a rare crime type)', async (first) => {
    const common = commonCrime();
    const rare = rareCrime();
    const queries: [CaseQuery, (c: AgencyDataset['cases'][number]) => boolean, boolean][] = [
      [{ first }, () => true, false],
      [{ first, crimeTypes: [common] }, (c) => c.crimeTypes.includes(common), true],
      [{ first, crimeTypes: [rare] }, (c) => c.crimeTypes.includes(rare), true],
      [
        { first, crimeTypes: [rare], statuses: ['OPEN', 'CLOSED'] },
        (c) => c.crimeTypes.includes(rare) && ['OPEN', 'CLOSED'].includes(c.status),
        true,
      ],
      [{ first, statuses: ['SUSPENDED'] }, (c) => c.status === 'SUSPENDED', true],
    ];
    for (const agency of callers) {
      for (const [query, matches, fullOnly] of queries) {
        const got = await readerOf(agency).listCases(query);
        const listed = records.cases.filter(matches).map((c) => ({ localId: c.localId, disclosure: 'FULL' as const, date: c.openedOn }));
        expect(
          got.map((row) => `${row.localId} ${row.disclosure}`),
          `${agency} ${JSON.stringify(query)}`,
        ).toEqual(expectedPage(agency, listed, first, fullOnly, true));
      }
    }
  });

  it.each([10, 100, 100_000])('subjects, first %i', async (first) => {
    const queries: [SubjectQuery, (s: AgencyDataset['subjects'][number]) => boolean, boolean][] = [
      [{ first }, () => true, false],
      [{ first, kinds: ['ORGANISATION'] }, (s) => s.kind === 'ORGANISATION', false],
      [{ first, nationality: 'de' }, (s) => s.nationalities.includes('DE'), true],
      [{ first, name: 'AN' }, (s) => s.names.some((n) => n.full.toLowerCase().includes('an')), true],
      // Parts of three letters or more are looked up in the names' trigram index (migration 0008).
      ...[rareNamePart(), 'ALI', 'hamm', 'no such name part'].map(
        (part): [SubjectQuery, (s: AgencyDataset['subjects'][number]) => boolean, boolean] => [
          { first, name: part },
          (s) => s.names.some((n) => n.full.toLowerCase().includes(part.toLowerCase())),
          true,
        ],
      ),
    ];
    for (const agency of callers) {
      for (const [query, matches, fullOnly] of queries) {
        const got = await readerOf(agency).listSubjects(query);
        const listed = records.subjects.filter(matches).map((s) => ({ localId: s.localId, disclosure: 'FULL' as const, date: null }));
        expect(
          got.map((row) => `${row.localId} ${row.disclosure}`),
          `${agency} ${JSON.stringify(query)}`,
        ).toEqual(expectedPage(agency, listed, first, fullOnly, false));
      }
    }
  });

  it('screening candidates are the subjects sharing the most keys that count, ties by id', async () => {
    // Questions from the store's own names (common and rare ones), one with a document number.
    const questions = [0, 7, 99, 1234, 2500, 3999].map((i) => {
      const subject = records.subjects[i]!;
      return { name: subject.names[0]!.full, documentNumber: subject.documents[0]?.number ?? null };
    });
    questions.push({ name: questions[1]!.name, documentNumber: questions[2]!.documentNumber ?? 'X1234567' });
    // The hard case for ranking in rounds: one common name part (hundreds of subjects tie on
    // it) and the document number of a subject that some caller may know of HIT_ONLY, with
    // an id after most of the others: ranked first on the index (its document is one more
    // key), it must still come after every tie with a smaller id for that caller.
    const common = mostCommon(
      records.subjects.flatMap((s) => [...new Set(s.names.flatMap((n) => nameTokens(n.full)))]).filter((t) => t.length >= 4),
    );
    const withheldFromSome = records.subjects
      .filter((s) => s.documents.length > 0 && s.names.some((n) => nameTokens(n.full).includes(common)))
      .filter((s) =>
        callers.some(
          (agency) =>
            decide(
              { agency, circles: directory.circlesOf(agency) },
              { code: OWNER, circles: directory.circlesOf(OWNER) },
              records.labels[s.localId]!,
            ) === 'HIT_ONLY',
        ),
      )
      .sort((a, b) => (a.localId < b.localId ? 1 : -1))[0]!;
    questions.push({ name: common, documentNumber: withheldFromSome.documents[0]!.number });
    const keysOf = new Map(
      records.subjects.map((s) => [
        s.localId,
        new Set([...s.names.flatMap((n) => nameKeys(n.full)), ...s.documents.map((d) => documentKey(d.number)).filter((k) => k !== null)]),
      ]),
    );
    for (const agency of callers) {
      for (const question of questions) {
        const keys = screeningKeys(question);
        for (const limit of [5, 150]) {
          const got = await readerOf(agency).unrecorded.screeningCandidates(keys, limit);
          const level = (localId: string) =>
            decide(
              { agency, circles: directory.circlesOf(agency) },
              { code: OWNER, circles: directory.circlesOf(OWNER) },
              records.labels[localId]!,
            );
          const expected = records.subjects
            .map((s) => {
              const disclosure = level(s.localId);
              const held = keysOf.get(s.localId)!;
              const shared =
                keys.anyVisible.filter((k) => held.has(k)).length +
                (disclosure === 'FULL' ? keys.fullOnly.filter((k) => held.has(k)).length : 0);
              return { localId: s.localId, disclosure, shared };
            })
            .filter((s) => s.disclosure !== 'NONE' && s.shared > 0)
            .sort((a, b) => b.shared - a.shared || (a.localId < b.localId ? -1 : 1))
            .slice(0, limit)
            .map((s) => `${s.localId} ${s.disclosure}`);
          expect(
            got.map((row) => `${row.localId} ${row.disclosure}`),
            `${agency} ${JSON.stringify(question)} first ${limit}`,
          ).toEqual(expected);
        }
      }
    }
  });

  // Plans are SQLite's to show here: PostgreSQL's planner picks by table size (docs/performance.md shows its plans at 100,000 records).
  if (kind === 'sqlite')
    it('unfiltered lists walk an index in list order: no table scan, no sort', async () => {
      const reader = readerOf('TH-RTP');
      for (const list of [
        () => reader.listNotices({ first: 100 }),
        () => reader.listCases({ first: 100 }),
        () => reader.listSubjects({ first: 100 }),
      ]) {
        statements = [];
        await list();
        const reads = statements.filter((statement) => /^select/i.test(statement.sql));
        expect(reads.length).toBeGreaterThan(0);
        for (const statement of reads) {
          const plan = (
            await store.db.executeQuery<{ detail: string }>(
              CompiledQuery.raw(`explain query plan ${statement.sql}`, [...statement.parameters]),
            )
          ).rows.map((row) => row.detail);
          expect(
            plan.filter((step) => /^SCAN (notices|cases|subjects)$/.test(step) || /TEMP B-TREE/.test(step)),
            plan.join('\n'),
          ).toEqual([]);
          expect(
            plan.some((step) => /^SCAN (notices|cases|subjects) USING INDEX/.test(step)),
            plan.join('\n'),
          ).toBe(true);
        }
      }
    });

  if (kind === 'sqlite')
    it("a name part is looked up in the names' trigram index, not found by walking every subject", async () => {
      statements = [];
      await readerOf('TH-RTP').listSubjects({ first: 10, name: rareNamePart() });
      const read = statements.find((statement) => /^select "subjects"/i.test(statement.sql))!;
      const plan = (
        await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${read.sql}`, [...read.parameters]))
      ).rows.map((row) => row.detail);
      expect(
        plan.some((step) => /^SCAN subject_names_trigrams VIRTUAL TABLE INDEX \d+:L/.test(step)),
        plan.join('\n'),
      ).toBe(true);
      expect(
        plan.filter((step) => /^SCAN subjects\b/.test(step)),
        plan.join('\n'),
      ).toEqual([]);
    });
});

function tally<T>(items: readonly T[]): [T, number][] {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

function mostCommon<T>(items: readonly T[]): T {
  return tally(items)[0]![0];
}

function leastCommon<T>(items: readonly T[]): T {
  return tally(items).at(-1)![0];
}
