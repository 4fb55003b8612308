import { configFrom, readEnvironment } from '../../lib/config/index.js';
import { createLogger } from '../../lib/logger.js';
import { runService } from '../../lib/service.js';
import { serviceTls } from '../../lib/tls/service-tls.js';
import { startDirectory } from './server.js';

const environment = readEnvironment();
const logger = createLogger('directory', environment.logLevel);

// The configuration is loaded inside runService: a bad file stops the start with one line.
await runService('Directory', logger, async () => {
  const config = configFrom(environment);
  const tls = serviceTls(config, 'directory', logger);
  return startDirectory({
    tls: tls && { watch: tls, clientCertificates: config.federation.tls!.clientCertificates },
    port: Number(config.service.port ?? config.federation.directory.port),
    directory: config.directory,
    http: config.http,
    logger,
    production: config.production,
    limits: config.federation.limits,
  });
});
