import { configFrom, readEnvironment } from '../lib/config/index.js';
import { UsageError } from './command-line.js';

// Where a maintenance command finds an agency's store: as its node finds it.

/** Environment variables that name a store, for commands' --help. */
export const STORE_ENVIRONMENT: [string, string][] = [
  ['DATABASE_URL', "a PostgreSQL store (instead of the agency's entry in the federation config)"],
  ['DATABASE_PATH', 'a SQLite store (likewise)'],
  ['DATA_DIR', 'where the federation config puts SQLite stores (default ./data)'],
  ['FEDERATION_CONFIG', 'the federation config (default federation.json)'],
];

/**
 * The store named on the command line, else DATABASE_URL or DATABASE_PATH, else the
 * agency's entry in the federation config (files read only when needed: an override works
 * without them). `otherwise` says how to name a store outside the federation config.
 */
export function storeOfAgency(agency: string, named: string | undefined, otherwise: string): string {
  if (named) return named;
  const environment = readEnvironment();
  const override = environment.service.databaseUrl || environment.service.databasePath;
  if (override) return override;
  const { federation } = configFrom(environment);
  const node = federation.agencies.find((entry) => entry.code === agency);
  if (!node) {
    const codes = federation.agencies.map((entry) => entry.code).join(', ');
    throw new UsageError(`agency ${agency} runs no node in the federation config (${codes}); ${otherwise}`);
  }
  return node.database;
}
