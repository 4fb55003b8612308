import { loadFederationConfig } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { runService } from '../../lib/service.js';
import { startAgencyNode } from './server.js';

// One agency node. AGENCY_CODE picks the agency; its port and database come from the
// federation config unless PORT or DATABASE_PATH say otherwise.

const agency = process.env.AGENCY_CODE ?? '';
const logger = createLogger(`agency:${agency || 'unknown'}`);

await runService(`Agency node ${agency}`, logger, async () => {
  const config = loadFederationConfig();
  const node = config.agencies.find((entry) => entry.code === agency);
  if (!node && !(process.env.PORT && process.env.DATABASE_PATH)) {
    throw new Error(
      `AGENCY_CODE must name an agency of the federation config (${config.agencies.map((a) => a.code).join(', ')}), ` +
        'or PORT and DATABASE_PATH must be set for a node outside it.',
    );
  }
  return startAgencyNode({
    agency,
    port: Number(process.env.PORT ?? node?.port),
    database: process.env.DATABASE_PATH ?? node!.database,
    seedDemoData: process.env.SEED_DEMO_DATA !== 'false',
    logger,
  });
});
