import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { mergeResolvers } from '@graphql-tools/merge';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { authenticationPlugin } from '../../lib/auth/authenticate.js';
import { TokenVerifier } from '../../lib/auth/verify.js';
import { Counter } from 'prom-client';
import { formatErrorFor } from '../../lib/errors.js';
import { metricsRegistry } from '../../lib/http/metrics.js';
import { serveGraphQL } from '../../lib/http/serve.js';
import type { Logger } from '../../lib/logger.js';
import type { Service } from '../../lib/service.js';
import { readSdl } from '../../schema/supergraph.js';
import { NodeContext } from './context.js';
import { permissions } from './policy/permissions.js';
import { withholdBeyondDisclosure } from './policy/withhold.js';
import { auditPlugin } from './audit/plugin.js';
import { agencyResolvers } from './resolvers/agency.js';
import { auditResolvers } from './resolvers/audit.js';
import { screeningResolvers } from './resolvers/screening.js';
import { recordResolvers } from './resolvers/records.js';
import { unResolvers } from './resolvers/un.js';
import { generateDataset, isDemoAgency } from './seed/generate.js';
import { openStore } from './store/open.js';
import { indexMissingSubjects } from './store/screening.js';

export interface AgencyNodeOptions {
  agency: string;
  port: number;
  /** SQLite file path or postgres:// URL. */
  database: string;
  /** Seed deterministic demo data into an empty store (default true for the demo agencies). */
  seedDemoData: boolean;
  /** Every node verifies each caller's token itself (zero trust between parties). */
  verifier: TokenVerifier;
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
  const { agency, logger, verifier } = options;
  const store = await openStore({ agency, database: options.database, onQuery: () => sqlStatements.inc() });
  try {
    if (options.seedDemoData && isDemoAgency(agency) && (await store.isEmpty())) {
      await store.insertDataset(generateDataset(agency));
      logger.info({ holdings: await store.holdingsOfOwner() }, 'seeded demo data');
    }
    const indexed = await indexMissingSubjects(store);
    if (indexed > 0) logger.info({ subjects: indexed }, 'indexed subjects for screening');
    const schema = withholdBeyondDisclosure(
      buildSubgraphSchema({
        typeDefs: parse(readSdl('records')),
        resolvers: mergeResolvers([recordResolvers, agencyResolvers, auditResolvers, screeningResolvers, unResolvers]) as GraphQLResolverMap<unknown>,
      }),
    );
    const server = new ApolloServer<NodeContext>({
      schema: applyMiddleware(schema, permissions),
      includeStacktraceInErrorResponses: false,
      formatError: formatErrorFor(logger),
      logger,
      plugins: [
        ApolloServerPluginInlineTraceDisabled(),
        authenticationPlugin<NodeContext>(verifier),
        auditPlugin(store, logger),
        { requestDidStart: async () => void graphqlRequests.inc() },
      ],
    });
    const running = await serveGraphQL(server, {
      port: options.port,
      logger,
      context: async () => new NodeContext(agency, store),
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
