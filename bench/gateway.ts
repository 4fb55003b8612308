import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import { readEnvironment } from '../lib/config/env.js';
import { PROJECT_ROOT } from '../lib/config/index.js';
import { DEV_ISSUER } from '../lib/auth/dev-issuer.js';
import { parseCommandLine, runCommand } from '../scripts/command-line.js';
import { progress } from '../scripts/progress.js';
import { AGENCIES, metric, startTestFederation, type TestFederation } from '../tests/helpers/federation.js';
import { startChild, type Child } from './child.js';
import type { FloorPlan } from './floor.js';
import { recordFloorPlan, type FloorScenario } from './floor-plan.js';
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
  const connections = environment.connections;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-'));
  const fed = await startTestFederation();
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

    const results = [];
    for (const scenario of SCENARIOS) {
      const sqlBefore = await sqlStatements(fed);
      const federation = await measure(`${scenario.name}: federation`, fed.gatewayUrl, scenario.query, pids);
      const sqlAfter = await sqlStatements(fed);
      const sqlPerRequest = Object.fromEntries(
        AGENCIES.map((agency) => [
          agency,
          round((sqlAfter[agency]! - sqlBefore[agency]!) / Math.max(federation.requests + federation.warmUpRequests, 1), 1),
        ]),
      );
      const floorUrl = (which: string) => new URL(`${encodeURIComponent(scenario.name)}/${which}`, floor.url).toString();
      const floorAll = await measure(`${scenario.name}: floor`, floorUrl('all'), scenario.query, { floor: floor.pid });
      const floorNode =
        scenario.agencies.length === 1
          ? floorAll
          : await measure(`${scenario.name}: floor, ${MEASURED_NODE}`, floorUrl(MEASURED_NODE), scenario.query, { floor: floor.pid });
      const stockRun = scenario.stock
        ? await measure(`${scenario.name}: stock gateway`, stock.url, scenario.query, {
            'stock gateway': stock.pid,
            directory: pids.directory!,
            [MEASURED_NODE]: pids[MEASURED_NODE]!,
          })
        : undefined;
      const total = sum(Object.values(federation.cpuMs));
      results.push({
        scenario: scenario.name,
        query: scenario.query,
        federation,
        sqlPerRequest,
        floor: { all: floorAll.cpuMs.floor!, [MEASURED_NODE]: floorNode.cpuMs.floor!, nonOk: floorAll.non2xx + floorNode.non2xx },
        stock: stockRun,
        ratios: {
          nodeToFloor: federation.cpuMs[MEASURED_NODE]! / floorNode.cpuMs.floor!,
          totalToSummedFloor: total / floorAll.cpuMs.floor!,
          gatewayToStock: stockRun ? federation.cpuMs.gateway! / stockRun.cpuMs['stock gateway']! : null,
        },
      });
    }
    const scale = !quick && environment.subjects > 0 ? await measureAtScale(fed, headers, environment.subjects, 200, bar) : null;
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

interface Report {
  machine: { cpus: number; cpuModel: string; node: string };
  seconds: number;
  connections: number;
  measuredNode: string;
  results: {
    scenario: string;
    federation: Measured;
    sqlPerRequest: Record<string, number>;
    floor: Record<string, number>;
    stock?: Measured;
    ratios: { nodeToFloor: number; totalToSummedFloor: number; gatewayToStock: number | null };
  }[];
}

function markdown(report: Report): string {
  const node = report.measuredNode;
  const ms = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(2));
  const x = (value: number | null) => (value === null ? '–' : `${value.toFixed(2)}x`);
  const lines = [
    `${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node ${report.machine.node}; ${report.connections} connections, ${report.seconds} s per run. CPU in ms per request.`,
    '',
    `| scenario | req/s | p50 ms | p99 ms | gateway | directory | nodes (sum) | ${node} | ${node} floor | ${node} / floor | total | summed floor | total / floor | stock gateway | gateway / stock | SQL per request (${node}) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const result of report.results) {
    const cpu = result.federation.cpuMs;
    const nodes = sum(AGENCIES.map((agency) => cpu[agency] ?? 0));
    lines.push(
      `| ${result.scenario} | ${result.federation.requestsPerSecond.toFixed(0)} | ${result.federation.p50} | ${result.federation.p99} | ` +
        `${ms(cpu.gateway)} | ${ms(cpu.directory)} | ${ms(nodes)} | ${ms(cpu[node])} | ${ms(result.floor[node])} | ${x(result.ratios.nodeToFloor)} | ` +
        `${ms(sum(Object.values(cpu)))} | ${ms(result.floor.all)} | ${x(result.ratios.totalToSummedFloor)} | ` +
        `${ms(result.stock?.cpuMs['stock gateway'])} | ${x(result.ratios.gatewayToStock)} | ${result.sqlPerRequest[node]} |`,
    );
  }
  const failures = report.results.filter((result) => result.federation.non2xx + result.federation.errors > 0);
  if (failures.length) lines.push('', `Non-2xx answers or errors in: ${failures.map((result) => result.scenario).join(', ')}.`);
  return lines.join('\n');
}
