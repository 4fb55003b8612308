import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import { benchCount, readEnvironment } from '../lib/config/env.js';
import { PROJECT_ROOT } from '../lib/config/index.js';
import { DEV_ISSUER } from '../lib/auth/dev-issuer.js';
import { parseCommandLine, runCommand } from '../scripts/command-line.js';
import { progress } from '../scripts/progress.js';
import { AGENCIES, metric, startTestFederation, type TestFederation } from '../tests/helpers/federation.js';
import { startChild, type Child } from './child.js';
import type { FloorPlan } from './floor.js';
import { nodeShareQuery, recordFloorPlan, type FloorScenario } from './floor-plan.js';
import { load, type LoadResult } from './load.js';
import { cpuMsPerRequest, sample } from './proc.js';
import { measureAtScale, scaleMarkdown } from './scale.js';
import { readFileSync } from 'node:fs';

// `npm run bench [-- --quick]`: what each partner question costs the federation, next to two
// baselines measured in the same run (docs/performance.md):
// - the FLOOR: the same question's SQL as raw prepared statements behind a bare node:http
//   server, with the token check, the audit append and the JSON (bench/floor.ts);
// - a STOCK @apollo/gateway over the same directory and one node, for one-agency questions
//   (bench/stock-gateway.ts).
// For each scenario: req/s, p50, p99 (autocannon, in its own process) and CPU milliseconds per
// request of every process, read from /proc; ratios to the baselines. A Markdown table on
// stdout, the same figures in bench/results.json. Figures are reported, never asserted.

const command = {
  name: 'bench',
  usage: '[--quick]',
  summary:
    'Measures each scenario through the federation (six processes, temporary stores), through a floor harness\n' +
    'and, for one-agency questions, through a stock @apollo/gateway, after a warm-up; prints a Markdown table of\n' +
    'req/s, latency and CPU ms per request per process, and writes bench/results.json. Then (not with --quick)\n' +
    "one node's questions at the demo size and with BENCH_SUBJECTS subjects in its store: p50 and p95.",
  options: { quick: { type: 'boolean' } },
  help: [['--quick', 'short runs (about a minute in all, no scale part), for a first look; figures are noisier']],
  environment: [
    ['BENCH_SUBJECTS', 'subjects in the store of the node measured at scale (default 100000; 0: no scale part)'],
    ['BENCH_SECONDS', 'length of each measured run (default 10; --quick: 2)'],
    ['BENCH_CONNECTIONS', 'concurrent connections (default 10)'],
    ['BENCH_ROUNDS', 'rounds of each scenario, interleaved; figures are medians over them (default 3; --quick: 1)'],
  ],
  example: 'npm run bench -- --quick',
} as const satisfies Parameters<typeof parseCommandLine>[0];

interface Scenario extends FloorScenario {
  /** One agency's question: measured through the stock gateway too. */
  stock: boolean;
}

const ALL = [...AGENCIES];
const SCENARIOS: Scenario[] = [
  {
    name: 'list, 4 nodes',
    query: `{ notices(first: 10, filter: { colours: [RED, YELLOW, DIFFUSION] }) { id colour agency { code name } subject { id names { full script } } }
              cases(filter: { crimeTypes: [TELECOM_FRAUD] }) { id reference agency { code } subjects { id names { full } } } }`,
    agencies: ALL,
    stock: false,
  },
  {
    name: 'list, 1 node',
    query: '{ notices(first: 10, agencies: ["EUROPOL"]) { id colour title { text } subject { id names { full } } } }',
    agencies: ['EUROPOL'],
    stock: true,
  },
  {
    name: 'lookup by id',
    query: '{ notice(id: "EUROPOL:N-00001") { id colour title { text } subject { id } } }',
    agencies: ['EUROPOL'],
    stock: true,
  },
  {
    name: 'nested, 4 nodes',
    query: `{ cases(first: 50) { id reference crimeTypes participatingAgencies { code }
              subjects { id names { full } datesOfBirth { date } notices { id colour } } } }`,
    agencies: ALL,
    stock: false,
  },
];
const PRODUCTION = { NODE_ENV: 'production' };
/** The node whose CPU per request is set against its own floor. */
const MEASURED_NODE = 'EUROPOL';

interface Measured extends LoadResult {
  /** CPU milliseconds per request, by process. */
  cpuMs: Record<string, number>;
  /** Requests sent while warming up, before the measured run. */
  warmUpRequests: number;
}

