import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { configFrom, readEnvironment } from '../lib/config/index.js';
import { isWellFormedAgencyCode } from '../lib/ids.js';
import { describeDatabase, openStore } from '../subgraphs/agency/store/open.js';
import { importUnList, type ImportProgress, type ImportSummary } from '../subgraphs/agency/un/import.js';

// `npm run import:un -- path/to/consolidated.xml [--agency INTERPOL]`
// Loads the UN Security Council Consolidated List into an agency node's store as
// INTERPOL-UN Special Notices (docs/un-import.md), in one transaction. The node may be
// running: it keeps answering from the store as it was until the import commits.

const usage = 'usage: npm run import:un -- <consolidated list .xml> [--agency CODE]   (CODE defaults to INTERPOL)';

/** How long to wait for a running node's own writes to the SQLite store before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

class UsageError extends Error {}

async function main(): Promise<void> {
  const { file, agency } = parseCommandLine();
  const database = databaseOf(agency);
  const store = await openStore({ agency, database, busyTimeoutMs: BUSY_TIMEOUT_MS });
  try {
    const progress = process.stderr.isTTY ? progressBar() : progressLines();
    const started = performance.now();
    let summary: ImportSummary;
    try {
      summary = await importUnList(store, file, progress.update);
    } finally {
      progress.stop();
    }
    printSummary(summary, agency, database, (performance.now() - started) / 1000);
  } finally {
    await store.close();
  }
}

function parseCommandLine(): { file: string; agency: string } {
  let parsed;
  try {
    parsed = parseArgs({ options: { agency: { type: 'string', default: 'INTERPOL' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(usage);
  if (!isWellFormedAgencyCode(values.agency))
    throw new UsageError(`--agency must be an agency code such as INTERPOL, not "${values.agency}"`);
  return { file: positionals[0]!, agency: values.agency };
}

/** The agency's store, found as its node finds it: DATABASE_URL or DATABASE_PATH, else the federation config. */
function databaseOf(agency: string): string {
  const environment = readEnvironment();
  const override = environment.service.databaseUrl || environment.service.databasePath;
  if (override) return override;
  // The configuration files are read only when needed: an override works without them.
  const { federation } = configFrom(environment);
  const node = federation.agencies.find((entry) => entry.code === agency);
  if (!node) {
    throw new UsageError(
      `agency ${agency} runs no node in the federation config (${federation.agencies.map((a) => a.code).join(', ')}); ` +
        'set DATABASE_URL or DATABASE_PATH to import into a node outside it',
    );
  }
  return node.database;
}

interface ProgressView {
  update(progress: ImportProgress): void;
  stop(): void;
}

function progressBar(): ProgressView {
  const bar = new cliProgress.SingleBar(
    { format: 'importing [{bar}] {percentage}% | {entries} entries | {duration_formatted}', hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update({ bytesRead, totalBytes, entries }) {
      if (!started) bar.start(totalBytes, 0, { entries: 0 });
      started = true;
      bar.update(bytesRead, { entries });
    },
    stop: () => bar.stop(),
  };
}

/** Not a terminal (a log, CI): one plain line every tenth of the file. */
function progressLines(): ProgressView {
  let reported = 0;
  return {
    update({ bytesRead, totalBytes, entries }) {
      const tenth = Math.floor((bytesRead / Math.max(totalBytes, 1)) * 10);
      if (tenth <= reported) return;
      reported = tenth;
      console.error(`importing: ${tenth * 10}% of the file, ${entries} entries`);
    },
    stop: () => undefined,
  };
}

function printSummary(summary: ImportSummary, agency: string, database: string, seconds: number): void {
  const { persons, organisations, added, updated, delisted, unchanged } = summary;
  console.log(
    `UN Security Council Consolidated List of ${summary.generatedOn} -> ${agency} (${describeDatabase(database)}), in ${seconds.toFixed(2)} s`,
  );
  console.log(`  ${persons + organisations} entries: ${persons} persons, ${organisations} organisations`);
  console.log(`  added ${added}, updated ${updated}, delisted ${delisted}, unchanged ${unchanged}`);
  if (added + updated + delisted === 0) console.log('  Nothing changed: the store already holds this list.');
}

main().catch((error: Error) => {
  // One line for the user; stack traces are for developers.
  console.error(`import:un: ${error.message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
