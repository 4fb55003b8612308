import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevIssuer, type DevIssuer } from '../../../lib/auth/dev-issuer.js';
import { TokenVerifier } from '../../../lib/auth/verify.js';
import { loadConfig } from '../../../lib/config/index.js';
import type { Service } from '../../../lib/service.js';
import { decide, TLP_LABELS, HANDLING_CODES } from '../../../subgraphs/agency/policy/policy.js';
import { startAgencyNode } from '../../../subgraphs/agency/server.js';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import type { AgencyDataset, RecordLabels } from '../../../subgraphs/agency/store/records.js';
import type { RecordStore } from '../../../subgraphs/agency/store/store.js';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../../helpers/databases.js';
import { postGraphQL, tokenFor } from '../../helpers/federation.js';
import { insertDataset } from '../../../subgraphs/agency/store/writes.js';
import { LOOPBACK_HTTP } from '../../helpers/http.js';

// A real node over a real store, with random records and random callers: whatever the
// policy decides is exactly what leaves the node, and nothing more.

const config = loadConfig();
const { directory } = config;
const OWNER = 'EUROPOL';
const CODES = directory.agencies.map((a) => a.code);
const CIRCLES = directory.circles.map((c) => c.code);

const labels: fc.Arbitrary<RecordLabels> = fc.record({
  tlp: fc.constantFrom(...TLP_LABELS),
  handling: fc.constantFrom(...HANDLING_CODES),
  releasableTo: fc.uniqueArray(fc.constantFrom(...CODES, ...CIRCLES), { maxLength: 4 }),
  discoverable: fc.boolean(),
});

const name = fc.stringMatching(/^[A-Z][a-z]{2,8} [A-Z]{3,10}$/);
const documentNumber = fc.stringMatching(/^[A-Z]{2}[0-9]{7}$/);

let run = 0;
/** A small random store: subjects with personal data, notices and cases about them. */
const dataset: fc.Arbitrary<AgencyDataset> = fc
  .record({
    subjects: fc.array(fc.record({ name, alias: name, document: documentNumber, labels }), { minLength: 1, maxLength: 6 }),
    notices: fc.array(fc.record({ subject: fc.nat(), reference: fc.stringMatching(/^[A-Z]-[0-9]{4}\/20[0-9]{2}$/), labels }), {
      maxLength: 4,
    }),
    cases: fc.array(fc.record({ subjects: fc.uniqueArray(fc.nat(5), { minLength: 1, maxLength: 3 }), labels }), { maxLength: 3 }),
  })
  .map(({ subjects, notices, cases }) => {
    const prefix = `r${++run}`;
    const subjectId = (i: number) => `S-${prefix}-${i % subjects.length}`;
    const all: Record<string, RecordLabels> = {};
    return {
      agency: OWNER,
      subjects: subjects.map((s, i) => {
        all[subjectId(i)] = s.labels;
        return {
          localId: subjectId(i),
          kind: 'PERSON' as const,
          gender: 'FEMALE' as const,
          names: [
            { full: s.name, script: 'Latn', kind: 'PRIMARY' as const, quality: null },
            { full: s.alias, script: 'Latn', kind: 'ALIAS' as const, quality: 'LOW' as const },
          ],
          birthDates: [{ qualifier: 'EXACT' as const, date: '1980-02-03', from: null, to: null }],
          nationalities: ['FR'],
          documents: [{ type: 'PASSPORT' as const, number: s.document, issuingCountry: 'FR' }],
        };
      }),
      notices: notices.map((n, i) => {
        all[`N-${prefix}-${i}`] = n.labels;
        return {
          localId: `N-${prefix}-${i}`,
          colour: 'DIFFUSION' as const,
          status: 'ACTIVE' as const,
          subjectLocalId: subjectId(n.subject),
          reference: n.reference,
          title: [{ language: 'en', text: `Alert ${n.reference}`, original: true }],
          charges: [],
          issuedOn: '2025-01-01',
          requestingCountry: 'FR',
          recipients: ['DE-BKA'],
        };
      }),
      cases: cases.map((c, i) => {
        all[`C-${prefix}-${i}`] = c.labels;
        return {
          localId: `C-${prefix}-${i}`,
          reference: `EUROPOL-${prefix}-${i}`,
          title: [],
          crimeTypes: ['CYBERCRIME' as const],
          status: 'OPEN' as const,
          openedOn: '2025-01-01',
          subjects: [...new Set(c.subjects.map(subjectId))].map((id) => ({ subjectLocalId: id, role: 'SUSPECT' as const })),
          participatingAgencies: [OWNER],
        };
      }),
      labels: all,
    };
  });

