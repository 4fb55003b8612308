import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config/index.js';
import { AuditLedger } from '../subgraphs/agency/store/audit.js';
import { describeDatabase, openStore } from '../subgraphs/agency/store/open.js';

// `npm run audit:verify -- --agency CODE [--database <file or postgres URL>]`
// Walks the agency's ledger hash chain; exits 1 when it is broken, naming the first bad entry.

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { agency: { type: 'string' }, database: { type: 'string' } }, strict: true });
  if (!values.agency) throw new Error('usage: npm run audit:verify -- --agency CODE [--database <file or postgres URL>]');
  const { federation, service } = loadConfig();
  const node = federation.agencies.find((entry) => entry.code === values.agency);
  const database = values.database ?? service.databaseUrl ?? node?.database;
  if (!database) {
    throw new Error(`${values.agency} is not in the federation config; pass --database <file or postgres URL>.`);
  }
  const store = await openStore({ agency: values.agency, database });
  try {
    const result = await new AuditLedger(store).verify();
    const where = describeDatabase(database);
    if (result.ok) {
      console.log(`${values.agency} audit ledger holds: ${result.length} entries, head ${result.head} (${where})`);
      return 0;
    }
    console.error(
      `${values.agency} audit ledger is BROKEN at sequence ${result.firstBadSequence} of ${result.length} entries (${where}): ` +
        'that entry was changed, removed or moved, or the chain before it was.',
    );
    return 1;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`audit:verify: ${error.message}`);
    process.exit(2);
  },
);
