import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { mergeResolvers } from '@graphql-tools/merge';
import { parse, type DocumentNode } from 'graphql';
import type { LogEvent } from 'kysely';
import { authenticationPlugin } from '../../lib/auth/authenticate.js';
import { acceptedLanguages } from '../../lib/language.js';
import type { TokenVerifier } from '../../lib/auth/verify.js';
import type { Directory } from '../../lib/config/directory.js';
import { formatErrorFor } from '../../lib/errors.js';
import { argumentRulesPlugin } from '../../lib/limits/arguments.js';
import { Deadline, stopPastDeadline } from '../../lib/limits/deadline.js';
import { DEFAULT_LIMITS, operationLimits, type OperationLimits } from '../../lib/limits/operation-limits.js';
import { existsSync } from 'node:fs';
import type { HttpSettings } from '../../lib/config/http.js';
import { isPostgresUrl } from '../../lib/config/federation.js';
import { inOrder } from '../../lib/http/in-order.js';
import { knownOperationPlugin } from '../../lib/http/known-operation.js';
import { logFieldsOf, requestLogPlugin, type RequestLogFields } from '../../lib/http/request-log.js';
import { serveGraphQL, type Readiness } from '../../lib/http/serve.js';
import type { ServerTls } from '../../lib/tls/server.js';
import type { Logger } from '../../lib/logger.js';
import { requestMetricsPlugin } from '../../lib/metrics/request-metrics.js';
import type { Service } from '../../lib/service.js';
import { ARGUMENT_BOUNDS, ARGUMENT_RULES } from '../../schema/argument-rules.js';
import { readSdl } from '../../schema/supergraph.js';
import { NodeContext } from './context.js';
import { withPermissions } from './policy/permissions.js';
import { withholdBeyondDisclosure } from './policy/withhold.js';
import { auditPlugin } from './audit/plugin.js';
import { auditMetrics, deadlineExceeded, graphqlRequestCounter, recordSqlQuery } from './metrics.js';
import { agencyResolvers } from './resolvers/agency.js';
import { auditResolvers } from './resolvers/audit.js';
import { cooperationResolvers } from './resolvers/cooperation.js';
import { screeningResolvers } from './resolvers/screening.js';
import { recordResolvers } from './resolvers/records.js';
import { unResolvers } from './resolvers/un.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { generateDataset, isDemoAgency } from './seed/generate.js';
import { openStore } from './store/open.js';
import { indexMissingSubjects } from './store/screening-index.js';
import type { RecordStore } from './store/store.js';
import { insertDataset } from './store/writes.js';
import { witnessRoutes } from './witness/routes.js';
import type { FullVerification } from './witness/verify.js';
import { nodeWitnessing, type WitnessingOptions } from './witness/witnessing.js';

export interface AgencyNodeOptions {
  agency: string;
  port: number;
  /** SQLite file path or postgres:// URL. */
  database: string;
  /**
   * Seed deterministic demo data into an empty store of a demo agency: true or false as
   * SEED_DEMO_DATA says; unset, only into the embedded default (SQLite), never PostgreSQL.
   */
  seedDemoData: boolean | undefined;
  /** Where to listen (HOST) and which browser origins may call the node. */
  http: HttpSettings;
  /** Every node verifies each caller's token itself (zero trust between parties). */
  verifier: TokenVerifier;
  /** Who takes part and in which circles: the owner's circles decide GREEN and AMBER. */
  directory: Directory;
  logger: Logger;
  /** More schema and resolvers on top of the contract (tests use it to add a resolver). */
  extension?: NodeServerOptions['extension'];
  /** The shape limits of every operation (default DEFAULT_LIMITS): a node protects itself. */
  limits?: OperationLimits;
  /** NODE_ENV=production: no introspection, no field suggestions. */
  production?: boolean;
  /** HTTPS, and the client certificates callers must present (lib/tls/); left out: plain HTTP. */
  tls?: ServerTls;
  /** Also told of every SQL statement the node sends to its store (the benchmark's floor harness records them). */
  onQuery?: (event: LogEvent) => void;
  /** Witnessed audit heads (witness/): this node's signing key, the other nodes and how to reach them; left out: none. */
  witnessing?: Omit<WitnessingOptions, 'store' | 'logger'>;
}

/** What buildSubgraphSchema accepts as resolvers (not exported by @apollo/subgraph itself). */
type SubgraphResolvers = NonNullable<Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>['resolvers']>;

/** The records contract's resolvers, one set per part of the contract (schema/records*.graphql). */
const contractResolvers = (directory: Directory): Resolvers[] => [
  recordResolvers,
  agencyResolvers(directory),
  auditResolvers,
  screeningResolvers,
  unResolvers,
  cooperationResolvers,
];

export interface NodeServerOptions {
  agency: string;
  store: RecordStore;
  verifier: TokenVerifier;
  directory: Directory;
  logger: Logger;
  /** More schema and resolvers on top of the contract (tests use it to add a resolver). */
  extension?: { typeDefs: DocumentNode; resolvers: Resolvers };
  limits?: OperationLimits;
  production?: boolean;
  /** How verifyAuditTrail checks the ledger with its witnesses (default: the chain alone). */
  ledgerCheck?: () => Promise<FullVerification>;
}

