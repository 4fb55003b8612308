import http from 'node:http';
import type { AddressInfo } from 'node:net';
import cors from 'cors';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from '../logger.js';
import { metricsRegistry } from './metrics.js';

// A small HTTP front for Apollo Server: GraphQL on every path, plus /health for probes and
// /metrics for Prometheus. The standalone server has neither, and every process here needs both.

const MAX_BODY_BYTES = 1024 * 1024;

export interface ServeOptions<TContext extends BaseContext> {
  port: number;
  host?: string;
  logger: Logger;
  context: (req: http.IncomingMessage) => Promise<TContext>;
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
  await server.start();
  const allowCors = cors({ maxAge: 600 });
  const httpServer = http.createServer((req, res) => {
    allowCors(req, res, () => {
      route(server, options, req, res).catch((error: unknown) => {
        options.logger.error({ err: error }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error.' }] });
        else res.end();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    port,
    async stop() {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      const force = setTimeout(() => httpServer.closeAllConnections(), 2000);
      await closed;
      clearTimeout(force);
      await server.stop();
    },
  };
}

async function route<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  options: ServeOptions<TContext>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/health') {
    sendJson(res, 200, { status: 'ok' });
    return;
  }
  if (req.method === 'GET' && url.pathname === '/metrics') {
    res.writeHead(200, { 'content-type': metricsRegistry.contentType });
    res.end(await metricsRegistry.metrics());
    return;
  }
  const body = await readBody(req, res);
  if (body === TOO_LARGE) return;
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let parsed: unknown;
  if (body.length > 0 && /^application\/(graphql-response\+)?json/i.test(req.headers['content-type'] ?? '')) {
    try {
      parsed = JSON.parse(body);
    } catch {
      sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
  }
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body: parsed },
    context: () => options.context(req),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

const TOO_LARGE = Symbol('too large');

async function readBody(req: http.IncomingMessage, res: http.ServerResponse): Promise<string | typeof TOO_LARGE> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      sendJson(res, 413, {
        errors: [{ message: `Request body is larger than ${MAX_BODY_BYTES} bytes.`, extensions: { code: 'BAD_REQUEST' } }],
      });
      req.destroy();
      return TOO_LARGE;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
