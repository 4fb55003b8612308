import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import fastifyCors from '@fastify/cors';
import type { ApolloServer, BaseContext } from '@apollo/server';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { HttpSettings } from '../config/http.js';
import type { Logger } from '../logger.js';
import type { ClientCertificateMode } from '../config/tls.js';
import { admittedLink, attachTls, CLIENT_CERTIFICATE_REFUSED, httpsOptions, REFUSAL_MESSAGES, type ServerTls } from '../tls/server.js';
import { metricsRegistry } from './metrics.js';
import { logFieldsOf, requestLogLine } from './request-log.js';
import { wrongShape } from './wrong-shape.js';

// Every service's HTTP front (Fastify, with Apollo's Fastify integration): GraphQL at `/`,
// `/health` (the process answers), `/ready` (it can serve: store open, nodes reachable),
// `/metrics` (Prometheus) beside it; anything else is a 404 that says where GraphQL is.
// One request id per request (accepted from X-Request-Id or made here, returned in the
// response), one log line per request, a body limit, CORS from an allow-list, and a
// graceful close: in-flight requests finish, new ones get 503.

export const GRAPHQL_PATH = '/';
const MAX_BODY_BYTES = 1024 * 1024;
const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** How long a stopping service waits for its requests in flight (the process exits after 5 s). */
const SHUTDOWN_GRACE_MS = 4000;
/**
 * ...and for this long without one: a request whose bytes have arrived but are not parsed
 * yet is not counted in flight, and closing would reset its connection.
 */
const SHUTDOWN_QUIET_MS = 150;

export interface Readiness {
  ready: boolean;
  /** What was checked and what it found, e.g. { store: 'ok' } or { INTERPOL: 'unreachable' }. */
  checks: Record<string, string>;
}

export interface ServeOptions<TContext extends BaseContext> {
  port: number;
  http: HttpSettings;
  logger: Logger;
  /** The GraphQL context of one request; `requestId` is the id this request carries everywhere. */
  context: (request: { requestId: string; raw: IncomingMessage; abandoned: AbortSignal }) => Promise<TContext>;
  ready: () => Promise<Readiness>;
  /** An HTML page for browsers at the GraphQL path (the gateway's explorer); null: none. */
  landingPage?: (request: FastifyRequest) => Promise<string | null>;
  guard?: RequestGuard;
  /** HTTPS with this service's certificate (lib/tls/); left out: plain HTTP (or TLS ended by a proxy in front). */
  tls?: ServerTls;
  /** More routes beside GraphQL, behind the same admission, limits and logging (a node's witness doors). */
  routes?: (app: FastifyInstance) => void;
}

/** Checks before a request is parsed, and what its answer was (gateway/refusal-meter.ts). */
export interface RequestGuard {
  /** True when the guard answered the request itself. */
  onRequest(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  onResponse(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function serveGraphQL<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  options: ServeOptions<TContext>,
): Promise<RunningServer> {
  const { logger, tls } = options;
  const app = Fastify({
    // On TLS an HTTPS server (null: plain HTTP), whose certificate follows rotation (attachTls below).
    https: tls ? httpsOptions(tls.watch.current(), tls.clientCertificates) : null,
    loggerInstance: logger as FastifyBaseLogger,
    // One line per request, written below with what GraphQL learnt about it.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: MAX_BODY_BYTES,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  if (tls) attachTls(app.server, tls, logger);
  server.addPlugin(fastifyApolloDrainPlugin(app));

  // A stopping service answers what reaches it, each answer closing its connection, and says
  // it is not ready; it closes once no request is in flight (bounded), so none is cut off.
  let closing = false;
  let inFlight = 0;
  // Nodes and the directory decide each connection's client certificate; the gateway asks for none.
  const admission = tls && tls.clientCertificates !== 'none' ? { watch: tls.watch, mode: tls.clientCertificates } : undefined;
  app.addHook('onRequest', async (request, reply) => {
    inFlight += 1;
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
    if (admission && !admitLink(request, reply, admission, logger)) return reply;
    if (options.guard && (await options.guard.onRequest(request, reply))) return reply;
  });
  app.addHook('onResponse', async (request, reply) => {
    inFlight -= 1;
    await options.guard?.onResponse(request, reply);
    if (request.url === '/health' || request.url === '/metrics') return;
    logger.info(requestLogLine(request, reply), 'request');
  });
  // CORS after the hooks above: a preflight is answered only over an admitted connection, and counted in flight.
  const allowedOrigin = originMatcher(options.http.corsOrigins);
  await app.register(fastifyCors, {
    origin: (origin, callback) => callback(null, !origin || allowedOrigin(origin)),
    maxAge: 600,
  });
  app.setErrorHandler((error: FastifyError, request, reply) => replyWithError(error, request, reply, logger));
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send(graphqlErrors(`Nothing is served at ${request.url.split('?')[0]}; GraphQL is at ${GRAPHQL_PATH}.`, 'NOT_FOUND'));
  });

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    const readiness = closing ? { ready: false, checks: { service: 'stopping' } } : await options.ready();
    return reply.code(readiness.ready ? 200 : 503).send({ status: readiness.ready ? 'ready' : 'unready', checks: readiness.checks });
  });
  app.get('/metrics', async (_request, reply) => reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics()));
  options.routes?.(app);

  await server.start();
  const graphql = fastifyApolloHandler(server, {
    context: async (request, reply) => {
      // Aborted when the caller hangs up before its answer is sent (the gateway gave up):
      // the request's deadline (lib/limits/deadline.ts) then stops its work.
      const hangUp = new AbortController();
      // A caller that gives up closes its end of the connection: usually a FIN, which HTTP
      // allows while an answer is pending (a half-close), so the response's 'close' alone
      // would not tell; the socket's 'end' does. Listened to for this request only.
      const socket = request.raw.socket;
      const leave = () => hangUp.abort();
      if (socket.readableEnded) leave();
      else socket.once('end', leave);
      reply.raw.once('close', () => {
        socket.off('end', leave);
        if (!reply.raw.writableFinished) leave();
      });
      return options.context({ requestId: request.id, raw: request.raw, abandoned: hangUp.signal });
    },
  });
  app.route({
    method: ['GET', 'POST'],
    url: GRAPHQL_PATH,
    handler: async function (request, reply) {
      if (request.method === 'GET' && options.landingPage && prefersHtml(request)) {
        const page = await options.landingPage(request);
        if (page) return reply.type('text/html; charset=utf-8').send(page);
      }
      const guidance = wrongShape(request);
      if (guidance) return reply.code(guidance.status).send(graphqlErrors(guidance.message, 'BAD_REQUEST'));
      // The integration types its route more narrowly than a route of two methods; the request is the same.
      return graphql.call(this, request as never, reply as never);
    },
  });

  await app.listen({ port: options.port, host: options.http.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `${tls ? 'https' : 'http'}://${urlHost(options.http.host)}:${port}/`,
    port,
    async stop() {
      closing = true;
      const deadline = Date.now() + SHUTDOWN_GRACE_MS;
      let lastBusy = Date.now();
      while (Date.now() - lastBusy < SHUTDOWN_QUIET_MS && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        if (inFlight > 0) lastBusy = Date.now();
      }
      // Then stop accepting, answer anything still arriving with 503, stop Apollo (the drain
      // plugin) and close the connections.
      await app.close();
    },
  };
}

