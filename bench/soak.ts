import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { parseCommandLine, runCommand, UsageError } from '../scripts/command-line.js';
import { progress } from '../scripts/progress.js';
import { AGENCIES, startTestFederation, type CallerSpec } from '../tests/helpers/federation.js';
import { sample } from './proc.js';

// `npm run bench:soak [-- --quick]`: 200 partners of six agencies (each with its own
// disclosure scope) ask the cross-agency list at once, again and again, for two minutes.
// Every answer is checked against what that caller was answered when it asked alone: the
// same (ok), the same less an agency that did not answer in time and is named in an error
// (degraded), or anything else (mixed up: a record it should not see, or another caller's).
// Reports 5xx, mixed-up answers, latency, and each process's memory at start, middle and end.
// Figures are reported, never asserted.

const command = {
  name: 'bench:soak',
  usage: '[--quick | --seconds N]',
  summary:
    'Runs 200 concurrent partners against the real federation (six processes, temporary stores) for 2 minutes\n' +
    '(--quick: 20 s), checks every answer against its caller, and reports 5xx, mixed-up and degraded answers,\n' +
    'latency and memory (RSS) of every process at start, at each sixth of the run and at the end.',
  options: { quick: { type: 'boolean' }, seconds: { type: 'string' } },
  help: [
    ['--quick', '20 seconds instead of 2 minutes'],
    ['--seconds N', 'another length, e.g. 600 to see whether memory levels off'],
  ],
  environment: [],
  example: 'npm run bench:soak -- --quick',
} as const satisfies Parameters<typeof parseCommandLine>[0];

const PARTNERS = 200;
const AGENCIES_ASKING = ['TH-RTP', 'VN-MPS', 'CN-MPS', 'FR-PN', 'DE-BKA', 'KH-NP'];
const QUERY = `{ notices(first: 10, filter: { colours: [RED, YELLOW, DIFFUSION] }) { id colour disclosure agency { code name } subject { id names { full script } } }
  cases(filter: { crimeTypes: [TELECOM_FRAUD] }) { id disclosure reference agency { code } subjects { id names { full } } } }`;

type Answer = {
  status: number;
  data?: { notices?: Row[] | null; cases?: Row[] | null } | null;
  errors?: { extensions?: { code?: string; agency?: string } }[];
};
type Row = { id: string; disclosure?: string; agency?: { code: string } | null };

