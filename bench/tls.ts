import { readEnvironment } from '../lib/config/env.js';
import { parseCommandLine, runCommand } from '../scripts/command-line.js';
import { AGENCIES, startTestFederation, type TestFederation } from '../tests/helpers/federation.js';
import { cpuMsPerRequest, sample } from './proc.js';

// `npm run bench:tls`: what mutual TLS costs per request. The same partner question is sent
// through a plain federation and through one on mutual TLS (six processes each, started one
// after the other on this machine), and each process's CPU time per request is read from
// /proc; TLS is reported as a ratio to plain HTTP measured in the same run. Figures are
// reported, never asserted.

const command = {
  name: 'bench:tls',
  usage: '',
  summary:
    'Sends the partner list query through a plain federation and one on mutual TLS (BENCH_CONNECTIONS callers\n' +
    'for BENCH_SECONDS each, after a warm-up) and prints CPU milliseconds per request of every process, with\n' +
    'the ratio of TLS to plain measured in the same run.',
  options: {},
  help: [],
  environment: [
    ['BENCH_SECONDS', 'length of each measurement (default 10)'],
    ['BENCH_CONNECTIONS', 'concurrent callers (default 10)'],
  ],
  example: 'BENCH_SECONDS=5 npm run bench:tls',
} as const satisfies Parameters<typeof parseCommandLine>[0];

const { seconds: DURATION_S, connections: CALLERS } = readEnvironment().bench;
const QUERY = `{ notices(first: 10, filter: { colours: [RED, YELLOW, DIFFUSION] }) { id colour agency { code name } subject { id names { full script } } }
  cases(filter: { crimeTypes: [TELECOM_FRAUD] }) { id reference agency { code } subjects { id names { full } } } }`;
const SERVICES = ['gateway', 'directory', ...AGENCIES] as const;

interface Run {
  requests: number;
  failed: number;
  seconds: number;
  cpuMs: Map<string, number>;
}

/** CALLERS partners (the suite's default caller) asking in a loop for `seconds`, on kept-alive connections. */
async function load(fed: TestFederation, seconds: number): Promise<{ requests: number; failed: number }> {
  const until = Date.now() + seconds * 1000;
  let requests = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (Date.now() < until) {
        const { errors } = await fed.query(QUERY).catch((error: Error) => ({ errors: [error] }));
        requests += 1;
        if (errors?.length) failed += 1;
      }
    }),
  );
  return { requests, failed };
}

async function measure(tls: boolean): Promise<Run> {
  const fed = await startTestFederation(tls ? { tls: true } : {});
  try {
    await load(fed, Math.min(5, DURATION_S)); // warm-up: JIT, connections, statement caches
    const pids = new Map(SERVICES.map((name) => [name, fed.federation.children.get(name)!.process.pid!] as const));
    const before = new Map([...pids].map(([name, pid]) => [name, sample(pid)]));
    const started = performance.now();
    const { requests, failed } = await load(fed, DURATION_S);
    const seconds = (performance.now() - started) / 1000;
    const after = new Map([...pids].map(([name, pid]) => [name, sample(pid)]));
    const cpuMs = new Map([...pids.keys()].map((name) => [name, cpuMsPerRequest(before.get(name)!, after.get(name)!, requests)]));
    return { requests, failed, seconds, cpuMs };
  } finally {
    await fed.stop();
  }
}

runCommand(command, async () => {
  parseCommandLine(command);
  console.log(`${CALLERS} callers, ${DURATION_S} s per federation after a warm-up; the partner list query of npm run bench\n`);
  const plain = await measure(false);
  const tls = await measure(true);
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  console.log(row(['process', 'plain CPU ms/request', 'mutual TLS CPU ms/request', 'TLS / plain']));
  console.log(row(['---', '---:', '---:', '---:']));
  const total = (run: Run) => [...run.cpuMs.values()].reduce((sum, ms) => sum + ms, 0);
  for (const name of [...SERVICES, 'all']) {
    const a = name === 'all' ? total(plain) : plain.cpuMs.get(name)!;
    const b = name === 'all' ? total(tls) : tls.cpuMs.get(name)!;
    console.log(row([name, a.toFixed(2), b.toFixed(2), (b / a).toFixed(2)]));
  }
  for (const [name, run] of [
    ['plain', plain],
    ['mutual TLS', tls],
  ] as const) {
    console.log(
      `\n${name}: ${run.requests} requests in ${run.seconds.toFixed(1)} s (${(run.requests / run.seconds).toFixed(1)} req/s), ${run.failed} failed`,
    );
  }
});
