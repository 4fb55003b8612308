import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { Directory } from '../../lib/config/directory.js';
import type { HttpSettings } from '../../lib/config/http.js';
import { formatErrorFor } from '../../lib/errors.js';
import { DEFAULT_LIMITS, operationLimits, type OperationLimits } from '../../lib/limits/operation-limits.js';
import { logFieldsOf, requestLogPlugin } from '../../lib/http/request-log.js';
import { serveGraphQL } from '../../lib/http/serve.js';
import type { ServerTls } from '../../lib/tls/server.js';
import type { Logger } from '../../lib/logger.js';
import { requestMetricsPlugin } from '../../lib/metrics/request-metrics.js';
import type { Service } from '../../lib/service.js';
import { readSdl } from '../../schema/supergraph.js';
import type { DirectoryContext } from './context.js';
import { directoryResolvers } from './resolvers.js';

export interface DirectoryOptions {
  port: number;
  /** The agencies and trust circles this service answers with. */
  directory: Directory;
  http: HttpSettings;
  logger: Logger;
  /** NODE_ENV=production: no introspection, no field suggestions. */
  production?: boolean;
  /** The federation's operation limits (default DEFAULT_LIMITS). */
  limits?: OperationLimits;
  /** HTTPS, and the client certificates callers must present (lib/tls/); left out: plain HTTP. */
  tls?: ServerTls;
}

/** What buildSubgraphSchema accepts as resolvers (not exported by @apollo/subgraph itself). */
type SubgraphResolvers = NonNullable<Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>['resolvers']>;

export async function startDirectory(options: DirectoryOptions): Promise<Service> {
  const resolvers = directoryResolvers(options.directory) as SubgraphResolvers;
  const server = new ApolloServer<DirectoryContext>({
    schema: buildSubgraphSchema({ typeDefs: parse(readSdl('directory')), resolvers }),
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      requestMetricsPlugin<DirectoryContext>('directory'),
      requestLogPlugin<DirectoryContext>(),
    ],
    includeStacktraceInErrorResponses: false,
    introspection: !options.production,
    formatError: formatErrorFor(options.logger, { production: options.production }),
    // The directory is reachable directly too: the same shape limits as everywhere.
    ...operationLimits(options.limits ?? DEFAULT_LIMITS, 1),
    logger: options.logger,
  });
  return serveGraphQL(server, {
    port: options.port,
    http: options.http,
    tls: options.tls,
    logger: options.logger,
    context: async ({ raw }) => ({ requestLog: logFieldsOf(raw) }),
    // The directory's data is in memory: it is ready once it listens.
    ready: async () => ({ ready: true, checks: { directory: 'ok' } }),
  });
}
