import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

// A node that breaks one promise, built from a real node and a proxy in front of it that
// changes what goes in or comes out (the conformance kit's tests: the kit must name the
// broken promise).

export interface Rogue {
  /** Changes the request's headers or body before the node sees them. */
  request?(headers: Record<string, string>, body: string): { headers: Record<string, string>; body: string };
  /** Changes the node's parsed answer before the caller sees it. */
  answer?(answer: { data?: Record<string, unknown> | null; errors?: Record<string, unknown>[] }): void;
  /** Runs after each answer was passed on, with the request's headers. */
  after?(headers: Record<string, string>): Promise<void> | void;
}

export interface RogueProxy {
  url: string;
  stop(): Promise<void>;
}

export async function startRogueProxy(target: string, rogue: Rogue): Promise<RogueProxy> {
  const server = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      void (async () => {
        let headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name)) headers[name] = value;
        }
        let body = Buffer.concat(chunks).toString('utf8');
        if (rogue.request) ({ headers, body } = rogue.request(headers, body));
        const response = await request(target, {
          method: incoming.method as 'POST',
          headers,
          body: incoming.method === 'GET' ? undefined : body,
        });
        let text = await response.body.text();
        if (rogue.answer) {
          try {
            const answer = JSON.parse(text) as Parameters<NonNullable<Rogue['answer']>>[0];
            rogue.answer(answer);
            text = JSON.stringify(answer);
          } catch {
            // not JSON: passed on as it came
          }
        }
        outgoing.writeHead(response.statusCode, { 'content-type': 'application/json' });
        outgoing.end(text);
        await rogue.after?.(headers);
      })().catch((error: Error) => {
        outgoing.writeHead(502);
        outgoing.end(error.message);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every object in an answer, depth first. */
export function objectsIn(value: unknown, each: (object: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) for (const item of value) objectsIn(item, each);
  else if (value && typeof value === 'object') {
    each(value as Record<string, unknown>);
    for (const child of Object.values(value)) objectsIn(child, each);
  }
}
