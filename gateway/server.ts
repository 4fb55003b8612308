import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { buildASTSchema, parse } from 'graphql';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { FastifyInstance } from 'fastify';
import { authenticationPlugin, type AuthenticatedContext } from '../lib/auth/authenticate.js';
import { TokenVerifier } from '../lib/auth/verify.js';
import type { Config } from '../lib/config/index.js';
import { acceptLanguageHeader, acceptedLanguages } from '../lib/language.js';
import { formatErrorFor } from '../lib/errors.js';
import { argumentRulesPlugin } from '../lib/limits/arguments.js';
import { operationLimits } from '../lib/limits/operation-limits.js';
import { inOrder } from '../lib/http/in-order.js';
import { knownOperationPlugin } from '../lib/http/known-operation.js';
import { logFieldsOf, requestLogPlugin, type LoggedContext } from '../lib/http/request-log.js';
import { serveGraphQL } from '../lib/http/serve.js';
import { certificateRefusal, federationLinks } from '../lib/tls/links.js';
import { serviceTls } from '../lib/tls/service-tls.js';
import type { Logger } from '../lib/logger.js';
import { requestMetricsPlugin } from '../lib/metrics/request-metrics.js';
import type { Service } from '../lib/service.js';
import { ARGUMENT_BOUNDS, ARGUMENT_RULES } from '../schema/argument-rules.js';
import { DIRECTORY_SUBGRAPH, readSdl, readSupergraph, RECORDS_SUBGRAPH } from '../schema/supergraph.js';
import { HttpAgencyClient } from './datasources/agency-client.js';
import { listRootFields } from './datasources/list-fields.js';
import { SovereignDataSource } from './datasources/sovereign-data-source.js';
import { explorerMode, landingPage } from './landing-page.js';
import { explorerRoutes } from './explorer.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { reservedAliasRule } from './reserved-alias.js';
import { createRateLimiter } from './rate-limit.js';
import { admission, guards } from './admission.js';
import { refusalMeter } from './refusal-meter.js';
import { federationReadinessCheck } from './readiness.js';

export interface GatewayContext extends AuthenticatedContext, LoggedContext {
  requestId: string;
  /** Aborted when the partner hangs up: the gateway stops asking nodes for an answer nobody reads. */
  abandoned: AbortSignal;
  fetches: { agency: string; ms: number; outcome: string }[];
  /** The languages the partner's Accept-Language asks for, most wanted first, passed on to every node (docs/languages.md). */
  languages: readonly string[];
}

