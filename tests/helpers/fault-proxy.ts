import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// A small HTTP proxy in front of a real agency node that misbehaves on demand, as a broken
// network or a rogue node would: it delays, resets the connection, answers garbage or an
// endless answer, or rewrites the node's real answer (entities missing, records relabelled
// as another agency's). The gateway is configured to reach the node through it.

export type Fault =
  | { kind: 'pass' }
  | { kind: 'delay'; ms: number }
  | { kind: 'reset' }
  | { kind: 'garbage' }
  | { kind: 'huge'; bytes: number }
  | { kind: 'rewrite'; change: (answer: { data?: Record<string, unknown> | null }) => void };

export class FaultProxy {
  fault: Fault = { kind: 'pass' };
  /** The node behind the proxy (set once the federation has started). */
  target: string | undefined;
  /** Requests that reached the proxy, and the headers of the last one. */
  requests = 0;
  lastHeaders: http.IncomingHttpHeaders = {};
  /** Bytes of the last `huge` answer written before the gateway hung up. */
  hugeBytesWritten = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FaultProxy> {
    const handlers: { proxy?: FaultProxy } = {};
    const server = http.createServer((request, response) => void handlers.proxy!.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    handlers.proxy = new FaultProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return handlers.proxy;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    this.requests++;
    this.lastHeaders = request.headers;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const fault = this.fault;
    switch (fault.kind) {
      case 'reset':
        request.socket.destroy();
        return;
      case 'garbage':
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>502 upstream busy</body></html>');
        return;
      case 'huge':
        return this.endless(response, fault.bytes);
      case 'delay':
        await sleep(fault.ms);
        break;
      default:
        break;
    }
    if (!this.target) {
      response.writeHead(503).end();
      return;
    }
    const forwarded = await fetch(this.target, {
      method: request.method,
      headers: Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
      ) as Record<string, string>,
      body: request.method === 'POST' ? Buffer.concat(chunks) : undefined,
    }).catch(() => undefined);
    if (!forwarded) {
      request.socket.destroy();
      return;
    }
    let body = await forwarded.text();
    if (fault.kind === 'rewrite') {
      const answer = JSON.parse(body) as { data?: Record<string, unknown> | null };
      fault.change(answer);
      body = JSON.stringify(answer);
    }
    if (!response.destroyed) response.writeHead(forwarded.status, { 'content-type': 'application/json' }).end(body);
  }

  /** A well-formed start of a GraphQL answer that goes on for `bytes`, written as fast as the reader takes it. */
  private async endless(response: http.ServerResponse, bytes: number): Promise<void> {
    this.hugeBytesWritten = 0;
    response.writeHead(200, { 'content-type': 'application/json' });
    const item = '{"id":"LMLECC:N-00001","colour":"RED"},'.repeat(1600);
    response.write('{"data":{"notices":[');
    while (this.hugeBytesWritten < bytes && !response.destroyed) {
      this.hugeBytesWritten += item.length;
      if (!response.write(item)) {
        const outcome = await Promise.race([
          new Promise((resolve) => response.once('drain', () => resolve('drain'))),
          new Promise((resolve) => response.once('close', () => resolve('close'))),
        ]);
        if (outcome === 'close') return;
      }
    }
    if (!response.destroyed) response.end('{"id":"LMLECC:N-2"}]}}');
  }
}
