import { configFrom, readEnvironment } from '../lib/config/index.js';
import { createLogger } from '../lib/logger.js';
import { runService } from '../lib/service.js';
import { startGateway } from './server.js';

const environment = readEnvironment();
const logger = createLogger('gateway', environment.logLevel);

// The configuration is loaded inside runService: a bad file stops the start with one line.
await runService('Gateway', logger, async () => startGateway(configFrom(environment), logger));
