import { randomUUID } from 'node:crypto';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { Kind, parse, type TypeNode } from 'graphql';
import type { FederationConfig } from '../lib/config.js';
import { formatErrorFor } from '../lib/errors.js';
import { serveGraphQL } from '../lib/http/serve.js';
import type { Logger } from '../lib/logger.js';
import type { Service } from '../lib/service.js';
import { DIRECTORY_SUBGRAPH, readSdl, readSupergraph, RECORDS_SUBGRAPH } from '../schema/supergraph.js';
import { HttpAgencyClient } from './datasources/agency-client.js';
import { SovereignDataSource } from './datasources/sovereign-data-source.js';

export interface GatewayContext {
  requestId: string;
}

export async function startGateway(config: FederationConfig, logger: Logger): Promise<Service> {
  const records = new SovereignDataSource({
    clients: config.agencies.map((node) => new HttpAgencyClient(node.code, node.url)),
    listFields: listRootFields(readSdl('records')),
    timeoutMs: config.gateway.nodeTimeoutMs,
    logger,
    forwardHeaders: (context) => ({ 'x-request-id': String(context.requestId) }),
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
  });
  return serveGraphQL(server, {
    port: config.gateway.port,
    logger,
    context: async (req) => ({ requestId: headerValue(req.headers['x-request-id']) ?? randomUUID() }),
  });
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
