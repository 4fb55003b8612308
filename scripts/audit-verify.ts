import { isWellFormedAgencyCode } from '../lib/ids.js';
import { AuditLedger } from '../subgraphs/agency/store/audit.js';
import { describeDatabase, openStore } from '../subgraphs/agency/store/open.js';
import { STORE_ENVIRONMENT, storeOfAgency } from './agency-store.js';
import { parseCommandLine, runCommand, UsageError } from './command-line.js';

// `npm run audit:verify -- --agency CODE [--database <file or postgres URL>]`
// Walks the agency's ledger hash chain; exits 1 when it is broken, naming the first bad entry.
// It only reads: a store that does not exist is refused, never created (exit 2).

const command = {
  name: 'audit:verify',
  usage: '--agency CODE [--database <sqlite file | postgres URL>]',
  summary:
    "Verifies an agency's audit ledger hash chain, read only. Exit 0 when it holds, 1 when it is broken\n" +
    '(naming the first bad entry), 2 when it cannot be checked (a wrong command line, a missing store).',
  options: { agency: { type: 'string' }, database: { type: 'string' } },
  help: [
    ['--agency CODE', 'the agency whose ledger to verify'],
    ['--database <file | URL>', 'its store, when not the one its node uses (see environment)'],
  ],
  environment: STORE_ENVIRONMENT,
  example: 'npm run audit:verify -- --agency EUROPOL',
} as const satisfies Parameters<typeof parseCommandLine>[0];

runCommand(
  command,
  async () => {
    const { values } = parseCommandLine(command);
    if (!values.agency) throw new UsageError('--agency is required');
    if (!isWellFormedAgencyCode(values.agency))
      throw new UsageError(`--agency must be an agency code such as EUROPOL, not "${values.agency}"`);
    const database = storeOfAgency(values.agency, values.database, 'pass --database <sqlite file | postgres URL>');
    const store = await openStore({ agency: values.agency, database, mustExist: true, applicationName: command.name });
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
  },
  2,
);