const callerAgency = fc.constantFrom(...CODES);

describe.each(STORE_KINDS)('a node on %s discloses exactly what its policy decides', (kind) => {
  let dir: string;
  let db: TestDatabase;
  let store: RecordStore;
  let node: Service;
  let issuer: DevIssuer;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'node-property-'));
    issuer = await ensureDevIssuer(dir);
    db = await createTestDatabase(kind, 'property');
    store = await openStore({ agency: OWNER, database: db.database });
    node = await startAgencyNode({
      agency: OWNER,
      port: 0,
      database: db.database,
      seedDemoData: false,
      verifier: new TokenVerifier(config.federation.trust, dir, directory),
      directory,
      http: LOOPBACK_HTTP,
      logger: pino({ level: 'silent' }),
    });
  });

  afterAll(async () => {
    await node?.stop();
    await store?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('for random records and callers', async () => {
    await fc.assert(
      fc.asyncProperty(dataset, callerAgency, async (records, agency) => {
        await insertDataset(store, records);
        const token = await tokenFor(issuer, config, { agency });
        const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' };
        const level = (localId: string) =>
          decide(
            { agency, circles: directory.circlesOf(agency) },
            { code: OWNER, circles: directory.circlesOf(OWNER) },
            records.labels[localId]!,
          );
        const secrets = records.subjects.flatMap((s) => [...s.names.map((n) => n.full), ...s.documents.map((d) => d.number)]);

        const lookups = [
          ...records.subjects.map(
            (s, i) =>
              `s${i}: subject(id: "${OWNER}:${s.localId}") { id disclosure kind tlp handling names { full } datesOfBirth { date } nationalities identityDocuments { number } notices { id } cases { id } }`,
          ),
          ...records.notices.map(
            (n, i) =>
              `n${i}: notice(id: "${OWNER}:${n.localId}") { id disclosure colour tlp handling reference title { text } subject { id names { full } } }`,
          ),
          ...records.cases.map(
            (c, i) =>
              `c${i}: case(id: "${OWNER}:${c.localId}") { id disclosure tlp handling reference subjects { id names { full } } participants { role } }`,
          ),
        ];
        const { data, errors } = await postGraphQL<Record<string, Record<string, unknown> | null>>(
          node.url,
          `{ ${lookups.join('\n')} }`,
          {},
          headers,
        );
        expect(errors).toBeUndefined();
        const all = [
          ...records.subjects.map((r, i) => [`s${i}`, r.localId] as const),
          ...records.notices.map((r, i) => [`n${i}`, r.localId] as const),
          ...records.cases.map((r, i) => [`c${i}`, r.localId] as const),
        ];
        for (const [alias, localId] of all) {
          const got = data![alias];
          const decided = level(localId);
          if (decided === 'NONE') {
            expect(got, `${localId} is NONE`).toBeNull();
            continue;
          }
          expect(got!.disclosure).toBe(decided);
          expect(got!.id).toBe(`${OWNER}:${localId}`);
          if (decided === 'HIT_ONLY') {
            const carried = Object.entries(got!)
              .filter(([, value]) => value !== null)
              .map(([field]) => field)
              .sort();
            expect(
              carried.every((field) => ['id', 'disclosure', 'kind', 'colour'].includes(field)),
              carried.join(),
            ).toBe(true);
            for (const secret of secrets) expect(JSON.stringify(got)).not.toContain(secret);
          } else {
            expect(got!.tlp).toBe(records.labels[localId]!.tlp);
            expect(got!.handling).toBe(records.labels[localId]!.handling);
          }
          // Links never outrank their ends: from a record disclosed in full, exactly its links to
          // records also disclosed in full (docs/disclosure.md), nothing else, and every one of them.
          const idsOf = (list: unknown) => ((list as { id: string }[] | null) ?? []).map((item) => item.id.split(':')[1]!).sort();
          const fullOnly = (ids: string[]) => [...new Set(ids)].filter((id) => level(id) === 'FULL').sort();
          if (alias.startsWith('n')) {
            const notice = records.notices.find((n) => n.localId === localId)!;
            const expected = decided === 'FULL' ? fullOnly([notice.subjectLocalId]) : [];
            expect(got!.subject ? [(got!.subject as { id: string }).id.split(':')[1]] : [], `subject of ${localId}`).toEqual(expected);
          }
          if (alias.startsWith('s')) {
            const notices = records.notices.filter((n) => n.subjectLocalId === localId).map((n) => n.localId);
            const cases = records.cases.filter((c) => c.subjects.some((s) => s.subjectLocalId === localId)).map((c) => c.localId);
            expect(idsOf(got!.notices), `notices of ${localId}`).toEqual(decided === 'FULL' ? fullOnly(notices) : []);
            expect(idsOf(got!.cases), `cases of ${localId}`).toEqual(decided === 'FULL' ? fullOnly(cases) : []);
          }
          if (alias.startsWith('c')) {
            const record = records.cases.find((c) => c.localId === localId)!;
            const linked = decided === 'FULL' ? fullOnly(record.subjects.map((s) => s.subjectLocalId)) : [];
            expect(idsOf(got!.subjects), `subjects of ${localId}`).toEqual(linked);
            // A participant (and its role) whose subject is withheld is left out with it.
            const roles = decided === 'FULL' ? record.subjects.filter((s) => level(s.subjectLocalId) === 'FULL').length : 0;
            expect(((got!.participants as unknown[] | null) ?? []).length, `participants of ${localId}`).toBe(roles);
          }
        }

        // Questions about withheld content get no answer from a HIT_ONLY record: a name filter
        // never matches it, and its screening score ignores its withheld date of birth and nationality.
        for (const subject of records.subjects) {
          const id = `${OWNER}:${subject.localId}`;
          const name = subject.names[0]!.full;
          const filtered = await postGraphQL<{ subjects: { id: string }[] }>(
            node.url,
            'query($n: String) { subjects(first: 100, filter: { name: $n }) { id } }',
            { n: name },
            headers,
          );
          expect(
            filtered.data!.subjects.some((s) => s.id === id),
            `name filter on ${id}`,
          ).toBe(level(subject.localId) === 'FULL');
          if (level(subject.localId) !== 'HIT_ONLY') continue;
          const screenQuery = 'query($p: PersonQuery!) { screen(person: $p, minScore: 0) { score record { ... on Subject { id } } } }';
          const scoreWith = async (person: Record<string, string>) =>
            (
              await postGraphQL<{ screen: { score: number; record: { id: string } }[] }>(node.url, screenQuery, { p: person }, headers)
            ).data!.screen.find((h) => h.record.id === id)?.score;
          const right = await scoreWith({
            name,
            dateOfBirth: '1980-02-03',
            nationality: 'FR',
            documentNumber: subject.documents[0]!.number,
          });
          const wrong = await scoreWith({ name, dateOfBirth: '1901', nationality: 'RU', documentNumber: 'ZZ0000000' });
          expect(right, `screening ${id} by its own name finds it`).toBeDefined();
          expect(right, `screening ${id}`).toBe(wrong);
        }

        // Lists leave NONE records out and mark the rest.
        const listed = await postGraphQL<{ subjects: { id: string; disclosure: string }[] }>(
          node.url,
          '{ subjects(first: 100) { id disclosure } }',
          {},
          headers,
        );
        const mine = listed.data!.subjects.filter((s) => s.id.includes(`-r${run}-`));
        const visible = records.subjects.filter((s) => level(s.localId) !== 'NONE');
        expect(mine.map((s) => s.id).sort()).toEqual(visible.map((s) => `${OWNER}:${s.localId}`).sort());
      }),
      { numRuns: 25 },
    );
  });
});
