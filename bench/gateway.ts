import autocannon from 'autocannon';
import { readEnvironment } from '../lib/config/env.js';
import { parseCommandLine, runCommand } from '../scripts/command-line.js';
import { progress } from '../scripts/progress.js';
import { AGENCIES, metric, startTestFederation } from '../tests/helpers/federation.js';

// `npm run bench`: throughput and latency of the gateway over the real federation (six
// processes on this machine), plus SQL statements per request at each node. Figures are
// reported, never asserted: tests stay about correctness.

const command = {
  name: 'bench',
  usage: '',
  summary:
    'Measures throughput, latency and SQL statements per request of the gateway over the real federation (six\n' +
    'processes on free ports, temporary stores), one run of BENCH_SECONDS per scenario; shows progress on a\n' +
    'terminal, and prints figures only.',
  options: {},
  help: [],
  environment: [
    ['BENCH_SECONDS', 'length of each scenario (default 10)'],
    ['BENCH_CONNECTIONS', 'concurrent connections (default 10)'],
  ],
  example: 'BENCH_SECONDS=5 npm run bench',
} as const satisfies Parameters<typeof parseCommandLine>[0];

const { seconds: DURATION_S, connections: CONNECTIONS } = readEnvironment().bench;

const scenarios: { name: string; query: string }[] = [
  {
    name: 'partner list query (4 nodes, 10 notices + telecom-fraud cases each)',
    query: `{ notices(first: 10, filter: { colours: [RED, YELLOW, DIFFUSION] }) { id colour agency { code name } subject { id names { full script } } }
              cases(filter: { crimeTypes: [TELECOM_FRAUD] }) { id reference agency { code } subjects { id names { full } } } }`,
  },
  { name: 'lookup by id (one owner)', query: '{ notice(id: "EUROPOL:N-00001") { id colour title { text } subject { id } } }' },
  {
    name: 'nested: 50 cases per node with subjects and their notices',
    query: `{ cases(first: 50) { id reference crimeTypes participatingAgencies { code }
              subjects { id names { full } datesOfBirth { date } notices { id colour } } } }`,
  },
];

runCommand(command, async () => {
  parseCommandLine(command);
  const fed = await startTestFederation();
  try {
    console.log(`gateway ${fed.gatewayUrl}; ${CONNECTIONS} connections, ${DURATION_S} s per scenario; caller TH-RTP officer\n`);
    const token = await fed.token({ agency: 'TH-RTP', roles: ['officer'] });
    const bar = progress();
    try {
      for (const [index, scenario] of scenarios.entries()) {
        const before = await Promise.all(AGENCIES.map((a) => metric(fed.nodeUrl(a), 'agency_sql_statements_total')));
        bar.step(`scenario ${index + 1} of ${scenarios.length}`, DURATION_S);
        let second = 0;
        const ticking = setInterval(() => bar.update(++second, `${second} of ${DURATION_S} s`), 1000);
        const result = await autocannon({
          url: fed.gatewayUrl,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' },
          body: JSON.stringify({ query: scenario.query }),
          connections: CONNECTIONS,
          duration: DURATION_S,
        }).finally(() => clearInterval(ticking));
        bar.stop();
        const after = await Promise.all(AGENCIES.map((a) => metric(fed.nodeUrl(a), 'agency_sql_statements_total')));
        const requests = result.requests.total || 1;
        const perNode = AGENCIES.map((a, i) => `${a} ${((after[i]! - before[i]!) / requests).toFixed(1)}`).join(', ');
        console.log(scenario.name);
        console.log(
          `  ${result.requests.average.toFixed(0)} req/s, latency p50 ${result.latency.p50} ms, p97.5 ${result.latency.p97_5} ms, ` +
            `p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
        );
        console.log(`  SQL statements per request: ${perNode}\n`);
      }
    } finally {
      bar.stop();
    }
  } finally {
    await fed.stop();
  }
});
