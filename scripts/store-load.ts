import path from 'node:path';
import { readDataset } from '../conformance/dataset/format.js';
import { isPostgresUrl } from '../lib/config/federation.js';
import { isWellFormedAgencyCode } from '../lib/ids.js';
import { conformanceRecords } from '../subgraphs/agency/seed/conformance.js';
import { describeDatabase, openStore } from '../subgraphs/agency/store/open.js';
import { insertDataset } from '../subgraphs/agency/store/writes.js';
import { STORE_ENVIRONMENT, storeOfAgency } from './agency-store.js';
import { parseCommandLine, runCommand, UsageError } from './command-line.js';

// `npm run store:load -- --agency EUROPOL --file conformance/dataset.json --store /tmp/europol.sqlite`:
// loads a data set in the conformance format (docs/conformance.md) into an empty store, as
// the records of that agency, in one transaction. A store that already holds records is
// left as it is: conformance records never mix with real ones.

const command = {
  name: 'store:load',
  usage: '--agency CODE --file FILE [--store <sqlite file | postgres URL>]',
  summary:
    "Loads a data set in the conformance format (records, labels, links) into an agency's empty store, in one\n" +
    "transaction, as that agency's records. Refuses a store that already holds records. Exit 0 when loaded, 1 otherwise.",
  options: { agency: { type: 'string' }, file: { type: 'string' }, store: { type: 'string' } },
  help: [
    ['--agency CODE', 'the agency the records belong to (the node that will serve them)'],
    ['--file FILE', 'the data set, e.g. conformance/dataset.json'],
    ['--store <file | URL>', "the store (default: the agency's SQLite store in the federation config; a PostgreSQL store must be named)"],
  ],
  environment: STORE_ENVIRONMENT,
  example: 'npm run store:load -- --agency EUROPOL --file conformance/dataset.json --store data/conformance-europol.sqlite',
} as const satisfies Parameters<typeof parseCommandLine>[0];

runCommand(command, async () => {
  const { values } = parseCommandLine(command);
  const { agency, file } = values;
  if (!agency || !file) throw new UsageError('--agency and --file are required');
  if (!isWellFormedAgencyCode(agency)) throw new UsageError(`--agency must be an agency code such as EUROPOL, not "${agency}"`);
  // The file first: a mistyped name creates no store.
  const dataset = readDataset(path.resolve(file));
  const database = storeOfAgency(agency, values.store, 'name the store with --store');
  if (!values.store && isPostgresUrl(database)) {
    throw new UsageError(`${agency}'s store is a PostgreSQL database: name it with --store to load records into it`);
  }
  const store = await openStore({ agency, database, applicationName: command.name });
  try {
    if (!(await store.isEmpty())) {
      throw new Error(`${agency}'s store (${describeDatabase(database)}) already holds records: load a data set into an empty store only`);
    }
    await insertDataset(store, conformanceRecords(agency, dataset));
    const held = await store.holdingsOfOwner();
    console.log(
      `loaded ${path.basename(file)} into ${agency} (${describeDatabase(database)}): ${held.subjects} subjects, ${held.notices} notices, ${held.cases} cases`,
    );
  } finally {
    await store.close();
  }
});