runCommand(command, async () => {
  const { values } = parseCommandLine(command);
  const seconds = values.seconds ? Number(values.seconds) : values.quick ? 20 : 120;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400)
    throw new UsageError('--seconds must be a whole number of seconds from 1 to 86400');
  const fed = await startTestFederation();
  const bar = progress();
  try {
    const callers: CallerSpec[] = Array.from({ length: PARTNERS }, (_, i) => ({
      agency: AGENCIES_ASKING[i % AGENCIES_ASKING.length]!,
      roles: ['officer'],
      sub: `soak-${i}`,
    }));
    // What each agency's officers are answered when nothing else is going on.
    const expected = new Map<string, Answer>();
    for (const agency of AGENCIES_ASKING) {
      const answer = (await fed.query(QUERY, {}, { as: { agency, roles: ['officer'] } })) as Answer;
      if (answer.errors?.length) throw new Error(`${agency}'s reference answer has errors: ${JSON.stringify(answer.errors)}`);
      expected.set(agency, answer);
    }
    const services = ['gateway', 'directory', ...AGENCIES];
    const memory = (label: string) => ({
      label,
      rssMb: Object.fromEntries(
        services.map((name) => [name, Math.round(sample(fed.federation.children.get(name)!.process.pid!).rssBytes / 2 ** 20)]),
      ),
    });
    const memories = [memory('start')];
    const counts = { ok: 0, degraded: 0, mixedUp: 0, shed: 0, serverErrors: 0, otherStatus: 0, failed: 0 };
    const latencies: number[] = [];
    const mixedUpExamples: { caller: string; answer: Answer }[] = [];
    const started = Date.now();
    const until = started + seconds * 1000;
    // Memory at start, at each sixth of the run (the middle among them) and at the end.
    let nextSample = 1;
    bar.step('soaking', seconds);
    const ticking = setInterval(() => {
      const elapsed = Math.round((Date.now() - started) / 1000);
      bar.update(elapsed, `${latencies.length} answers`);
      if (nextSample < 6 && elapsed >= (seconds * nextSample) / 6) {
        memories.push(memory(nextSample === 3 ? `middle (${elapsed} s)` : `${elapsed} s`));
        nextSample += 1;
      }
    }, 1000);
    await Promise.all(
      callers.map(async (caller) => {
        while (Date.now() < until) {
          const sent = performance.now();
          let answer: Answer;
          try {
            answer = (await fed.query(QUERY, {}, { as: caller })) as Answer;
          } catch {
            counts.failed += 1;
            continue;
          }
          latencies.push(performance.now() - sent);
          const verdict = judge(answer, expected.get(caller.agency)!);
          counts[verdict] += 1;
          if (verdict === 'mixedUp' && mixedUpExamples.length < 3) mixedUpExamples.push({ caller: caller.agency, answer });
        }
      }),
    );
    clearInterval(ticking);
    bar.stop();
    memories.push(memory('end'));
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
    console.log(
      `${os.cpus().length} CPUs, Node ${process.version}; ${PARTNERS} partners of ${AGENCIES_ASKING.length} agencies for ${seconds} s\n`,
    );
    console.log(
      `| answers | ok | degraded (a service named unavailable) | mixed up | busy (503 OVERLOADED) | other 5xx | other status | no answer | p50 ms | p99 ms |`,
    );
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(
      `| ${latencies.length} | ${counts.ok} | ${counts.degraded} | ${counts.mixedUp} | ${counts.shed} | ${counts.serverErrors} | ${counts.otherStatus} | ${counts.failed} | ${at(0.5)} | ${at(0.99)} |\n`,
    );
    console.log(`Errors in degraded answers: ${[...errorCodes].map(([code, n]) => `${code} ${n}`).join(', ') || 'none'}\n`);
    for (const example of mixedUpExamples) {
      console.log(`A mixed-up answer to ${example.caller}: ${JSON.stringify(example.answer).slice(0, 1500)}\n`);
    }
    console.log(`| RSS MB | ${services.join(' | ')} |`);
    console.log(`| --- | ${services.map(() => '---:').join(' | ')} |`);
    for (const { label, rssMb } of memories) console.log(`| ${label} | ${services.map((name) => rssMb[name]).join(' | ')} |`);
  } finally {
    bar.stop();
    await fed.stop();
  }
});

/**
 * ok: exactly the caller's reference answer. degraded: with errors (an agency or the directory
 * unavailable), and every record in it is one of the caller's, at the caller's level. Mixed
 * up: a record that is not in the caller's answer, or at another disclosure level.
 */
function judge(answer: Answer, expected: Answer): 'ok' | 'degraded' | 'mixedUp' | 'shed' | 'serverErrors' | 'otherStatus' {
  if (answer.status === 503 && answer.errors?.[0]?.extensions?.code === 'OVERLOADED') return 'shed';
  if (answer.status >= 500) return 'serverErrors';
  if (answer.status !== 200) return 'otherStatus';
  if (!answer.errors?.length) return isDeepStrictEqual(answer.data, expected.data) ? 'ok' : 'mixedUp';
  for (const field of ['notices', 'cases'] as const) {
    const theirs = new Map((expected.data?.[field] ?? []).map((row) => [row.id, row.disclosure]));
    for (const row of answer.data?.[field] ?? []) {
      if (row === null) continue;
      if (!theirs.has(row.id) || theirs.get(row.id) !== row.disclosure) return 'mixedUp';
    }
  }
  for (const error of answer.errors)
    errorCodes.set(error.extensions?.code ?? 'none', (errorCodes.get(error.extensions?.code ?? 'none') ?? 0) + 1);
  return 'degraded';
}

/** The error codes of degraded answers, counted. */
const errorCodes = new Map<string, number>();
