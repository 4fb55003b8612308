import { parseArgs } from 'node:util';
import { isWellFormedAgencyCode } from '../lib/ids.js';
import { describeDatabase, openStore } from '../subgraphs/agency/store/open.js';
import { copyStore } from '../subgraphs/agency/store/copy.js';
import type { RecordStore } from '../subgraphs/agency/store/store.js';

// `npm run store:copy -- --agency LMLECC --from data/lmlecc.sqlite --to postgres://.../lmlecc`
// Moves a node's whole store into an empty one (typically SQLite to PostgreSQL), in one
// transaction on the target. Stop the node first so nothing is written meanwhile.

const usage = 'usage: npm run store:copy -- --agency CODE --from <sqlite file | postgres URL> --to <sqlite file | postgres URL>';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { agency: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    strict: true,
  });
  if (!values.agency || !values.from || !values.to) throw new Error(usage);
  if (!isWellFormedAgencyCode(values.agency)) throw new Error(`--agency must be an agency code such as LMLECC, not "${values.agency}"`);
  const stores: RecordStore[] = [];
  try {
    const source = await openStore({ agency: values.agency, database: values.from });
    stores.push(source);
    const target = await openStore({ agency: values.agency, database: values.to });
    stores.push(target);
    console.log(`copying ${values.agency}: ${describeDatabase(values.from)} -> ${describeDatabase(values.to)}`);
    await copyStore(source, target, (table, rows) => console.log(`  ${table}: ${rows} rows`));
    const holdings = await target.holdingsOfOwner();
    console.log(`done: ${holdings.notices} notices, ${holdings.subjects} subjects, ${holdings.cases} cases`);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
}

main().catch((error: Error) => {
  console.error(`store:copy: ${error.message}`);
  process.exit(1);
});
