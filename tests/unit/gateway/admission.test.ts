import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { admission } from '../../../gateway/admission.js';

// The gateway works on at most maxInFlight questions; the next wait their turn, first come
// first served, for at most queueTimeoutMs, then get 503 OVERLOADED with a Retry-After. A turn
// is given back when the answer is sent or the caller hangs up. Real HTTP, hooks as serve.ts
// wires them.

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A server whose answers wait until `release()` is called for them, in order. */
async function serverWith(maxInFlight: number, queueTimeoutMs: number) {
  const guard = admission({ maxInFlight, queueTimeoutMs });
  const waiting: (() => void)[] = [];
  let started = 0;
  app = Fastify();
  app.addHook('onRequest', async (request, reply) => {
    if (await guard.onRequest(request, reply)) return reply;
  });
  app.post('/', async () => {
    started += 1;
    await new Promise<void>((resolve) => waiting.push(resolve));
    return { data: { ok: true } };
  });
  app.get('/health', async () => ({ status: 'ok' }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    started: () => started,
    release: () => waiting.shift()?.(),
    ask: (signal?: AbortSignal) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal }),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

it('works on at most maxInFlight questions, gives the next its turn when one is answered', async () => {
  const server = await serverWith(2, 5000);
  const answers = [server.ask(), server.ask(), server.ask()];
  await settle();
  expect(server.started()).toBe(2);
  server.release();
  expect((await answers[0]!).status).toBe(200);
  await settle();
  expect(server.started()).toBe(3);
  server.release();
  server.release();
  expect((await answers[1]!).status).toBe(200);
  expect((await answers[2]!).status).toBe(200);
});

it('answers 503 OVERLOADED with a Retry-After to a question that waited too long, and never blocks probes', async () => {
  const server = await serverWith(1, 200);
  const first = server.ask();
  await settle();
  const started = Date.now();
  const refused = await server.ask();
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('1');
  const body = (await refused.json()) as { errors: { message: string; extensions: { code: string } }[] };
  expect(body.errors[0]!.extensions.code).toBe('OVERLOADED');
  expect(body.errors[0]!.message).toMatch(/^The gateway is busy: 1 questions are being answered/);
  expect((await fetch(new URL('/health', server.url))).status).toBe(200);
  server.release();
  expect((await first).status).toBe(200);
});

it('takes back the turn of a caller that hangs up, working or waiting', async () => {
  const server = await serverWith(1, 5000);
  const working = new AbortController();
  const waiting = new AbortController();
  const first = server.ask(working.signal).catch(() => 'gone');
  await settle();
  const second = server.ask(waiting.signal).catch(() => 'gone');
  await settle();
  waiting.abort();
  await settle();
  working.abort();
  expect(await first).toBe('gone');
  expect(await second).toBe('gone');
  await settle();
  // Both turns are back: a new question is worked on at once.
  const third = server.ask();
  await settle();
  expect(server.started()).toBe(2);
  server.release(); // the first question's handler
  server.release(); // the third's
  expect((await third).status).toBe(200);
});
