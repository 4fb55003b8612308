import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import { Counter } from 'prom-client';
import { formatErrorFor } from '../../lib/errors.js';
import { metricsRegistry } from '../../lib/http/metrics.js';
import { serveGraphQL } from '../../lib/http/serve.js';
import type { Logger } from '../../lib/logger.js';
import type { Service } from '../../lib/service.js';
import { readSdl } from '../../schema/supergraph.js';
import { createNodeContext, type NodeContext } from './context.js';
import { agencyResolvers } from './resolvers/agency.js';
import { recordResolvers } from './resolvers/records.js';
import { generateDataset, isDemoAgency } from './seed/generate.js';
import { openStore } from './store/open.js';

export interface AgencyNodeOptions {
  agency: string;
  port: number;
  /** SQLite file path or postgres:// URL. */
  database: string;
  /** Seed deterministic demo data into an empty store (default true for the demo agencies). */
  seedDemoData: boolean;
  logger: Logger;
}

const sqlStatements = new Counter({
  name: 'agency_sql_statements_total',
  help: 'SQL statements this node has sent to its store.',
  registers: [metricsRegistry],
});

const graphqlRequests = new Counter({
  name: 'agency_graphql_requests_total',
  help: 'GraphQL requests this node has answered.',
  registers: [metricsRegistry],
});

export async function startAgencyNode(options: AgencyNodeOptions): Promise<Service> {
  const { agency, logger } = options;
  const store = await openStore({ agency, database: options.database, onQuery: () => sqlStatements.inc() });
  try {
    if (options.seedDemoData && isDemoAgency(agency) && (await store.isEmpty())) {
      await store.insertDataset(generateDataset(agency));
      logger.info({ holdings: await store.holdings() }, 'seeded demo data');
    }
    const server = new ApolloServer<NodeContext>({
      schema: buildSubgraphSchema({ typeDefs: parse(readSdl('records')), resolvers: { ...recordResolvers, ...agencyResolvers } as GraphQLResolverMap<unknown> }),
      includeStacktraceInErrorResponses: false,
      formatError: formatErrorFor(logger),
      logger,
      plugins: [ApolloServerPluginInlineTraceDisabled(), { requestDidStart: async () => void graphqlRequests.inc() }],
    });
    const running = await serveGraphQL(server, {
      port: options.port,
      logger,
      context: async () => createNodeContext(agency, store),
    });
    return {
      url: running.url,
      async stop() {
        await running.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
