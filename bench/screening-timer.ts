import type { Caller } from '../lib/auth/caller.js';
import { loadConfig } from '../lib/config/index.js';
import { NodeContext } from '../subgraphs/agency/context.js';
import { screen } from '../subgraphs/agency/screening/screen.js';
import { openStore } from '../subgraphs/agency/store/open.js';
import { listedPersons } from '../scripts/screening-eval/evaluate.js';
import { labelledSet } from '../scripts/screening-eval/labelled-set.js';

// bench:screening's timing, in a process of its own that opens a store already built and
// closed, as a node in service opens its own: nothing of the build (its heap, its write-ahead
// log) weighs on the questions timed. Started by bench/screening.ts with the store's path and
// the number of questions; sends { type: 'progress' } messages, then one { type: 'result' } (or 'failed').

export interface TimerMessage {
  type: 'progress' | 'result' | 'failed';
  /** Why it failed, in one line (a store that cannot be opened, say). */
  reason?: string;
  step?: 'warming up' | 'screening';
  done?: number;
  total?: number;
  /** Milliseconds per timed question, in the order asked. */
  timings?: number[];
  hits?: number;
  /** The process's CPU time (user and system) over the timed questions, in milliseconds. */
  cpuMs?: number;
}

const AGENCY = 'INTERPOL';
/** Questions asked before the timed ones, not timed. */
const WARM_UP = 100;

const [database, queriesArgument] = process.argv.slice(2);
const send = (message: TimerMessage) => process.send!(message);
/** The last message: the channel is closed only once it is written. */
const sendLast = (message: TimerMessage) => process.send!(message, () => process.disconnect());

try {
  await time();
} catch (error) {
  process.exitCode = 1;
  sendLast({ type: 'failed', reason: (error as Error).message });
}

async function time(): Promise<void> {
  const config = loadConfig();
  const store = await openStore({ agency: AGENCY, database: database!, mustExist: true });
  try {
    const labelled = labelledSet(await listedPersons(store));
    const queries = labelled.filter((_q, i) => i % 7 === 0).slice(0, Number(queriesArgument));
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
    const ask = (query: { name: string; dateOfBirth?: string | null }) => {
      const context = new NodeContext({ code: AGENCY, circles: config.directory.circlesOf(AGENCY) }, store);
      context.caller = caller;
      return screen(context.reader, { name: query.name, dateOfBirth: query.dateOfBirth }, 0.8, 20);
    };
    for (const [i, query] of warmUp.entries()) {
      await ask(query);
      send({ type: 'progress', step: 'warming up', done: i + 1, total: warmUp.length });
    }
    const timings: number[] = [];
    let hits = 0;
    const cpu = process.cpuUsage();
    for (const query of queries) {
      const started = performance.now();
      hits += (await ask(query)).length;
      timings.push(performance.now() - started);
      send({ type: 'progress', step: 'screening', done: timings.length, total: queries.length });
    }
    const { user, system } = process.cpuUsage(cpu);
    sendLast({ type: 'result', timings, hits, cpuMs: (user + system) / 1000 });
  } finally {
    await store.close();
  }
}
