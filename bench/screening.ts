import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCount, readEnvironment } from '../lib/config/env.js';
import { isPostgresUrl } from '../lib/config/federation.js';
import { AGENCY_NODE_V8_FLAGS } from '../lib/config/node-flags.js';
import { PROJECT_ROOT } from '../lib/config/project-root.js';
import { generateDataset } from '../subgraphs/agency/seed/generate.js';
import { renamed } from '../subgraphs/agency/seed/scale.js';
import { openStore } from '../subgraphs/agency/store/open.js';
import { importUnList } from '../subgraphs/agency/un/import.js';
import { parseCommandLine, runCommand, UsageError } from '../scripts/command-line.js';
import { progress } from '../scripts/progress.js';
import { insertDataset } from '../subgraphs/agency/store/writes.js';
import type { TimerMessage } from './screening-timer.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TSX = import.meta.resolve('tsx');

// `npm run bench:screening`: screening latency of one node holding SUBJECTS subjects (default
// 100,000: the UN list plus synthetic demo subjects), measured in process over its SQLite
// store (candidate lookup, scoring, disclosure scope), without HTTP. The store is built here,
// closed, and timed in a process of its own (screening-timer.ts), as a node opens its store.
// Reports figures only.

const command = {
  name: 'bench:screening',
  usage: '[--keep FILE | --store FILE]',
  summary:
    'Measures screening latency of one node holding BENCH_SUBJECTS subjects (the UN list plus synthetic ones):\n' +
    'builds a temporary SQLite store (removed at the end), then times it in a fresh process after 100 other questions\n' +
    'as a warm-up. Takes about a minute at 100,000 subjects, ten at 1,000,000; shows progress on a terminal, and prints\n' +
    'figures only.',
  options: { keep: { type: 'string' }, store: { type: 'string' } },
  help: [
    ['--keep FILE', 'build the store into FILE (which must not exist) and keep it, to time it again with --store'],
    ['--store FILE', 'time a store kept with --keep; nothing is built or changed (BENCH_SUBJECTS is not read)'],
  ],
  environment: [
    ['BENCH_SUBJECTS', 'subjects in the store (default 100000)'],
    ['BENCH_QUERIES', 'screening queries to time (default 300)'],
  ],
  example: 'BENCH_SUBJECTS=1000000 npm run bench:screening -- --keep /var/tmp/screening-1m.sqlite',
} as const satisfies Parameters<typeof parseCommandLine>[0];

const AGENCY = 'INTERPOL';

runCommand(command, async () => {
  const { values } = parseCommandLine(command);
  if (values.keep !== undefined && values.store !== undefined) throw new UsageError('--keep and --store cannot be given together');
  for (const [option, file] of [
    ['--keep', values.keep],
    ['--store', values.store],
  ] as const) {
    if (file === '') throw new UsageError(`${option} needs a file path`);
    // Never a database server: the bench writes a million synthetic subjects where it builds.
    if (file !== undefined && isPostgresUrl(file)) throw new UsageError(`${option} takes a SQLite file path, not a database URL`);
  }
  if (values.keep !== undefined && existsSync(values.keep)) {
    throw new UsageError(`${values.keep} already exists: time it with --store, or keep the new store elsewhere`);
  }
  if (values.store !== undefined && !existsSync(values.store)) {
    throw new UsageError(`${values.store} does not exist: build one with --keep first`);
  }
  const bar = progress();
  try {
    await bench(bar, values);
  } finally {
    bar.stop();
  }
});

