import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../lib/config/project-root.js';
import { DEFAULT_THRESHOLD, figures, figuresByVariation, listedPersons, runQueries, storeWithUnList } from './screening-eval/evaluate.js';
import { EVALUATION_SEED, labelledSet } from './screening-eval/labelled-set.js';

// `npm run eval:screening [-- --list file.xml --threshold 0.8]`: recall and precision of
// screening on a labelled set made from the UN Consolidated List, overall and per variation.

const { values } = parseArgs({
  options: {
    list: { type: 'string', default: path.join(PROJECT_ROOT, 'tests/fixtures/un/un-consolidated-2024-09-26.xml') },
    threshold: { type: 'string', default: String(DEFAULT_THRESHOLD) },
  },
});
const threshold = Number(values.threshold);
const { store, close } = await storeWithUnList(values.list);
try {
  const persons = await listedPersons(store);
  const queries = labelledSet(persons);
  const started = performance.now();
  const outcomes = await runQueries(store, queries, threshold);
  const elapsed = performance.now() - started;
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`.padStart(7);
  console.log(
    `UN list: ${persons.length} listed persons; ${queries.length} labelled queries (seed ${EVALUATION_SEED}); threshold ${threshold}`,
  );
  console.log(
    `${'variation'.padEnd(22)}${'queries'.padStart(8)}${'recall'.padStart(9)}${'precision'.padStart(11)}${'false hits'.padStart(12)}`,
  );
  const rows = [...figuresByVariation(outcomes)].sort(([a], [b]) => a.localeCompare(b));
  for (const [variation, f] of [...rows, ['OVERALL', figures(outcomes)] as const]) {
    const recall = f.positives ? pct(f.recall) : '      -';
    const precision = f.positives ? pct(f.precision) : '      -';
    console.log(`${variation.padEnd(22)}${String(f.queries).padStart(8)}${recall}  ${precision}${String(f.falseHits).padStart(12)}`);
  }
  console.log(`\n${(elapsed / queries.length).toFixed(2)} ms per query (in process, SQLite, ${persons.length} persons)`);
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
} finally {
  await close();
}
