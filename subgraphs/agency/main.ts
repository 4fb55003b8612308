import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TokenVerifier } from '../../lib/auth/verify.js';
import { configFrom, readEnvironment } from '../../lib/config/index.js';
import { createLogger } from '../../lib/logger.js';
import { runService } from '../../lib/service.js';
import { defaultAuditKeyFile } from '../../lib/config/federation.js';
import { federationLinks } from '../../lib/tls/links.js';
import { serviceTls } from '../../lib/tls/service-tls.js';
import { defaultSigningKeyFile, ensureSigningKey } from './witness/keys.js';
import { startAgencyNode } from './server.js';

// One agency node. AGENCY_CODE picks the agency; its port and database come from the
// federation config unless PORT, DATABASE_URL (PostgreSQL) or DATABASE_PATH (SQLite) say otherwise.

const environment = readEnvironment();
const agency = environment.service.agencyCode;
const logger = createLogger(`agency:${agency || 'unknown'}`, environment.logLevel);

// The configuration is loaded inside runService: a bad file stops the start with one line.
await runService(`Agency node ${agency}`, logger, async () => {
  const config = configFrom(environment);
  const { federation, service } = config;
  const node = federation.agencies.find((entry) => entry.code === agency);
  const database = service.databaseUrl || service.databasePath || node?.database;
  if (!node && !(service.port && database)) {
    throw new Error(
      `AGENCY_CODE must name an agency of the federation config (${federation.agencies.map((a) => a.code).join(', ')}), ` +
        'or PORT and DATABASE_URL (or DATABASE_PATH) must be set for a node outside it.',
    );
  }
  const tls = serviceTls(config, agency, logger);
  const signer = await ensureSigningKey(
    agency,
    service.auditSigningKeyFile ?? defaultSigningKeyFile(federation.dataDir, agency),
    path.resolve(federation.dataDir, defaultAuditKeyFile(agency)),
    node?.auditKey ?? path.resolve(federation.dataDir, defaultAuditKeyFile(agency)),
  );
  // Node to node (witnessing) on the same mutual TLS as the gateway's calls, with this node's certificate.
  const links = federationLinks(tls);
  const started = await startAgencyNode({
    agency,
    tls: tls && { watch: tls, clientCertificates: federation.tls!.clientCertificates },
    port: Number(service.port ?? node?.port),
    database: withPasswordFile(database!, service.databasePasswordFile),
    seedDemoData: service.seedDemoData,
    verifier: new TokenVerifier(federation.trust, federation.dataDir, config.directory),
    directory: config.directory,
    http: config.http,
    limits: federation.limits,
    production: config.production,
    witnessing: { signer, federation, fetch: links.fetch },
    logger,
  });
  return {
    url: started.url,
    async stop() {
      await started.stop();
      await links.close();
    },
  };
});

/** Compose and Kubernetes hand the database password over as a secret file, not in the URL. */
function withPasswordFile(database: string, passwordFile: string | undefined): string {
  if (!passwordFile) return database;
  const url = new URL(database);
  url.password = encodeURIComponent(readFileSync(passwordFile, 'utf8').trim());
  return url.toString();
}