async function bench(bar: ReturnType<typeof progress>, options: { keep?: string; store?: string }): Promise<void> {
  const { bench: settings } = readEnvironment();
  const SUBJECTS = benchCount('BENCH_SUBJECTS', settings.subjects);
  const QUERIES = benchCount('BENCH_QUERIES', settings.queries);
  const dir =
    options.keep !== undefined || options.store !== undefined ? undefined : await mkdtemp(path.join(os.tmpdir(), 'bench-screening-'));
  const database = options.store ?? options.keep ?? path.join(dir!, 'store.sqlite');
  try {
    if (!options.store) {
      try {
        await build(bar, database, SUBJECTS);
      } catch (error) {
        // A half-built store kept would later be timed as if whole.
        if (options.keep !== undefined) await Promise.all(['', '-wal', '-shm'].map((end) => rm(`${database}${end}`, { force: true })));
        throw error;
      }
    }
    const { timings, hits, cpuMs } = await timeInOwnProcess(bar, database, QUERIES);
    if (timings.length === 0) throw new Error('the store holds no listed person to ask about: nothing was timed');
    timings.sort((a, b) => a - b);
    const at = (p: number) => timings[Math.min(timings.length - 1, Math.floor(p * timings.length))]!.toFixed(1);
    console.log(
      `${timings.length} screening queries as TH-RTP: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; CPU ${(cpuMs / timings.length).toFixed(1)} ms per query; ${hits} hits`,
    );
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

async function build(bar: ReturnType<typeof progress>, database: string, SUBJECTS: number): Promise<void> {
  const store = await openStore({ agency: AGENCY, database });
  try {
    const started = performance.now();
    bar.step('importing the UN list', 1);
    await importUnList(
      store,
      path.join(PROJECT_ROOT, 'tests/fixtures/un/un-consolidated-2024-09-26.xml'),
      ({ bytesRead, totalBytes, entries }) => bar.update(bytesRead / Math.max(totalBytes, 1), `${entries} entries`),
    );
    let total = (await store.holdingsOfOwner()).subjects;
    bar.step('adding synthetic subjects', SUBJECTS);
    for (let seed = 1; total < SUBJECTS; seed++) {
      // Subjects only (screening reads no notices or cases), with their labels only.
      const { agency, subjects, labels } = renamed(generateDataset(AGENCY, seed), `B${seed}`);
      const kept = subjects.slice(0, SUBJECTS - total);
      const subjectLabels = Object.fromEntries(kept.map((subject) => [subject.localId, labels[subject.localId]!]));
      await insertDataset(store, { agency, subjects: kept, notices: [], cases: [], labels: subjectLabels });
      total += kept.length;
      bar.update(total, `${total}/${SUBJECTS} subjects`);
    }
    bar.stop();
    console.log(`store: ${total} subjects, indexed for screening as stored, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await store.close();
  }
}

/** The timing, in screening-timer.ts's own process: its progress shown here, its figures returned. */
function timeInOwnProcess(
  bar: ReturnType<typeof progress>,
  database: string,
  queries: number,
): Promise<{ timings: number[]; hits: number; cpuMs: number }> {
  // Run as an agency node runs (its V8 flags), so that its garbage collection is the node's.
  const child = spawn(
    process.execPath,
    [...AGENCY_NODE_V8_FLAGS, '--import', TSX, path.join(HERE, 'screening-timer.ts'), database, String(queries)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolve, reject) => {
    let result: TimerMessage | undefined;
    let failed: string | undefined;
    let step: string | undefined;
    child.on('message', (message: TimerMessage) => {
      if (message.type === 'result') result = message;
      else if (message.type === 'failed') failed = message.reason;
      else {
        if (message.step !== step) bar.step((step = message.step)!, message.total!);
        bar.update(message.done!, `${message.done}/${message.total} queries`);
      }
    });
    child.once('error', reject);
    // 'close', not 'exit': it comes after the last message, once the channel is closed too.
    child.once('close', (code, signal) => {
      bar.stop();
      if (result && code === 0) resolve({ timings: result.timings!, hits: result.hits!, cpuMs: result.cpuMs! });
      else reject(new Error(failed ?? `the timing process ended (${signal ?? `exit code ${code}`}) before its figures`));
    });
  });
}
