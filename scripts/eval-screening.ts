import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../lib/config/project-root.js';
import { parseCommandLine, runCommand, UsageError } from './command-line.js';
import { progress } from './progress.js';
import { DEFAULT_THRESHOLD, figures, figuresByVariation, listedPersons, runQueries, storeWithUnList } from './screening-eval/evaluate.js';
import { EVALUATION_SEED, labelledSet } from './screening-eval/labelled-set.js';

// `npm run eval:screening [-- --list file.xml --threshold 0.8]`: recall and precision of
// screening on a labelled set made from the UN Consolidated List, overall and per variation.

const command = {
  name: 'eval:screening',
  usage: '[--list <consolidated list .xml>] [--threshold 0.8]',
  summary:
    'Measures screening recall and precision on a labelled set made from the UN Consolidated List, in a\n' +
    'temporary SQLite store (removed at the end; no node store is read). Takes about half a minute; shows\n' +
    'progress on a terminal. Exit 0 with the figures, 1 when the list is refused.',
  options: {
    list: { type: 'string', default: path.join(PROJECT_ROOT, 'tests/fixtures/un/un-consolidated-2024-09-26.xml') },
    threshold: { type: 'string', default: String(DEFAULT_THRESHOLD) },
  },
  help: [
    ['--list <file>', 'the UN list to make the labelled set from (default: the shipped copy of 2024-09-26)'],
    ['--threshold T', `the lowest score that counts as a hit, 0 to 1 (default ${DEFAULT_THRESHOLD})`],
  ],
  example: 'npm run eval:screening -- --threshold 0.85',
} as const satisfies Parameters<typeof parseCommandLine>[0];

runCommand(command, async () => {
  const { values } = parseCommandLine(command);
  const threshold = Number(values.threshold);
  if (!(threshold >= 0 && threshold <= 1)) throw new UsageError(`--threshold must be a number from 0 to 1, not "${values.threshold}"`);
  // Checked before the temporary store is made, so a mistyped path creates nothing.
  if (!existsSync(values.list)) throw new Error(`no such file: ${path.resolve(values.list)}`);
  const bar = progress();
  try {
    bar.step('importing the UN list', 1);
    const { store, close } = await storeWithUnList(values.list, ({ bytesRead, totalBytes, entries }) =>
      bar.update(bytesRead / Math.max(totalBytes, 1), `${entries} entries`),
    );
    try {
      const persons = await listedPersons(store);
      const queries = labelledSet(persons);
      bar.step('screening the labelled set', queries.length);
      const started = performance.now();
      const outcomes = await runQueries(store, queries, threshold, (done) => bar.update(done, `${done}/${queries.length} queries`));
      const elapsed = performance.now() - started;
      bar.stop();
      printFigures(outcomes, persons.length, queries.length, threshold, elapsed);
    } finally {
      await close();
    }
  } finally {
    bar.stop();
  }
});

function printFigures(
  outcomes: Awaited<ReturnType<typeof runQueries>>,
  persons: number,
  queries: number,
  threshold: number,
  elapsed: number,
) {
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`.padStart(7);
  console.log(`UN list: ${persons} listed persons; ${queries} labelled queries (seed ${EVALUATION_SEED}); threshold ${threshold}`);
  console.log(
    `${'variation'.padEnd(22)}${'queries'.padStart(8)}${'recall'.padStart(9)}${'precision'.padStart(11)}${'false hits'.padStart(12)}`,
  );
  const rows = [...figuresByVariation(outcomes)].sort(([a], [b]) => a.localeCompare(b));
  for (const [variation, f] of [...rows, ['OVERALL', figures(outcomes)] as const]) {
    const recall = f.positives ? pct(f.recall) : '      -';
    const precision = f.positives ? pct(f.precision) : '      -';
    console.log(`${variation.padEnd(22)}${String(f.queries).padStart(8)}${recall}  ${precision}${String(f.falseHits).padStart(12)}`);
  }
  console.log(`\n${(elapsed / queries).toFixed(2)} ms per query (in process, SQLite, ${persons} persons)`);
  const misses = outcomes.filter((o) => o.top?.id !== o.query.expected).slice(0, 15);
  if (misses.length)
    console.log(
      '\nsome misses:\n' +
        misses
          .map(
            (o) =>
              `  [${o.query.variation}] "${o.query.name}" ${o.query.dateOfBirth ?? ''} -> ${o.top ? `${o.top.id} ${o.top.score}` : 'no hit'} (expected ${o.query.expected ?? 'none'})`,
          )
          .join('\n'),
    );
}