runCommand(command, async () => {
  const { values } = parseCommandLine(command);
  const environment = readEnvironment().bench;
  const quick = values.quick === true;
  const seconds = quick && !environment.secondsGiven ? 2 : environment.seconds;
  const warmSeconds = quick ? 1 : 3;
  const roundCount = benchCount('BENCH_ROUNDS', environment.rounds ?? (quick ? 1 : 3));
  const connections = environment.connections;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-'));
  // As deployed (Dockerfile, compose): NODE_ENV=production, in which graphql-js also skips its
  // development checks. The stock gateway runs so too.
  const fed = await startTestFederation({ env: PRODUCTION });
  const children: Child[] = [];
  try {
    const token = await fed.token({ agency: 'TH-RTP', roles: ['officer'] });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' };
    const plan: FloorPlan = {
      port: await getPort(),
      issuer: DEV_ISSUER,
      audience: fed.config.federation.trust.audience,
      jwks: JSON.parse(readFileSync(path.join(fed.config.federation.dataDir, 'dev-issuer', 'jwks.json'), 'utf8')),
      scenarios: await recordFloorPlan(fed, SCENARIOS, dir, token),
    };
    const planFile = path.join(dir, 'floor-plan.json');
    await writeFile(planFile, JSON.stringify(plan));
    const floor = await startChild('floor.ts', { BENCH_FLOOR_PLAN: planFile });
    children.push(floor);
    const stock = await startChild('stock-gateway.ts', {
      ...PRODUCTION,
      BENCH_DIRECTORY_URL: fed.nodeUrl('directory'),
      BENCH_RECORDS_URL: fed.nodeUrl(MEASURED_NODE),
      BENCH_PORT: String(await getPort()),
    });
    children.push(stock);
    const pids: Record<string, number> = Object.fromEntries(
      ['gateway', 'directory', ...AGENCIES].map((name) => [name, fed.federation.children.get(name)!.process.pid!]),
    );

    const bar = progress();
    const measure = async (label: string, url: string, query: string, processes: Record<string, number>): Promise<Measured> => {
      bar.step(label, warmSeconds + seconds);
      const started = Date.now();
      const ticking = setInterval(() => bar.update(Math.round((Date.now() - started) / 1000)), 1000);
      try {
        return await measureOnce(url, query, processes);
      } finally {
        clearInterval(ticking);
      }
    };
    const measureOnce = async (url: string, query: string, processes: Record<string, number>): Promise<Measured> => {
      const warmUpRequests = await warmUp(url, headers, query, connections, warmSeconds);
      const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, sample(pid)]));
      const result = await load({ url, headers, body: JSON.stringify({ query }), connections, seconds });
      const cpuMs = Object.fromEntries(
        Object.entries(processes).map(([name, pid]) => [name, cpuMsPerRequest(before[name]!, sample(pid), result.requests)]),
      );
      return { ...result, cpuMs, warmUpRequests };
    };

    /** One round of a scenario: the federation, the node alone, the floors and the stock gateway, one after another. */
    const measureRound = async (scenario: Scenario, label: string): Promise<Round> => {
      const sqlBefore = await sqlStatements(fed);
      const federation = await measure(`${label}: federation`, fed.gatewayUrl, scenario.query, pids);
      const sqlAfter = await sqlStatements(fed);
      const sqlPerRequest = Object.fromEntries(
        AGENCIES.map((agency) => [
          agency,
          round((sqlAfter[agency]! - sqlBefore[agency]!) / Math.max(federation.requests + federation.warmUpRequests, 1), 1),
        ]),
      );
      // The node asked directly, as its floor is: the same share of the question, with the other
      // processes idle. Through the federation six processes share two cores, and each one's CPU
      // per request grows with the contention (caches, switches); a deployed node has its own machine.
      const alone = await measure(`${label}: ${MEASURED_NODE} alone`, fed.nodeUrl(MEASURED_NODE), nodeShareQuery(scenario.query), {
        [MEASURED_NODE]: pids[MEASURED_NODE]!,
      });
      const floorUrl = (which: string) => new URL(`${encodeURIComponent(scenario.name)}/${which}`, floor.url).toString();
      const floorAll = await measure(`${label}: floor`, floorUrl('all'), scenario.query, { floor: floor.pid });
      const floorNode =
        scenario.agencies.length === 1
          ? floorAll
          : await measure(`${label}: floor, ${MEASURED_NODE}`, floorUrl(MEASURED_NODE), scenario.query, { floor: floor.pid });
      const stockRun = scenario.stock
        ? await measure(`${label}: stock gateway`, stock.url, scenario.query, {
            'stock gateway': stock.pid,
            directory: pids.directory!,
            [MEASURED_NODE]: pids[MEASURED_NODE]!,
          })
        : undefined;
      return {
        federation,
        sqlPerRequest,
        alone,
        floor: { all: floorAll.cpuMs.floor!, [MEASURED_NODE]: floorNode.cpuMs.floor!, nonOk: floorAll.non2xx + floorNode.non2xx },
        stock: stockRun,
        ratios: {
          nodeToFloor: federation.cpuMs[MEASURED_NODE]! / floorNode.cpuMs.floor!,
          nodeAloneToFloor: alone.cpuMs[MEASURED_NODE]! / floorNode.cpuMs.floor!,
          totalToSummedFloor: sum(Object.values(federation.cpuMs)) / floorAll.cpuMs.floor!,
          gatewayToStock: stockRun ? federation.cpuMs.gateway! / stockRun.cpuMs['stock gateway']! : null,
        },
      };
    };

    // Each scenario's runs are repeated, one after another, so that each round's ratios set
    // figures measured a few seconds apart against each other: on shared cores one run's CPU
    // per request moves by up to 1.7x between runs. The table gives each figure's median over
    // the rounds, and each ratio's median with its lowest and highest.
    const results = [];
    for (const scenario of SCENARIOS) {
      const rounds: Round[] = [];
      for (let index = 0; index < roundCount; index += 1) {
        rounds.push(await measureRound(scenario, roundCount > 1 ? `${scenario.name} (${index + 1}/${roundCount})` : scenario.name));
      }
      results.push({ scenario: scenario.name, query: scenario.query, ...summarise(rounds), rounds });
    }
    const scale = !quick && environment.subjects > 0 ? await measureAtScale(fed, headers, environment.subjects, 1000, bar) : null;
    bar.stop();
    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    };
    const report = {
      measuredAt: new Date().toISOString(),
      machine,
      quick,
      seconds,
      warmSeconds,
      rounds: roundCount,
      connections,
      measuredNode: MEASURED_NODE,
      results,
      scale,
    };
    await writeFile(path.join(PROJECT_ROOT, 'bench', 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(markdown(report));
    if (scale) console.log(`\n${scaleMarkdown(scale)}`);
  } finally {
    for (const child of children) await child.stop();
    await fed.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

/** Warm-up from this process (its CPU is not measured): JIT, connections, statement caches. Returns the requests sent. */
async function warmUp(url: string, headers: Record<string, string>, query: string, connections: number, seconds: number): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let warmRequests = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) {
        const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
        await response.arrayBuffer();
        warmRequests += 1;
      }
    }),
  );
  return warmRequests;
}

