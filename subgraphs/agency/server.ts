import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { mergeResolvers } from '@graphql-tools/merge';
import { parse, type DocumentNode } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { authenticationPlugin } from '../../lib/auth/authenticate.js';
import type { TokenVerifier } from '../../lib/auth/verify.js';
import type { Directory } from '../../lib/config/directory.js';
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
import type { Resolvers } from './generated/resolvers-types.js';
import { generateDataset, isDemoAgency } from './seed/generate.js';
import { openStore } from './store/open.js';
import { indexMissingSubjects } from './store/screening-index.js';
import type { RecordStore } from './store/store.js';
import { insertDataset } from './store/writes.js';

export interface AgencyNodeOptions {
  agency: string;
  port: number;
  /** SQLite file path or postgres:// URL. */
  database: string;
  /** Seed deterministic demo data into an empty store (default true for the demo agencies). */
  seedDemoData: boolean;
  /** Every node verifies each caller's token itself (zero trust between parties). */
  verifier: TokenVerifier;
  /** Who takes part and in which circles: the owner's circles decide GREEN and AMBER. */
  directory: Directory;
  logger: Logger;
  /** More schema and resolvers on top of the contract (tests use it to add a resolver). */
  extension?: NodeServerOptions['extension'];
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

/** What buildSubgraphSchema accepts as resolvers (not exported by @apollo/subgraph itself). */
type SubgraphResolvers = NonNullable<Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>['resolvers']>;

/** The records contract's resolvers, one set per part of the contract (schema/records*.graphql). */
const CONTRACT_RESOLVERS: Resolvers[] = [recordResolvers, agencyResolvers, auditResolvers, screeningResolvers, unResolvers];

export interface NodeServerOptions {
  agency: string;
  store: RecordStore;
  verifier: TokenVerifier;
  directory: Directory;
  logger: Logger;
  /** More schema and resolvers on top of the contract (tests use it to add a resolver). */
  extension?: { typeDefs: DocumentNode; resolvers: Resolvers };
}

/**
 * The node's GraphQL server, and the per-request context it runs with. Resolvers get a
 * NodeContext, whose record reader is their only way to records.
 */
export function createNodeServer(options: NodeServerOptions): { server: ApolloServer<NodeContext>; context: () => NodeContext } {
  const { agency, store, verifier, logger, extension } = options;
  const owner = { code: agency, circles: options.directory.circlesOf(agency) };
  const schema = withholdBeyondDisclosure(
    buildSubgraphSchema({
      typeDefs: [parse(readSdl('records')), ...(extension ? [extension.typeDefs] : [])],
      resolvers: mergeResolvers([...CONTRACT_RESOLVERS, ...(extension ? [extension.resolvers] : [])]) as SubgraphResolvers,
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
  return { server, context: () => new NodeContext(owner, store) };
}

export async function startAgencyNode(options: AgencyNodeOptions): Promise<Service> {
  const { agency, logger } = options;
  const store = await openStore({ agency, database: options.database, onQuery: () => sqlStatements.inc() });
  try {
    if (options.seedDemoData && isDemoAgency(agency) && (await store.isEmpty())) {
      await insertDataset(store, generateDataset(agency));
      logger.info({ holdings: await store.holdingsOfOwner() }, 'seeded demo data');
    }
    const indexed = await indexMissingSubjects(store);
    if (indexed > 0) logger.info({ subjects: indexed }, 'indexed subjects for screening');
    const { server, context } = createNodeServer({ ...options, store });
    const running = await serveGraphQL(server, {
      port: options.port,
      logger,
      context: async () => context(),
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
