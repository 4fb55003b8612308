import { readEnvironment } from '../lib/config/env.js';
import { isPostgresUrl } from '../lib/config/federation.js';
import { isWellFormedAgencyCode } from '../lib/ids.js';
import { DEMO_AGENCIES, isDemoAgency } from '../subgraphs/agency/seed/profiles.js';
import { generateDataset } from '../subgraphs/agency/seed/generate.js';
import { scaledDatasets } from '../subgraphs/agency/seed/scale.js';
import { describeDatabase, openStore } from '../subgraphs/agency/store/open.js';
import { insertDataset } from '../subgraphs/agency/store/writes.js';
import { STORE_ENVIRONMENT, storeOfAgency } from './agency-store.js';
import { parseCommandLine, runCommand, UsageError } from './command-line.js';
import { progress } from './progress.js';

// `npm run seed -- --agency EUROPOL --subjects 100000`: grows a demo agency's store with
// synthetic records until it holds that many subjects (notices and cases come with them in
// the demo's proportions), for measuring a node at the size of a real registry. Synthetic
// and deterministic like the demo data, and written only where the command is pointed.

const MAX_SUBJECTS = 10_000_000;

const command = {
  name: 'seed',
  usage: '--agency CODE --subjects N [--store <sqlite file | postgres URL>]',
  summary:
    "Grows a demo agency's store with synthetic subjects, notices and cases until it holds N subjects, in batches\n" +
    'of one transaction each (an interrupted run keeps the batches written; running it again goes on from there).\n' +
    'An empty store gets the demo data first, as its node would. Nothing describes real people. Exit 0 when the\n' +
    'store holds N subjects, 1 otherwise.',
  options: { agency: { type: 'string' }, subjects: { type: 'string' }, store: { type: 'string' } },
  help: [
    ['--agency CODE', `the agency whose store to grow: ${DEMO_AGENCIES.join(', ')} (the demo generator's agencies)`],
    ['--subjects N', `the subjects the store should hold, at most ${MAX_SUBJECTS.toLocaleString('en')}`],
    ['--store <file | URL>', "the store (default: the agency's SQLite store in the federation config; a PostgreSQL store must be named)"],
  ],
  environment: STORE_ENVIRONMENT,
  example: 'npm run seed -- --agency EUROPOL --subjects 100000',
} as const satisfies Parameters<typeof parseCommandLine>[0];

runCommand(command, async () => {
  const { values } = parseCommandLine(command);
  const { agency, subjects: wanted } = values;
  if (!agency || !wanted) throw new UsageError('--agency and --subjects are required');
  if (!isWellFormedAgencyCode(agency) || !isDemoAgency(agency)) {
    throw new UsageError(`--agency must be one of ${DEMO_AGENCIES.join(', ')} (the agencies demo data exists for), not "${agency}"`);
  }
  const target = Number(wanted);
  if (!/^\d+$/.test(wanted) || !Number.isSafeInteger(target) || target < 1 || target > MAX_SUBJECTS) {
    throw new UsageError(`--subjects must be a whole number from 1 to ${MAX_SUBJECTS}, not "${wanted}"`);
  }
  if (readEnvironment().production) throw new UsageError('seed writes synthetic records: it does not run with NODE_ENV=production');
  const database = storeOfAgency(agency, values.store, 'name the store with --store');
  // Synthetic records go where they are asked for: the embedded default, or a store named here.
  if (!values.store && isPostgresUrl(database)) {
    throw new UsageError(`${agency}'s store is a PostgreSQL database: name it with --store to seed synthetic records into it`);
  }
  const started = performance.now();
  const store = await openStore({ agency, database, applicationName: command.name });
  const bar = progress();
  try {
    if (await store.isEmpty()) await insertDataset(store, generateDataset(agency));
    const before = await store.holdingsOfOwner();
    if (before.subjects >= target) {
      console.log(`${agency} (${describeDatabase(database)}) already holds ${before.subjects} subjects: nothing to add`);
      return;
    }
    bar.step(`seeding ${agency}`, target);
    for (const { dataset, subjects } of scaledDatasets(agency, target - before.subjects, await nextBatch(store))) {
      await insertDataset(store, dataset);
      bar.update(before.subjects + subjects, `${before.subjects + subjects}/${target} subjects`);
    }
    bar.stop();
    const after = await store.holdingsOfOwner();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `seeded ${agency} (${describeDatabase(database)}): ${after.subjects} subjects, ${after.notices} notices, ${after.cases} cases ` +
        `(+${after.subjects - before.subjects}, +${after.notices - before.notices}, +${after.cases - before.cases}) in ${seconds} s`,
    );
  } finally {
    bar.stop();
    await store.close();
  }
});

/** The batch after the highest one this store already holds (batch k names its records `B<k>-...`, the first of them `B<k>-S-00001`). */
async function nextBatch(store: Awaited<ReturnType<typeof openStore>>): Promise<number> {
  const rows = await store.db.selectFrom('subjects').select('localId').where('localId', 'like', 'B%-S-00001').execute();
  let highest = 0;
  for (const { localId } of rows) {
    const batch = /^B(\d+)-/.exec(localId);
    if (batch) highest = Math.max(highest, Number(batch[1]));
  }
  return highest + 1;
}
