import { loadFederationConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { runService } from '../lib/service.js';
import { startGateway } from './server.js';

const logger = createLogger('gateway');

await runService('Gateway', logger, async () => startGateway(loadFederationConfig(), logger));
