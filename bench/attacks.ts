import { readEnvironment } from '../lib/config/env.js';
import { cpuMsPerRequest, sample } from './proc.js';
import { parseCommandLine, runCommand } from '../scripts/command-line.js';
import { AGENCIES, startTestFederation, type TestFederation } from '../tests/helpers/federation.js';

// `npm run bench:attacks`: what issue 10's attacks cost the federation now. For each attack
// (and a normal partner question as the baseline), sent by BENCH_CONNECTIONS attackers in a
// loop for BENCH_SECONDS: the status and time of one answer, CPU time per attack request and
// peak memory of every process (read from /proc), and the latency of a normal question sent
// during the attack, as a ratio to the same question with no attack, measured in this run.
// Figures are reported, never asserted.

const command = {
  name: 'bench:attacks',
  usage: '',
  summary:
    'Sends the depth, alias and fan-out attacks of issue 10 to a real federation (six processes, temporary\n' +
    'stores) and reports status, answer time, CPU per request and peak memory per process, and a normal\n' +
    "question's latency during each attack against the same question with no attack.",
  options: {},
  help: [],
  environment: [
    ['BENCH_SECONDS', 'length of each attack (default 10)'],
    ['BENCH_CONNECTIONS', 'concurrent attackers (default 10)'],
  ],
  example: 'BENCH_SECONDS=5 npm run bench:attacks',
} as const satisfies Parameters<typeof parseCommandLine>[0];

const { seconds: DURATION_S, connections: ATTACKERS } = readEnvironment().bench;

function nested(levels: number, narrowed: boolean): string {
  let selection = '{ id }';
  for (let i = 0; i < levels; i++) selection = i % 2 === 0 ? `{ id subjects ${selection} }` : `{ id cases ${selection} }`;
  return `{ cases(first: 100${narrowed ? ', agencies: ["LMLECC"]' : ''}) ${selection} }`;
}

const NORMAL = '{ notices(first: 10) { id colour agency { code } subject { id names { full } } } }';
const ATTACKS: { name: string; query: string }[] = [
  { name: 'normal partner question (as an attack: the load baseline)', query: NORMAL },
  { name: 'depth: ten levels of cases/subjects, one agency (357 bytes)', query: nested(10, true) },
  { name: 'depth: ten levels of cases/subjects, all agencies', query: nested(10, false) },
  {
    name: 'aliases: 10,000 aliased ids on notices(first: 100) (~99 KB)',
    query: `{ notices(first: 100) { ${Array.from({ length: 10_000 }, (_, i) => `a${i}: id`).join(' ')} } }`,
  },
  { name: 'out of range: notices(first: 1000)', query: '{ notices(first: 1000) { id } }' },
];

async function post(fed: TestFederation, token: string, query: string): Promise<{ status: number; ms: number; errors: string[] }> {
  const started = performance.now();
  const response = await fetch(fed.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: { message: string }[] };
  return { status: response.status, ms: performance.now() - started, errors: (body.errors ?? []).map((error) => error.message) };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** A normal question every 100 ms while `during` runs; its latencies. */
async function probeLatency(fed: TestFederation, token: string, until: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (!until()) {
    const { ms, status } = await post(fed, token, NORMAL);
    latencies.push(status === 200 ? ms : Number.POSITIVE_INFINITY);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return latencies;
}

runCommand(command, async () => {
  parseCommandLine(command);
  const fed = await startTestFederation();
  try {
    const partner = await fed.token({ agency: 'TH-RTP', roles: ['officer'], sub: 'bench-partner' });
    const attacker = await fed.token({ agency: 'TH-RTP', roles: ['officer'], sub: 'bench-attacker' });
    const pids = new Map([
      ['gateway', fed.federation.children.get('gateway')!.process.pid!],
      ...AGENCIES.map((agency) => [agency, fed.federation.children.get(agency)!.process.pid!] as const),
    ]);
    for (let i = 0; i < 20; i++) await post(fed, partner, NORMAL); // warm-up
    let quiet = false;
    setTimeout(() => (quiet = true), 3000);
    const baseline = await probeLatency(fed, partner, () => quiet);
    const baseP50 = percentile(baseline, 50);
    console.log(
      `${ATTACKERS} attackers, ${DURATION_S} s per attack; normal question with no attack: p50 ${baseP50.toFixed(1)} ms, p95 ${percentile(baseline, 95).toFixed(1)} ms\n`,
    );

    for (const attack of ATTACKS) {
      const single = await post(fed, attacker, attack.query);
      const before = new Map([...pids].map(([name, pid]) => [name, sample(pid)]));
      const peak = new Map([...pids].map(([name]) => [name, before.get(name)!.rssBytes]));
      const sampler = setInterval(() => {
        for (const [name, pid] of pids) peak.set(name, Math.max(peak.get(name)!, sample(pid).rssBytes));
      }, 50);
      let done = false;
      const ends = Date.now() + DURATION_S * 1000;
      let sent = 0;
      const statuses = new Map<number, number>();
      const attackers = Array.from({ length: ATTACKERS }, async () => {
        while (Date.now() < ends) {
          const { status } = await post(fed, attacker, attack.query).catch(() => ({ status: 0 }));
          sent++;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      });
      const probing = probeLatency(fed, partner, () => done);
      await Promise.all(attackers);
      done = true;
      const during = await probing;
      clearInterval(sampler);
      const after = new Map([...pids].map(([name, pid]) => [name, sample(pid)]));

      console.log(attack.name);
      console.log(
        `  one answer: HTTP ${single.status} in ${single.ms.toFixed(1)} ms${single.errors[0] ? `: ${single.errors[0].slice(0, 110)}` : ''}`,
      );
      console.log(`  ${sent} attack requests; statuses ${[...statuses].map(([status, count]) => `${status}×${count}`).join(', ')}`);
      const cpu = [...pids.keys()]
        .map((name) => `${name} ${cpuMsPerRequest(before.get(name)!, after.get(name)!, sent).toFixed(2)}`)
        .join(', ');
      console.log(`  CPU ms per attack request: ${cpu}`);
      const memory = [...pids.keys()].map((name) => `${name} ${(peak.get(name)! / 1024 / 1024).toFixed(0)}`).join(', ');
      console.log(`  peak RSS MB: ${memory}`);
      const p50 = percentile(during, 50);
      const failed = during.filter((ms) => !Number.isFinite(ms)).length;
      console.log(
        `  normal question meanwhile: p50 ${p50.toFixed(1)} ms (${(p50 / baseP50).toFixed(2)}× no attack), p95 ${percentile(during, 95).toFixed(1)} ms, ${failed} of ${during.length} failed\n`,
      );
    }
  } finally {
    await fed.stop();
  }
});
