import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import type { Directory } from '../../lib/config/directory.js';
import { formatErrorFor } from '../../lib/errors.js';
import { serveGraphQL } from '../../lib/http/serve.js';
import type { Logger } from '../../lib/logger.js';
import type { Service } from '../../lib/service.js';
import { readSdl } from '../../schema/supergraph.js';
import type { DirectoryContext } from './context.js';
import { directoryResolvers } from './resolvers.js';

export interface DirectoryOptions {
  port: number;
  /** The agencies and trust circles this service answers with. */
  directory: Directory;
  logger: Logger;
}

export async function startDirectory(options: DirectoryOptions): Promise<Service> {
  const resolvers = directoryResolvers(options.directory) as GraphQLResolverMap<unknown>;
  const server = new ApolloServer<DirectoryContext>({
    schema: buildSubgraphSchema({ typeDefs: parse(readSdl('directory')), resolvers }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    includeStacktraceInErrorResponses: false,
    formatError: formatErrorFor(options.logger),
    logger: options.logger,
  });
  return serveGraphQL(server, { port: options.port, logger: options.logger, context: async () => ({}) });
}
