import { loadFederationConfig } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { runService } from '../../lib/service.js';
import { startDirectory } from './server.js';

const logger = createLogger('directory');

await runService('Directory', logger, async () => {
  const config = loadFederationConfig();
  return startDirectory({ port: Number(process.env.PORT ?? config.directory.port), logger });
});