async function sqlStatements(fed: TestFederation): Promise<Record<string, number>> {
  const counts = await Promise.all(AGENCIES.map((agency) => metric(fed.nodeUrl(agency), 'agency_sql_statements_total')));
  return Object.fromEntries(AGENCIES.map((agency, index) => [agency, counts[index]!]));
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

type Ratios = { nodeToFloor: number; nodeAloneToFloor: number; totalToSummedFloor: number; gatewayToStock: number | null };

/** One round of a scenario's runs. */
interface Round {
  federation: Measured;
  sqlPerRequest: Record<string, number>;
  /** The measured node asked directly, the other processes idle (as its floor is measured). */
  alone: Measured;
  floor: Record<string, number>;
  stock?: Measured;
  ratios: Ratios;
}

/** A scenario's rounds in one: each figure's median, and each ratio's median, lowest and highest. */
function summarise(
  rounds: Round[],
): Omit<Round, 'ratios'> & { ratios: Ratios; ratioRanges: Record<keyof Ratios, [number, number] | null> } {
  const keys = ['nodeToFloor', 'nodeAloneToFloor', 'totalToSummedFloor', 'gatewayToStock'] as const;
  const valuesOf = (key: keyof Ratios) => rounds.map((entry) => entry.ratios[key]).filter((value): value is number => value !== null);
  const ranges = (key: keyof Ratios): [number, number] | null => {
    const values = valuesOf(key);
    return values.length ? [Math.min(...values), Math.max(...values)] : null;
  };
  const ratioOf = (key: keyof Ratios) => {
    const values = valuesOf(key);
    return values.length ? median(values) : null;
  };
  return {
    federation: medianMeasured(rounds.map((entry) => entry.federation)),
    sqlPerRequest: medianRecord(rounds.map((entry) => entry.sqlPerRequest)),
    alone: medianMeasured(rounds.map((entry) => entry.alone)),
    floor: medianRecord(rounds.map((entry) => entry.floor)),
    stock: rounds[0]!.stock ? medianMeasured(rounds.map((entry) => entry.stock!)) : undefined,
    ratios: {
      nodeToFloor: ratioOf('nodeToFloor')!,
      nodeAloneToFloor: ratioOf('nodeAloneToFloor')!,
      totalToSummedFloor: ratioOf('totalToSummedFloor')!,
      gatewayToStock: ratioOf('gatewayToStock'),
    },
    ratioRanges: Object.fromEntries(keys.map((key) => [key, ranges(key)])) as Record<keyof Ratios, [number, number] | null>,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function medianRecord(records: Record<string, number>[]): Record<string, number> {
  return Object.fromEntries(Object.keys(records[0]!).map((key) => [key, median(records.map((record) => record[key]!))]));
}

/** The median of each figure; failures (non-2xx, errors) summed, so that none is hidden. */
function medianMeasured(runs: Measured[]): Measured {
  return {
    requests: median(runs.map((run) => run.requests)),
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    non2xx: sum(runs.map((run) => run.non2xx)),
    errors: sum(runs.map((run) => run.errors)),
    cpuMs: medianRecord(runs.map((run) => run.cpuMs)),
    warmUpRequests: sum(runs.map((run) => run.warmUpRequests)),
  };
}

interface Report {
  machine: { cpus: number; cpuModel: string; node: string };
  seconds: number;
  rounds: number;
  connections: number;
  measuredNode: string;
  results: (ReturnType<typeof summarise> & { scenario: string })[];
}

function markdown(report: Report): string {
  const node = report.measuredNode;
  const ms = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(2));
  const x = (value: number | null, range?: [number, number] | null) =>
    value === null
      ? '–'
      : range && report.rounds > 1
        ? `${value.toFixed(2)}x (${range[0].toFixed(1)}–${range[1].toFixed(1)})`
        : `${value.toFixed(2)}x`;
  const lines = [
    `${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node ${report.machine.node}; ${report.connections} connections, ${report.seconds} s per run, ${report.rounds} round(s) per scenario (figures: medians; ratios: median (lowest–highest round)). CPU in ms per request; NODE_ENV=production.`,
    '',
    `| scenario | req/s | p50 ms | p99 ms | gateway | directory | nodes (sum) | ${node} | ${node} floor | ${node} / floor | ${node} alone | alone / floor | total | summed floor | total / floor | stock gateway | gateway / stock | SQL per request (${node}) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const result of report.results) {
    const cpu = result.federation.cpuMs;
    const nodes = sum(AGENCIES.map((agency) => cpu[agency] ?? 0));
    lines.push(
      `| ${result.scenario} | ${result.federation.requestsPerSecond.toFixed(0)} | ${result.federation.p50} | ${result.federation.p99} | ` +
        `${ms(cpu.gateway)} | ${ms(cpu.directory)} | ${ms(nodes)} | ${ms(cpu[node])} | ${ms(result.floor[node])} | ${x(result.ratios.nodeToFloor, result.ratioRanges.nodeToFloor)} | ` +
        `${ms(result.alone.cpuMs[node])} | ${x(result.ratios.nodeAloneToFloor, result.ratioRanges.nodeAloneToFloor)} | ` +
        `${ms(sum(Object.values(cpu)))} | ${ms(result.floor.all)} | ${x(result.ratios.totalToSummedFloor, result.ratioRanges.totalToSummedFloor)} | ` +
        `${ms(result.stock?.cpuMs['stock gateway'])} | ${x(result.ratios.gatewayToStock, result.ratioRanges.gatewayToStock)} | ${result.sqlPerRequest[node]} |`,
    );
  }
  const failures = report.results.filter(
    (result) => result.federation.non2xx + result.federation.errors + result.alone.non2xx + result.alone.errors > 0,
  );
  if (failures.length) lines.push('', `Non-2xx answers or errors in: ${failures.map((result) => result.scenario).join(', ')}.`);
  return lines.join('\n');
}
