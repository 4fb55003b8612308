import { randomUUID } from 'node:crypto';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { authenticationPlugin, type AuthenticatedContext } from '../lib/auth/authenticate.js';
import { DEV_ISSUER, ensureDevIssuer, mintToken } from '../lib/auth/dev-issuer.js';
import { TokenVerifier } from '../lib/auth/verify.js';
import type { Config } from '../lib/config/index.js';
import { formatErrorFor } from '../lib/errors.js';
import { serveGraphQL } from '../lib/http/serve.js';
import type { Logger } from '../lib/logger.js';
import type { Service } from '../lib/service.js';
import { DIRECTORY_SUBGRAPH, readSdl, readSupergraph, RECORDS_SUBGRAPH } from '../schema/supergraph.js';
import { HttpAgencyClient } from './datasources/agency-client.js';
import { listRootFields } from './datasources/list-fields.js';
import { SovereignDataSource } from './datasources/sovereign-data-source.js';

export interface GatewayContext extends AuthenticatedContext {
  requestId: string;
}

export async function startGateway(config: Config, logger: Logger): Promise<Service> {
  const { federation } = config;
  const verifier = new TokenVerifier(federation.trust, federation.dataDir, config.directory);
  const records = new SovereignDataSource({
    clients: federation.agencies.map((node) => new HttpAgencyClient(node.code, node.url)),
    listFields: listRootFields(readSdl('records')),
    // Screening hits from all nodes come back best first.
    rankedFields: new Map([['screen', 'score']]),
    timeoutMs: federation.gateway.nodeTimeoutMs,
    logger,
    // Each node verifies the caller again: the gateway passes the token and purpose on.
    forwardHeaders: (context) => {
      const { requestId, caller } = context as unknown as GatewayContext;
      return {
        'x-request-id': requestId,
        ...(caller ? { authorization: `Bearer ${caller.token}`, 'x-purpose': caller.purpose } : {}),
      };
    },
  });
  const gateway = new ApolloGateway({
    // The committed supergraph: a deterministic start, no introspection of nodes at boot.
    supergraphSdl: readSupergraph(),
    buildService({ name }) {
      if (name === RECORDS_SUBGRAPH) return records;
      if (name === DIRECTORY_SUBGRAPH) return new RemoteGraphQLDataSource({ url: federation.directory.url });
      throw new Error(`The supergraph names an unknown subgraph: ${name}`);
    },
    logger,
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    formatError: formatErrorFor(logger),
    logger,
    plugins: [authenticationPlugin<GatewayContext>(verifier), await landingPage(config)],
  });
  return serveGraphQL(server, {
    port: federation.gateway.port,
    logger,
    context: async (req) => ({ requestId: headerValue(req.headers['x-request-id']) ?? randomUUID(), caller: null }),
  });
}

const EXAMPLE_QUERY = `# Every agency node answers for its own records, at the level its owner decides.
query OneQuestionAcrossAllStores {
  notices(first: 5, filter: { colours: [RED, YELLOW, DIFFUSION] }) {
    id colour disclosure tlp handling
    agency { code name }
    title { text language }
    subject { id names { full script } }
  }
  cases(first: 5, filter: { crimeTypes: [TELECOM_FRAUD] }) {
    id reference disclosure agency { code } subjects { id names { full } }
  }
}
`;

/**
 * Apollo Sandbox at the gateway URL outside production. In development its shared headers
 * come pre-filled with a token of a demo partner (TH-RTP, officer) from the dev issuer.
 */
async function landingPage({ production, federation, directory }: Config) {
  if (production) return ApolloServerPluginLandingPageProductionDefault({ footer: false });
  let sharedHeaders: Record<string, string> = { 'X-Purpose': 'CRIMINAL_INVESTIGATION' };
  if (federation.trust.issuers.some((issuer) => issuer.issuer === DEV_ISSUER)) {
    const issuer = await ensureDevIssuer(federation.dataDir);
    const token = await mintToken(issuer, {
      agency: 'TH-RTP',
      circles: directory.circlesOf('TH-RTP'),
      roles: ['officer'],
      sub: 'sandbox-demo',
      ttl: '12h',
      audience: federation.trust.audience,
    });
    sharedHeaders = { Authorization: `Bearer ${token}`, ...sharedHeaders };
  }
  return ApolloServerPluginLandingPageLocalDefault({ footer: false, document: EXAMPLE_QUERY, embed: { initialState: { sharedHeaders } } });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first && /^[\w.-]{1,128}$/.test(first) ? first : undefined;
}