export async function startGateway(config: Config, logger: Logger): Promise<Service> {
  const { federation } = config;
  const verifier = new TokenVerifier(federation.trust, federation.dataDir, config.directory);
  // On TLS the gateway serves HTTPS and calls every node and the directory over mutual TLS.
  const tls = serviceTls(config, 'gateway', logger);
  const links = federationLinks(tls);
  const records = new SovereignDataSource({
    clients: federation.agencies.map((node) => new HttpAgencyClient(node.code, node.url, links.post, federation.gateway.maxAnswerBytes)),
    listFields: listRootFields(readSdl('records')),
    // Every node answer is checked against the records contract before it is merged.
    contract: buildASTSchema(parse(readSdl('records')), { assumeValidSDL: true }),
    directory: config.directory,
    // Screening hits from all nodes come back best first.
    rankedFields: new Map([['screen', 'score']]),
    timeoutMs: federation.gateway.nodeTimeoutMs,
    circuit: { failures: federation.gateway.breakerFailures, coolDownMs: federation.gateway.breakerCoolDownMs },
    logger,
    // Each node verifies the caller again: the gateway passes the token and purpose on.
    forwardHeaders: (context) => {
      const { requestId, caller, languages } = context as unknown as GatewayContext;
      return {
        'x-request-id': requestId,
        // Checked and bounded here: a node gets well-formed whole tags in order, within the kilobyte it reads, never the partner's raw header.
        ...(languages.length > 0 ? { 'accept-language': acceptLanguageHeader(languages) } : {}),
        ...(caller ? { authorization: `Bearer ${caller.token}`, 'x-purpose': caller.purpose } : {}),
      };
    },
  });
  const rateLimiter = createRateLimiter(
    {
      requests: federation.gateway.rateLimitRequests,
      agencyRequests: federation.gateway.rateLimitAgencyRequests,
      windowSeconds: federation.gateway.rateLimitWindowSeconds,
    },
    { redisUrl: config.redisUrl, directory: config.directory, logger },
  );
  const gateway = new ApolloGateway({
    // The committed supergraph: a deterministic start, no introspection of nodes at boot.
    supergraphSdl: readSupergraph(),
    buildService({ name }) {
      if (name === RECORDS_SUBGRAPH) return records;
      if (name === DIRECTORY_SUBGRAPH) {
        return new RemoteGraphQLDataSource({
          url: federation.directory.url,
          // The directory is given up after the node timeout too: a hung directory does not hang every question.
          fetcher: (async (url: string, init: RequestInit) => {
            const response = await links.fetch(url, { ...init, signal: AbortSignal.timeout(federation.gateway.nodeTimeoutMs) });
            // Not the partner's FORBIDDEN: the link failed; logged as such, an internal error to the partner.
            const refused = await certificateRefusal(response);
            if (refused) throw new Error(`The directory refused the gateway's client certificate: ${refused}`);
            return response;
          }) as unknown as RemoteGraphQLDataSource['fetcher'],
        });
      }
      throw new Error(`The supergraph names an unknown subgraph: ${name}`);
    },
    logger,
  });
  // The shape limits, before any node is asked; root lists fan out to every agency node.
  const limits = operationLimits(federation.limits, federation.agencies.length);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    formatError: formatErrorFor(logger, { production: config.production }),
    ...limits,
    validationRules: [...limits.validationRules, reservedAliasRule],
    logger,
    plugins: [
      // Who asks, whether they have asked too often (429), then whether the question is in
      // range: arguments no node would accept are refused here once, not by every node.
      inOrder<GatewayContext>(
        authenticationPlugin(verifier),
        rateLimiter.plugin,
        knownOperationPlugin(),
        argumentRulesPlugin(ARGUMENT_RULES, ARGUMENT_BOUNDS),
      ),
      requestLogPlugin<GatewayContext>(),
      requestMetricsPlugin<GatewayContext>('gateway'),
      // The HTTP front serves the landing page (gateway/landing-page.ts), per browser.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  // With REDIS_URL, the first requests already spend from the shared budget.
  await rateLimiter.connected();
  const running = await serveGraphQL(server, {
    port: federation.gateway.port,
    http: config.http,
    logger,
    context: async ({ requestId, raw, abandoned }) => {
      const fetches: GatewayContext['fetches'] = [];
      const requestLog = logFieldsOf(raw);
      requestLog.fetches = fetches;
      const languages = acceptedLanguages(raw.headers['accept-language']);
      return { requestId, abandoned, caller: null, fetches, requestLog, languages };
    },
    ready: federationReadinessCheck(federation, links.fetch),
    tls: tls && { watch: tls, clientCertificates: 'none' },
    landingPage: landingPage(config),
    // The explorer's assets (/explorer/*) and the cooperation dashboard (/dashboard), each when enabled.
    routes: composeRoutes(explorerMode(config) === 'local' ? explorerRoutes : undefined, dashboardRoutes(config)),
    // Refusals are metered before a question waits for its turn: a refused address does not queue.
    guard: guards(
      refusalMeter({ refusals: federation.gateway.refusalsPerAddress, windowSeconds: federation.gateway.rateLimitWindowSeconds }),
      admission({ maxInFlight: federation.gateway.maxConcurrentRequests, queueTimeoutMs: federation.gateway.queueTimeoutMs }),
    ),
  });
  return {
    url: running.url,
    async stop() {
      await running.stop();
      await rateLimiter.stop();
      tls?.stop();
      await links.close();
    },
  };
}

function composeRoutes(...parts: (((app: FastifyInstance) => void) | undefined)[]): (app: FastifyInstance) => void {
  return (app) => parts.forEach((routes) => routes?.(app));
}
