import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENCIES as NODES,
  type CallerSpec,
  type GraphQLResult,
  type TestFederation,
  startTestFederation,
} from '../../helpers/federation.js';
import {
  type Batch,
  buildBatches,
  canonical,
  expectedAnswer,
  type Kind,
  knownCounts,
  labelsOf,
  type Level,
  LEVELS,
  levelOf,
  loadStore,
  mapLimit,
  partner,
  PARTNER_CODES,
  stable,
  type Store,
} from './oracle.js';

// A policy matrix through the gateway: every demo partner of the directory (officer, with
// its directory circles) against every subject, notice and case of every store. What comes
// back must equal the decision table of docs/disclosure.md, computed here from the fixtures
// by ./oracle.ts (which never calls the policy module under test). The same lookups sent
// straight to each node, bypassing the gateway, must give the same answers.

const STORES: Store[] = NODES.map((owner) => loadStore(owner));
const storeOf = (owner: string) => STORES.find((store) => store.owner === owner)!;

/** Aliases per request: a few hundred keeps the request count low and each request well under the body limit. */
const BATCH_SIZE = 250;
/** Requests in flight at once (the stores answer in parallel, each node its own share). */
const CONCURRENCY = 4;

const BATCHES = buildBatches(STORES, BATCH_SIZE);
const officer = (agency: string): CallerSpec => ({ agency, roles: ['officer'] });

type Answer = GraphQLResult<Record<string, unknown>> & { status?: number };

/** What the gateway answered, by partner and batch key: the direct calls are compared with it. */
const throughGateway = new Map<string, Answer>();
/** Levels the federation actually gave: store -> level -> partners. */
const observed = new Map<string, Map<Level, Set<string>>>(
  NODES.map((owner) => [owner, new Map(LEVELS.map((level) => [level, new Set<string>()]))]),
);

function observedLevel(value: unknown): Level | 'UNEXPECTED' {
  if (value === null) return 'NONE';
  const disclosure = (value as { disclosure?: unknown }).disclosure;
  return disclosure === 'FULL' || disclosure === 'HIT_ONLY' ? disclosure : 'UNEXPECTED';
}

/** Compares one batch answer with the table; returns one line per discrepancy. */
function checkBatch(caller: string, batch: Batch, answer: Answer): string[] {
  const problems: string[] = [];
  const who = `${caller} asking ${batch.owner}`;
  if (answer.status !== undefined && answer.status !== 200) problems.push(`${who} ${batch.key}: HTTP ${answer.status}`);
  for (const error of answer.errors ?? []) {
    const alias = error.path?.[0];
    const localId = typeof alias === 'string' && /^r\d+$/.test(alias) ? batch.localIds[Number(alias.slice(1))] : undefined;
    problems.push(
      `${who} ${batch.key}: unexpected error ${JSON.stringify(error.message)} (${String(error.extensions?.code)}) at ${JSON.stringify(error.path)}` +
        (localId ? ` = ${batch.owner}:${localId}, level ${levelOf(partner(caller), storeOf(batch.owner), localId)}` : ''),
    );
  }
  if (!answer.data) {
    problems.push(`${who} ${batch.key}: no data`);
    return problems;
  }
  const store = storeOf(batch.owner);
  const asPartner = partner(caller);
  batch.localIds.forEach((localId, i) => {
    const got = answer.data![`r${i}`];
    const expected = expectedAnswer(asPartner, store, batch.kind, localId);
    const level = observedLevel(got ?? null);
    if (level !== 'UNEXPECTED') observed.get(batch.owner)!.get(level)!.add(caller);
    const actual = canonical(batch.kind, (got ?? null) as Record<string, unknown> | null);
    if (stable(actual) !== stable(expected)) {
      const labels = labelsOf(store, localId);
      problems.push(
        `${who}: ${batch.kind} ${batch.owner}:${localId} labels ${JSON.stringify(labels)} ` +
          `expected ${JSON.stringify(expected)} got ${JSON.stringify(got)}`,
      );
    }
  });
  return problems;
}

function report(problems: string[]): void {
  // A short, readable failure: how many, and the first few with the record and its labels.
  expect(problems.slice(0, 15), `${problems.length} discrepancies`).toEqual([]);
}