/**
 * Admits the request's connection or refuses it (403, the connection closed) with a line the
 * caller can act on; notes which link it came over (federation, partner, anonymous) in the
 * request's log line. /health stays open to probes that bring no certificate: it says nothing.
 */
function admitLink(
  request: FastifyRequest,
  reply: FastifyReply,
  admission: { watch: ServerTls['watch']; mode: ClientCertificateMode },
  logger: Logger,
): boolean {
  const link = admittedLink(request.raw.socket as TLSSocket, admission.watch.current(), admission.mode, logger);
  if ('refused' in link) {
    if (request.url === '/health') return true;
    void reply.code(403).header('connection', 'close').send(graphqlErrors(REFUSAL_MESSAGES[link.refused], CLIENT_CERTIFICATE_REFUSED));
    return false;
  }
  const fields = logFieldsOf(request.raw);
  fields.link = link.kind;
  if (link.peer) fields.peer = link.peer;
  return true;
}

/** An allowed origin without a port allows every port of its host (browsers on loopback). */
export function isAllowedOrigin(origin: string, allowed: readonly string[]): boolean {
  return originMatcher(allowed)(origin);
}

/** The allow-list compiled once, not per request. */
function originMatcher(allowed: readonly string[]): (origin: string) => boolean {
  const exact = new Set(allowed);
  const anyPort = allowed.filter((entry) => !/:\d+$/.test(entry)).map((entry) => new RegExp(`^${escape(entry)}:\\d+$`));
  return (origin) => exact.has(origin) || anyPort.some((pattern) => pattern.test(origin));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function prefersHtml(request: FastifyRequest): boolean {
  const url = new URL(request.url, 'http://service');
  return !url.searchParams.has('query') && /text\/html/.test(request.headers.accept ?? '');
}

/** The URL a client on this machine uses: a wildcard bind is reached through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function graphqlErrors(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/** Fastify's own refusals (body too large, bad JSON) in GraphQL's shape, one line each. */
function replyWithError(error: FastifyError, request: FastifyRequest, reply: FastifyReply, logger: Logger): FastifyReply {
  const status = error.statusCode ?? 500;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.routeOptions.bodyLimit ?? MAX_BODY_BYTES;
    return reply.code(413).send(graphqlErrors(`The request body is larger than ${limit} bytes.`, 'BAD_REQUEST'));
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return reply.code(415).send(graphqlErrors('Send GraphQL as POST with "content-type: application/json".', 'BAD_REQUEST'));
  }
  if (status === 400 && /JSON/i.test(error.message)) {
    return reply.code(400).send(graphqlErrors('The request body is not valid JSON.', 'BAD_REQUEST'));
  }
  if (status < 500) return reply.code(status).send(graphqlErrors(error.message.split('\n')[0]!, 'BAD_REQUEST'));
  logger.error({ err: error, reqId: request.id }, 'request failed');
  return reply.code(500).send(graphqlErrors('Internal server error.', 'INTERNAL_SERVER_ERROR'));
}
