import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import { formatErrorFor } from '../../lib/errors.js';
import { serveGraphQL } from '../../lib/http/serve.js';
import type { Logger } from '../../lib/logger.js';
import type { Service } from '../../lib/service.js';
import { readSdl } from '../../schema/supergraph.js';
import type { DirectoryContext } from './context.js';
import { directoryResolvers } from './resolvers.js';

export async function startDirectory(options: { port: number; logger: Logger }): Promise<Service> {
  const server = new ApolloServer<DirectoryContext>({
    schema: buildSubgraphSchema({ typeDefs: parse(readSdl('directory')), resolvers: directoryResolvers as GraphQLResolverMap<unknown> }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    includeStacktraceInErrorResponses: false,
    formatError: formatErrorFor(options.logger),
    logger: options.logger,
  });
  return serveGraphQL(server, { port: options.port, logger: options.logger, context: async () => ({}) });
}
