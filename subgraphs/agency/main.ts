import { readFileSync } from 'node:fs';
import { TokenVerifier } from '../../lib/auth/verify.js';
import { loadFederationConfig } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { runService } from '../../lib/service.js';
import { startAgencyNode } from './server.js';

// One agency node. AGENCY_CODE picks the agency; its port and database come from the
// federation config unless PORT, DATABASE_URL (PostgreSQL) or DATABASE_PATH (SQLite) say otherwise.

const agency = process.env.AGENCY_CODE ?? '';
const logger = createLogger(`agency:${agency || 'unknown'}`);

await runService(`Agency node ${agency}`, logger, async () => {
  const config = loadFederationConfig();
  const node = config.agencies.find((entry) => entry.code === agency);
  const database = process.env.DATABASE_URL || process.env.DATABASE_PATH || node?.database;
  if (!node && !(process.env.PORT && database)) {
    throw new Error(
      `AGENCY_CODE must name an agency of the federation config (${config.agencies.map((a) => a.code).join(', ')}), ` +
        'or PORT and DATABASE_URL (or DATABASE_PATH) must be set for a node outside it.',
    );
  }
  return startAgencyNode({
    agency,
    port: Number(process.env.PORT ?? node?.port),
    database: withPasswordFile(database!, process.env.DATABASE_PASSWORD_FILE),
    seedDemoData: process.env.SEED_DEMO_DATA !== 'false',
    verifier: new TokenVerifier(config.trust, config.dataDir),
    logger,
  });
});

/** Compose and Kubernetes hand the database password over as a secret file, not in the URL. */
function withPasswordFile(database: string, passwordFile: string | undefined): string {
  if (!passwordFile) return database;
  const url = new URL(database);
  url.password = encodeURIComponent(readFileSync(passwordFile, 'utf8').trim());
  return url.toString();
}
