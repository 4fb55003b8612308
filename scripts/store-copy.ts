import { isWellFormedAgencyCode } from '../lib/ids.js';
import { copyStore, TABLE_KEYS } from '../subgraphs/agency/store/copy.js';
import { describeDatabase, openStore } from '../subgraphs/agency/store/open.js';
import { RecordStore } from '../subgraphs/agency/store/store.js';
import { parseCommandLine, runCommand, UsageError } from './command-line.js';
import { progress } from './progress.js';

// `npm run store:copy -- --agency LMLECC --from data/lmlecc.sqlite --to postgres://.../lmlecc`
// Moves a node's whole store into an empty one (typically SQLite to PostgreSQL), in one
// transaction on the target. The source must exist and no node may hold it: a copy taken
// while the node writes would be inconsistent, so the command refuses and says to stop it.

const command = {
  name: 'store:copy',
  usage: '--agency CODE --from <sqlite file | postgres URL> --to <sqlite file | postgres URL>',
  summary:
    "Copies an agency node's whole store into an empty one (e.g. SQLite to PostgreSQL), in one transaction on\n" +
    'the target. Stop the node first: a source another process has open is refused, as is a source that does not\n' +
    'exist (nothing is created) and a target that already holds records. Exit 0 when copied, 1 otherwise.',
  options: { agency: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
  help: [
    ['--agency CODE', 'the agency whose store it is'],
    ['--from <file | URL>', 'the store to copy: it must exist, migrated, its node stopped'],
    ['--to <file | URL>', 'the empty store to fill (a SQLite file is created; a PostgreSQL database must exist: createdb)'],
  ],
  example: 'npm run store:copy -- --agency LMLECC --from data/lmlecc.sqlite --to postgres://lmlecc@localhost/lmlecc_records',
} as const satisfies Parameters<typeof parseCommandLine>[0];

runCommand(command, async () => {
  const { values } = parseCommandLine(command);
  const { agency, from, to } = values;
  if (!agency || !from || !to) throw new UsageError('--agency, --from and --to are required');
  if (!isWellFormedAgencyCode(agency)) throw new UsageError(`--agency must be an agency code such as LMLECC, not "${agency}"`);
  if (describeDatabase(from) === describeDatabase(to)) throw new UsageError('--from and --to name the same store');
  const started = performance.now();
  const stores: RecordStore[] = [];
  const bar = progress();
  try {
    // The source first: when it is refused, no target has been created.
    const source = await openStore({ agency, database: from, mustExist: true, exclusive: true, applicationName: command.name });
    stores.push(source);
    const target = await openStore({ agency, database: to, applicationName: command.name });
    stores.push(target);
    const tables = Object.keys(TABLE_KEYS).length;
    bar.step(`copying ${agency}`, tables);
    let done = 0;
    let rows = 0;
    // One read transaction on the source too: the copy is one snapshot even if a node starts meanwhile.
    const snapshot = source.dialect === 'postgres' ? source.db.transaction().setIsolationLevel('repeatable read') : source.db.transaction();
    await snapshot.execute((trx) =>
      copyStore(new RecordStore(agency, trx, source.dialect), target, (table, copied) => {
        rows += copied;
        bar.update(++done, `${done}/${tables} tables, ${rows} rows (${table})`);
      }),
    );
    bar.stop();
    const { notices, subjects, cases } = await target.holdingsOfOwner();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `copied ${agency}: ${describeDatabase(from)} -> ${describeDatabase(to)}: ${notices} notices, ${subjects} subjects, ` +
        `${cases} cases (${rows} rows in ${tables} tables), in ${seconds} s`,
    );
  } finally {
    bar.stop();
    await Promise.all(stores.map((store) => store.close()));
  }
});