describe('disclosure policy matrix', () => {
  let fed: TestFederation;

  beforeAll(async () => {
    // The matrix asks for 250 records per request, by alias, to check thousands of decisions in
    // seconds: a batch no partner should send, so its federation allows it (docs/production.md).
    fed = await startTestFederation({ limits: { maxAliases: 300, maxRootFields: 300, maxTokens: 20_000 } });
  });

  afterAll(async () => {
    await fed?.stop();
  });

  it('knows what it is testing: ~3,000 records in the four fixtures, labelled', () => {
    const total = STORES.reduce(
      (sum, store) => sum + store.localIds.notice.length + store.localIds.subject.length + store.localIds.case.length,
      0,
    );
    expect(total).toBeGreaterThan(2000);
    expect(PARTNER_CODES).toHaveLength(12);
    for (const store of STORES) {
      for (const kind of ['notice', 'subject', 'case'] as Kind[]) {
        for (const id of store.localIds[kind]) expect(labelsOf(store, id)).toBeDefined();
      }
    }
  });

  describe('through the gateway', () => {
    it.each(PARTNER_CODES)('%s gets every record of every store at the level of the decision table', async (caller) => {
      const answers = await mapLimit(BATCHES, CONCURRENCY, (batch) => fed.query(batch.query, {}, { as: officer(caller) }));
      const problems: string[] = [];
      BATCHES.forEach((batch, i) => {
        throughGateway.set(`${caller}|${batch.key}`, answers[i]!);
        problems.push(...checkBatch(caller, batch, answers[i]!));
      });
      report(problems);
    });

    it('exercises every level: each store gives FULL, HIT_ONLY and NONE, and each partner meets all three at every other store', () => {
      for (const owner of NODES) {
        const levels = observed.get(owner)!;
        for (const level of LEVELS) {
          expect(levels.get(level)!.size, `${owner} gave ${level} to nobody`).toBeGreaterThan(0);
        }
        // Only the owner itself sees nothing but FULL.
        for (const caller of PARTNER_CODES.filter((code) => code !== owner)) {
          for (const level of LEVELS) {
            expect(levels.get(level)!.has(caller), `${owner} never gave ${level} to ${caller}`).toBe(true);
          }
        }
        expect(levels.get('HIT_ONLY')!.has(owner)).toBe(false);
        expect(levels.get('NONE')!.has(owner)).toBe(false);
      }
    });

    it.each(PARTNER_CODES)('%s: holdings count exactly the records it may know of', async (caller) => {
      const { data, errors } = await fed.query<{ agencies: { code: string; holdings: Record<string, number> | null }[] }>(
        '{ agencies { code holdings { notices subjects cases } } }',
        {},
        { as: officer(caller) },
      );
      expect(errors).toBeUndefined();
      const expected = PARTNER_CODES.map((code) => ({
        code,
        holdings: (NODES as readonly string[]).includes(code) ? knownCounts(partner(caller), storeOf(code)) : null,
      }));
      expect(data!.agencies).toEqual(expected);
    });

    it.each(PARTNER_CODES)('%s: lists of each store hold only records it may know of, at the right level', async (caller) => {
      const asPartner = partner(caller);
      const problems: string[] = [];
      await Promise.all(
        STORES.map(async (store) => {
          const { data, errors } = await fed.query<Record<'notices' | 'subjects' | 'cases', { id: string; disclosure: string }[]>>(
            `query($agencies: [ID!]) {
              notices(first: 100, agencies: $agencies) { id disclosure }
              subjects(first: 100, agencies: $agencies) { id disclosure }
              cases(first: 100, agencies: $agencies) { id disclosure }
            }`,
            { agencies: [store.owner] },
            { as: officer(caller) },
          );
          if (errors) problems.push(`${caller} listing ${store.owner}: errors ${JSON.stringify(errors)}`);
          const counts = knownCounts(asPartner, store);
          for (const [field, kind] of [
            ['notices', 'notice'],
            ['subjects', 'subject'],
            ['cases', 'case'],
          ] as const) {
            const list = data?.[field] ?? [];
            const known = store.localIds[kind];
            if (list.length !== Math.min(100, counts[field])) {
              problems.push(`${caller} listing ${store.owner} ${field}: ${list.length} items, expected ${Math.min(100, counts[field])}`);
            }
            if (new Set(list.map((item) => item.id)).size !== list.length)
              problems.push(`${caller} listing ${store.owner} ${field}: duplicates`);
            for (const item of list) {
              const [owner, localId] = item.id.split(':') as [string, string];
              if (owner !== store.owner || !known.includes(localId)) {
                problems.push(`${caller} listing ${store.owner} ${field}: foreign or unknown id ${item.id}`);
                continue;
              }
              const level = levelOf(asPartner, store, localId);
              if (level !== item.disclosure) {
                problems.push(`${caller} listing ${store.owner} ${field}: ${item.id} came as ${item.disclosure}, table says ${level}`);
              }
            }
          }
        }),
      );
      report(problems);
    });
  });

  // The same matrix straight to each node, with the same token and purpose. Every partner
  // is covered; each one is about as quick as through the gateway.
  describe('sent directly to each node', () => {
    it.each(PARTNER_CODES)('%s gets the same answers from each node as through the gateway', async (caller) => {
      const answers = await mapLimit(BATCHES, CONCURRENCY, (batch) =>
        fed.query(batch.query, {}, { as: officer(caller), url: fed.nodeUrl(batch.owner) }),
      );
      const problems: string[] = [];
      BATCHES.forEach((batch, i) => {
        const direct: Answer = answers[i]!;
        const viaGateway = throughGateway.get(`${caller}|${batch.key}`);
        if (direct.errors)
          problems.push(`${caller} at node ${batch.owner} ${batch.key}: errors ${JSON.stringify(direct.errors.slice(0, 3))}`);
        if (direct.status !== 200) problems.push(`${caller} at node ${batch.owner} ${batch.key}: HTTP ${direct.status}`);
        if (!viaGateway) {
          problems.push(`${caller} ${batch.key}: no gateway answer to compare with`);
          return;
        }
        batch.localIds.forEach((localId, j) => {
          const a = stable(direct.data?.[`r${j}`] ?? null);
          const b = stable(viaGateway.data?.[`r${j}`] ?? null);
          if (a !== b) problems.push(`${caller} ${batch.kind} ${batch.owner}:${localId}: node answered ${a}, gateway ${b}`);
        });
        // And independently of the gateway, the node's answer is the table's.
        problems.push(...checkBatch(caller, batch, direct).map((line) => `directly at the node: ${line}`));
      });
      report(problems);
    });
  });

  describe('owner-only fields', () => {
    const ownerSelections: Record<Kind, string> = {
      notice: 'id disclosure tlp handling releasableTo discoverable',
      subject: 'id disclosure tlp handling releasableTo discoverable',
      case: 'id disclosure tlp handling releasableTo discoverable',
    };

    it.each([...NODES])('%s sees every record of its own store FULL, with releasableTo and discoverable', async (owner) => {
      const store = storeOf(owner);
      const batches = buildBatches([store], BATCH_SIZE, ownerSelections);
      const answers = await mapLimit(batches, CONCURRENCY, (batch) => fed.query(batch.query, {}, { as: officer(owner) }));
      const problems: string[] = [];
      batches.forEach((batch, i) => {
        const answer = answers[i]!;
        if (answer.errors) problems.push(`${owner} ${batch.key}: errors ${JSON.stringify(answer.errors.slice(0, 3))}`);
        batch.localIds.forEach((localId, j) => {
          const labels = labelsOf(store, localId);
          const got = answer.data?.[`r${j}`] as { releasableTo?: string[] | null } | null | undefined;
          const expected = {
            id: `${owner}:${localId}`,
            disclosure: 'FULL',
            tlp: labels.tlp,
            handling: labels.handling,
            releasableTo: [...labels.releasableTo].sort(),
            discoverable: labels.discoverable,
          };
          const actual = got ? { ...got, releasableTo: got.releasableTo ? [...got.releasableTo].sort() : got.releasableTo } : got;
          if (stable(actual) !== stable(expected)) {
            problems.push(`${owner} own ${batch.kind} ${localId}: expected ${JSON.stringify(expected)} got ${JSON.stringify(got)}`);
          }
        });
      });
      report(problems);
    });

    // Another agency, even one the record is released to in full, may not see whom else it
    // is released to, nor whether it is discoverable.
    it.each([
      ['FR-PN', 'EUROPOL'],
      ['INTERPOL', 'EUROPOL'],
      ['TH-RTP', 'LMLECC'],
      ['EUROPOL', 'INTERPOL'],
    ])('%s asking %s for releasableTo / discoverable gets FORBIDDEN, at the gateway and at the node', async (caller, owner) => {
      const store = storeOf(owner);
      const localId = store.localIds.notice.find((id) => levelOf(partner(caller), store, id) === 'FULL')!;
      expect(localId).toBeDefined();
      const id = `${owner}:${localId}`;
      for (const url of [fed.gatewayUrl, fed.nodeUrl(owner)]) {
        for (const field of ['releasableTo', 'discoverable']) {
          const { data, errors } = await fed.query<{ notice: Record<string, unknown> | null }>(
            `query($id: ID!) { notice(id: $id) { id disclosure tlp ${field} } }`,
            { id },
            { as: officer(caller), url },
          );
          const where = url === fed.gatewayUrl ? 'gateway' : `node ${owner}`;
          expect(errors, `${where}: ${field}`).toHaveLength(1);
          expect(errors![0]!.extensions?.code, `${where}: ${field}`).toBe('FORBIDDEN');
          expect(errors![0]!.path, `${where}: ${field}`).toEqual(['notice', field]);
          // The rest of the record is still answered.
          expect(data?.notice, `${where}: ${field}`).toEqual({ id, disclosure: 'FULL', tlp: labelsOf(store, localId).tlp, [field]: null });
        }
      }
    });
  });
});
