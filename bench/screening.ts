import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Caller } from '../lib/auth/caller.js';
import { loadConfig, readEnvironment } from '../lib/config/index.js';
import { PROJECT_ROOT } from '../lib/config/project-root.js';
import { NodeContext } from '../subgraphs/agency/context.js';
import { screen } from '../subgraphs/agency/screening/screen.js';
import { generateDataset } from '../subgraphs/agency/seed/generate.js';
import { renamed } from '../subgraphs/agency/seed/scale.js';
import { openStore } from '../subgraphs/agency/store/open.js';
import { importUnList } from '../subgraphs/agency/un/import.js';
import { parseCommandLine, runCommand } from '../scripts/command-line.js';
import { progress } from '../scripts/progress.js';
import { listedPersons } from '../scripts/screening-eval/evaluate.js';
import { labelledSet } from '../scripts/screening-eval/labelled-set.js';
import { insertDataset } from '../subgraphs/agency/store/writes.js';

// `npm run bench:screening`: screening latency of one node holding SUBJECTS subjects (default
// 100,000: the UN list plus synthetic demo subjects), measured in process over its SQLite
// store (candidate lookup, scoring, disclosure scope), without HTTP. Reports figures only.

const command = {
  name: 'bench:screening',
  usage: '',
  summary:
    'Measures screening latency of one node holding BENCH_SUBJECTS subjects (the UN list plus synthetic ones),\n' +
    'in process over a temporary SQLite store (removed at the end), after 100 other questions as a warm-up. Takes about a minute; shows progress on a\n' +
    'terminal, and prints figures only.',
  options: {},
  help: [],
  environment: [
    ['BENCH_SUBJECTS', 'subjects in the store (default 100000)'],
    ['BENCH_QUERIES', 'screening queries to time (default 300)'],
  ],
  example: 'BENCH_SUBJECTS=20000 npm run bench:screening',
} as const satisfies Parameters<typeof parseCommandLine>[0];

const AGENCY = 'INTERPOL';
/** Questions asked before the timed ones, not timed. */
const WARM_UP = 100;

runCommand(command, async () => {
  parseCommandLine(command);
  const bar = progress();
  try {
    await bench(bar);
  } finally {
    bar.stop();
  }
});

async function bench(bar: ReturnType<typeof progress>): Promise<void> {
  const config = loadConfig();
  const { subjects: SUBJECTS, queries: QUERIES } = readEnvironment().bench;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-screening-'));
  const store = await openStore({ agency: AGENCY, database: path.join(dir, 'store.sqlite') });
  try {
    let started = performance.now();
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

    const labelled = labelledSet(await listedPersons(store));
    const queries = labelled.filter((_q, i) => i % 7 === 0).slice(0, QUERIES);
    // Warmed up as a node in service is (compiled code, statements, caches), on other questions
    // than the ones timed, so that no timed question meets its own answers' traces.
    const warmUp = labelled.filter((_q, i) => i % 7 === 3).slice(0, WARM_UP);
    const caller: Caller = {
      sub: 'bench',
      agency: 'TH-RTP',
      circles: ['GLOBAL', 'ASEAN', 'MEKONG'],
      roles: ['officer'],
      purpose: 'BORDER_CONTROL',
      token: '',
    };
    const timings: number[] = [];
    let hits = 0;
    const ask = (query: { name: string; dateOfBirth?: string | null }) => {
      const context = new NodeContext({ code: AGENCY, circles: config.directory.circlesOf(AGENCY) }, store);
      context.caller = caller;
      return screen(context.reader, { name: query.name, dateOfBirth: query.dateOfBirth }, 0.8, 20);
    };
    bar.step('warming up', warmUp.length);
    for (const [i, query] of warmUp.entries()) {
      await ask(query);
      bar.update(i + 1, `${i + 1}/${warmUp.length} queries`);
    }
    bar.stop();
    bar.step('screening', queries.length);
    for (const query of queries) {
      started = performance.now();
      hits += (await ask(query)).length;
      timings.push(performance.now() - started);
      bar.update(timings.length, `${timings.length}/${queries.length} queries`);
    }
    bar.stop();
    timings.sort((a, b) => a - b);
    const at = (p: number) => timings[Math.min(timings.length - 1, Math.floor(p * timings.length))]!.toFixed(1);
    console.log(
      `${queries.length} screening queries as TH-RTP: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; ${hits} hits`,
    );
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
