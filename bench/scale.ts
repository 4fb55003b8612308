import { scaledDatasets } from '../subgraphs/agency/seed/scale.js';
import { openStore } from '../subgraphs/agency/store/open.js';
import { insertDataset } from '../subgraphs/agency/store/writes.js';
import type { TestFederation } from '../tests/helpers/federation.js';
import type { Progress } from '../scripts/progress.js';

// The scale part of `npm run bench`: one node's questions timed through the gateway at the
// demo size, then again once that node's store holds `subjects` subjects (grown with
// `npm run seed`'s generator, notices and cases in proportion). Latency is timed one
// request at a time from this process, so p95 is the store's doing, not a queue's.

export interface ScaleScenario {
  name: string;
  query: string;
}

export const SCALE_NODE = 'EUROPOL';

export const SCALE_SCENARIOS: ScaleScenario[] = [
  {
    name: 'notices list',
    query: '{ notices(first: 10, agencies: ["EUROPOL"]) { id colour title { text } subject { id names { full } } } }',
  },
  {
    name: 'cases by a common crime type',
    query: '{ cases(first: 10, agencies: ["EUROPOL"], filter: { crimeTypes: [CYBERCRIME] }) { id reference openedOn } }',
  },
  { name: 'subjects list', query: '{ subjects(first: 10, agencies: ["EUROPOL"]) { id names { full } nationalities } }' },
  { name: 'lookup by id', query: '{ notice(id: "EUROPOL:N-00001") { id colour title { text } subject { id } } }' },
  {
    name: 'screening',
    query: '{ screen(person: { name: "Mohammed Ali Hassan" }, agencies: ["EUROPOL"]) { score record { ... on Subject { id } } } }',
  },
];

export interface Latency {
  p50: number;
  p95: number;
  requests: number;
}

export interface ScaleResult {
  scenario: string;
  demo: Latency;
  atScale: Latency;
  /** p95 at scale over p95 at the demo size (target at most 1.3). */
  ratio: number;
}

export interface ScaleReport {
  node: string;
  demoHoldings: { notices: number; subjects: number; cases: number };
  holdings: { notices: number; subjects: number; cases: number };
  seedSeconds: number;
  results: ScaleResult[];
}

export async function measureAtScale(
  fed: TestFederation,
  headers: Record<string, string>,
  subjects: number,
  requests: number,
  bar: Progress,
): Promise<ScaleReport> {
  const database = fed.config.federation.agencies.find((entry) => entry.code === SCALE_NODE)!.database;
  const demo = await timeAll(fed.gatewayUrl, headers, requests, bar, 'demo size');
  await fed.federation.kill(SCALE_NODE);
  const store = await openStore({ agency: SCALE_NODE, database });
  const started = performance.now();
  let demoHoldings;
  let holdings;
  try {
    demoHoldings = await store.holdingsOfOwner();
    bar.step(`seeding ${SCALE_NODE} to ${subjects} subjects`, subjects);
    for (const batch of scaledDatasets(SCALE_NODE, subjects - demoHoldings.subjects)) {
      await insertDataset(store, batch.dataset);
      bar.update(demoHoldings.subjects + batch.subjects);
    }
    holdings = await store.holdingsOfOwner();
  } finally {
    await store.close();
  }
  const seedSeconds = (performance.now() - started) / 1000;
  await fed.federation.restart(SCALE_NODE);
  const atScale = await timeAll(fed.gatewayUrl, headers, requests, bar, `${subjects} subjects`);
  return {
    node: SCALE_NODE,
    demoHoldings,
    holdings,
    seedSeconds,
    results: SCALE_SCENARIOS.map((scenario, i) => ({
      scenario: scenario.name,
      demo: demo[i]!,
      atScale: atScale[i]!,
      ratio: atScale[i]!.p95 / demo[i]!.p95,
    })),
  };
}

/** Rounds of every question before any is timed: the node at scale has just been restarted, and its code must be as warm as at the demo size. */
const WARM_UP_ROUNDS = 300;

async function timeAll(url: string, headers: Record<string, string>, requests: number, bar: Progress, size: string): Promise<Latency[]> {
  const asks = SCALE_SCENARIOS.map((scenario) => {
    const body = JSON.stringify({ query: scenario.query });
    return async () => {
      const response = await fetch(url, { method: 'POST', headers, body });
      const answer = (await response.json()) as { errors?: unknown[] };
      if (!response.ok || answer.errors) throw new Error(`${scenario.name}: ${response.status} ${JSON.stringify(answer.errors ?? '')}`);
    };
  });
  // The questions take turns, in the warm-up and when timed, so that none is measured colder
  // than another (the first one after the restart was: its p95 ratio read highest, 1.8x,
  // though its statements cost the same at both sizes).
  bar.step(`warming up at ${size}`, WARM_UP_ROUNDS);
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    for (const ask of asks) await ask();
    bar.update(round + 1);
  }
  bar.step(`timing at ${size}`, requests);
  const times: number[][] = asks.map(() => []);
  for (let round = 0; round < requests; round++) {
    for (const [index, ask] of asks.entries()) {
      const started = performance.now();
      await ask();
      times[index]!.push(performance.now() - started);
    }
    bar.update(round + 1);
  }
  return times.map((each) => {
    each.sort((a, b) => a - b);
    const at = (p: number) => Number(each[Math.min(each.length - 1, Math.floor(p * each.length))]!.toFixed(2));
    return { p50: at(0.5), p95: at(0.95), requests };
  });
}

export function scaleMarkdown(report: ScaleReport): string {
  const { demoHoldings: demo, holdings: at } = report;
  return [
    `${report.node} at the demo size (${demo.subjects} subjects, ${demo.notices} notices, ${demo.cases} cases) and at ` +
      `${at.subjects} subjects, ${at.notices} notices, ${at.cases} cases (seeded in ${report.seedSeconds.toFixed(0)} s); ` +
      'one request at a time through the gateway, ms.',
    '',
    '| question | p50 demo | p95 demo | p50 at scale | p95 at scale | p95 scale / demo |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...report.results.map(
      (r) => `| ${r.scenario} | ${r.demo.p50} | ${r.demo.p95} | ${r.atScale.p50} | ${r.atScale.p95} | ${r.ratio.toFixed(2)}x |`,
    ),
  ].join('\n');
}