/**
 * The node's GraphQL server, and the per-request context it runs with. Resolvers get a
 * NodeContext, whose record reader is their only way to records.
 */
export function createNodeServer(options: NodeServerOptions): {
  server: ApolloServer<NodeContext>;
  context: (request?: {
    requestId: string;
    requestLog: RequestLogFields;
    deadline?: Deadline;
    languages?: readonly string[];
  }) => NodeContext;
} {
  const { agency, store, verifier, logger, extension } = options;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const owner = { code: agency, circles: options.directory.circlesOf(agency) };
  // The deadline wraps the contract's own resolvers, before the policy wraps the rest: a column
  // read from a row in hand (withheld or not) is no work worth stopping, and a check on each
  // was a function call per value of every answer.
  const withDeadline = stopPastDeadline<NodeContext>(
    buildSubgraphSchema({
      typeDefs: [parse(readSdl('records')), ...(extension ? [extension.typeDefs] : [])],
      resolvers: mergeResolvers([
        ...contractResolvers(options.directory),
        ...(extension ? [extension.resolvers] : []),
      ]) as SubgraphResolvers,
    }),
    (context) => {
      deadlineExceeded.inc({ reason: context.deadline.reason });
      context.requestLog.stopped = context.deadline.reason;
    },
  );
  const server = new ApolloServer<NodeContext>({
    schema: withPermissions(withholdBeyondDisclosure(withDeadline)),
    includeStacktraceInErrorResponses: false,
    introspection: !options.production,
    formatError: formatErrorFor(logger, { production: options.production }),
    ...operationLimits(limits, 1),
    logger,
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // No cache hints are set or used (answers are per caller, never cached): Apollo's cache-control
      // plugin would still wrap every field's resolution, about a tenth of a node's CPU per request.
      ApolloServerPluginCacheControlDisabled(),
      inOrder<NodeContext>(authenticationPlugin(verifier), knownOperationPlugin(), argumentRulesPlugin(ARGUMENT_RULES, ARGUMENT_BOUNDS)),
      auditPlugin(store, logger, auditMetrics(options.directory)),
      requestMetricsPlugin<NodeContext>(agency),
      requestLogPlugin<NodeContext>(),
      graphqlRequestCounter,
    ],
  });
  return {
    server,
    context: (request = { requestId: 'in-process', requestLog: {} }) =>
      new NodeContext(
        owner,
        store,
        request.requestId,
        request.requestLog,
        request.deadline ?? new Deadline(limits.deadlineMs),
        options.ledgerCheck,
        request.languages,
      ),
  };
}

export async function startAgencyNode(options: AgencyNodeOptions): Promise<Service> {
  const { agency, logger, database } = options;
  const onQuery = options.onQuery;
  const store = await openStore({
    agency,
    database,
    onQuery: onQuery
      ? (event) => {
          recordSqlQuery(event);
          onQuery(event);
        }
      : recordSqlQuery,
  });
  try {
    const witnessing = options.witnessing && nodeWitnessing({ ...options.witnessing, store, logger });
    const { server, context } = createNodeServer({ ...options, store, ledgerCheck: witnessing?.verify });
    const budgetMs = (options.limits ?? DEFAULT_LIMITS).deadlineMs;
    let prepared = false;
    // The node holds its store and its port before it writes anything: a node that cannot
    // listen (port taken) has not seeded or indexed a store it will not serve.
    const running = await serveGraphQL(server, {
      port: options.port,
      http: options.http,
      tls: options.tls,
      logger,
      context: async ({ requestId, raw, abandoned }) =>
        context({
          requestId,
          requestLog: logFieldsOf(raw),
          deadline: Deadline.fromHeaders(raw.headers, budgetMs, abandoned),
          languages: acceptedLanguages(raw.headers['accept-language']),
        }),
      ready: async () => (prepared ? storeReadiness(store, database) : { ready: false, checks: { store: 'preparing' } }),
      routes: witnessing && witnessRoutes(witnessing.witness, () => prepared),
    });
    try {
      await prepareStore(store, options);
    } catch (error) {
      await running.stop();
      throw error;
    }
    prepared = true;
    witnessing?.publisher.start();
    return {
      url: running.url,
      async stop() {
        await witnessing?.publisher.stop();
        await running.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Demo data where it belongs (see AgencyNodeOptions.seedDemoData), and the screening index. */
async function prepareStore(store: RecordStore, options: AgencyNodeOptions): Promise<void> {
  const { agency, logger } = options;
  const seed = options.seedDemoData ?? !isPostgresUrl(options.database);
  if (seed && isDemoAgency(agency) && (await store.isEmpty())) {
    await insertDataset(store, generateDataset(agency));
    logger.info({ holdings: await store.holdingsOfOwner() }, 'seeded demo data');
  }
  const indexed = await indexMissingSubjects(store);
  if (indexed > 0) logger.info({ subjects: indexed }, 'indexed subjects for screening');
}

/** Ready while the store answers; for SQLite, while its file is still there (an unlinked file still answers). */
async function storeReadiness(store: RecordStore, database: string): Promise<Readiness> {
  if (!isPostgresUrl(database) && !existsSync(database)) return { ready: false, checks: { store: 'file missing' } };
  return (await store.answers()) ? { ready: true, checks: { store: 'ok' } } : { ready: false, checks: { store: 'unreachable' } };
}
