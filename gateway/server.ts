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
import { circlesOf } from '../subgraphs/directory/agencies.js';
import { Kind, parse, type TypeNode } from 'graphql';
import type { FederationConfig } from '../lib/config.js';
import { formatErrorFor } from '../lib/errors.js';
import { serveGraphQL } from '../lib/http/serve.js';
import type { Logger } from '../lib/logger.js';
import type { Service } from '../lib/service.js';
import { DIRECTORY_SUBGRAPH, readSdl, readSupergraph, RECORDS_SUBGRAPH } from '../schema/supergraph.js';
import { HttpAgencyClient } from './datasources/agency-client.js';
import { SovereignDataSource } from './datasources/sovereign-data-source.js';

export interface GatewayContext extends AuthenticatedContext {
  requestId: string;
}

export async function startGateway(config: FederationConfig, logger: Logger): Promise<Service> {
  const verifier = new TokenVerifier(config.trust, config.dataDir);
  const records = new SovereignDataSource({
    clients: config.agencies.map((node) => new HttpAgencyClient(node.code, node.url)),
    listFields: listRootFields(readSdl('records')),
    // Screening hits from all nodes come back best first.
    rankedFields: new Map([['screen', 'score']]),
    timeoutMs: config.gateway.nodeTimeoutMs,
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
      if (name === DIRECTORY_SUBGRAPH) return new RemoteGraphQLDataSource({ url: config.directory.url });
      throw new Error(`The supergraph names an unknown subgraph: ${name}`);
    },
    logger,
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    introspection: process.env.NODE_ENV !== 'production',
    formatError: formatErrorFor(logger),
    logger,
    plugins: [authenticationPlugin<GatewayContext>(verifier), await landingPage(config)],
  });
  return serveGraphQL(server, {
    port: config.gateway.port,
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
async function landingPage(config: FederationConfig) {
  if (process.env.NODE_ENV === 'production') return ApolloServerPluginLandingPageProductionDefault({ footer: false });
  let sharedHeaders: Record<string, string> = { 'X-Purpose': 'CRIMINAL_INVESTIGATION' };
  if (config.trust.issuers.some((issuer) => issuer.issuer === DEV_ISSUER)) {
    const issuer = await ensureDevIssuer(config.dataDir);
    const token = await mintToken(issuer, {
      agency: 'TH-RTP',
      circles: circlesOf('TH-RTP'),
      roles: ['officer'],
      sub: 'sandbox-demo',
      ttl: '12h',
      audience: config.trust.audience,
    });
    sharedHeaders = { Authorization: `Bearer ${token}`, ...sharedHeaders };
  }
  return ApolloServerPluginLandingPageLocalDefault({ footer: false, document: EXAMPLE_QUERY, embed: { initialState: { sharedHeaders } } });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first && /^[\w.-]{1,128}$/.test(first) ? first : undefined;
}

/** Root fields of the records contract whose type is a list (their broadcast answers concatenate). */
export function listRootFields(sdl: string): Set<string> {
  const names = new Set<string>();
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    if (definition.name.value !== 'Query' && definition.name.value !== 'Mutation') continue;
    for (const field of definition.fields ?? []) if (isList(field.type)) names.add(field.name.value);
  }
  return names;
}

function isList(type: TypeNode): boolean {
  return type.kind === Kind.NON_NULL_TYPE ? isList(type.type) : type.kind === Kind.LIST_TYPE;
}
