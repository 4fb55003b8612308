import { isWellFormedAgencyCode } from '../lib/ids.js';
import { describeDatabase, openStore } from '../subgraphs/agency/store/open.js';
import { importUnList, type ImportSummary } from '../subgraphs/agency/un/import.js';
import { STORE_ENVIRONMENT, storeOfAgency } from './agency-store.js';
import { parseCommandLine, runCommand, UsageError } from './command-line.js';
import { progress } from './progress.js';

// `npm run import:un -- path/to/consolidated.xml [--agency INTERPOL]`
// Loads the UN Security Council Consolidated List into an agency node's store as
// INTERPOL-UN Special Notices (docs/un-import.md), in one transaction. The node may be
// running: it keeps answering from the store as it was until the import commits. The store
// is the node's: it must exist (its node made it), and the import neither creates nor migrates it.
// It runs with the documented caps (subgraphs/agency/un/limits.ts): no option lifts them.

const command = {
  name: 'import:un',
  usage: '<consolidated list .xml> [--agency CODE]',
  summary:
    "Imports the UN Security Council Consolidated List into an agency node's existing store (its node stopped or\n" +
    'running), in one transaction. Exit 0 when imported, 1 when refused (a bad file, a file over one of the caps\n' +
    'of docs/un-import.md, a missing store), 2 for a wrong command line.',
  options: { agency: { type: 'string', default: 'INTERPOL' } },
  positionals: ['<consolidated list .xml>'],
  help: [
    ['<consolidated list .xml>', 'the list as the UN publishes it'],
    ['--agency CODE', 'the agency whose node store receives it (default INTERPOL)'],
  ],
  environment: STORE_ENVIRONMENT,
  example: 'npm run import:un -- tests/fixtures/un/un-consolidated-2024-09-26.xml --agency INTERPOL',
} as const satisfies Parameters<typeof parseCommandLine>[0];

/** How long to wait for a running node's own writes to the SQLite store before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

runCommand(command, async () => {
  const { values, positionals } = parseCommandLine(command);
  const agency = values.agency;
  if (!isWellFormedAgencyCode(agency)) throw new UsageError(`--agency must be an agency code such as INTERPOL, not "${agency}"`);
  const database = storeOfAgency(agency, undefined, 'set DATABASE_URL or DATABASE_PATH to import into a node outside it');
  const store = await openStore({ agency, database, busyTimeoutMs: BUSY_TIMEOUT_MS, mustExist: true, applicationName: command.name });
  const bar = progress();
  try {
    const started = performance.now();
    bar.step(`importing into ${agency}`, 1);
    const summary = await importUnList(store, positionals[0]!, ({ bytesRead, totalBytes, entries }) =>
      bar.update(bytesRead / Math.max(totalBytes, 1), `${entries} entries`),
    );
    bar.stop();
    printSummary(summary, agency, database, (performance.now() - started) / 1000);
  } finally {
    bar.stop();
    await store.close();
  }
});

function printSummary(summary: ImportSummary, agency: string, database: string, seconds: number): void {
  const { persons, organisations, added, updated, delisted, unchanged } = summary;
  console.log(
    `UN Security Council Consolidated List of ${summary.generatedOn} -> ${agency} (${describeDatabase(database)}), in ${seconds.toFixed(2)} s`,
  );
  console.log(`  ${persons + organisations} entries: ${persons} persons, ${organisations} organisations`);
  console.log(`  added ${added}, updated ${updated}, delisted ${delisted}, unchanged ${unchanged}`);
  if (added + updated + delisted === 0) console.log('  Nothing changed: the store already holds this list.');
}
