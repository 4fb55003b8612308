import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../lib/http/metrics.js';
import type { RequestGuard } from '../lib/http/serve.js';

// How many partner questions the gateway works on at once. Past its capacity, more questions
// in flight only make every node's queue longer than the node timeout: the nodes time out,
// their circuits open, and nearly every answer comes back without them (docs/performance.md,
// soak). So at most `maxInFlight` questions are worked on; the next ones wait their turn, first
// come first served, for at most `queueTimeoutMs`, and the rest are answered 503 at once with
// a Retry-After: a clear "busy" a partner can act on, while the questions being worked on get
// full answers. Per gateway process, in memory.

export interface AdmissionSettings {
  maxInFlight: number;
  queueTimeoutMs: number;
}

const inFlightGauge = new Gauge({
  name: 'gateway_requests_in_flight',
  help: 'Partner questions the gateway is working on (at most gateway.maxConcurrentRequests).',
  registers: [metricsRegistry],
});
const queuedGauge = new Gauge({
  name: 'gateway_requests_queued',
  help: 'Partner questions waiting for their turn.',
  registers: [metricsRegistry],
});
const shed = new Counter({
  name: 'gateway_requests_shed_total',
  help: 'Partner questions answered 503 because they waited gateway.queueTimeoutMs without a turn.',
  registers: [metricsRegistry],
});

/** Paths that never wait: probes and scrapes. */
const OPEN = new Set(['/health', '/ready', '/metrics']);

export function admission(settings: AdmissionSettings): RequestGuard {
  let inFlight = 0;
  const queue: (() => void)[] = [];

  const next = () => {
    const wake = queue.shift();
    queuedGauge.set(queue.length);
    if (wake) wake();
    else inFlight -= 1;
    inFlightGauge.set(inFlight);
  };

  /** Resolves true with a turn, false after the wait; a turn is handed over, never lost. */
  const turn = (): Promise<boolean> => {
    if (inFlight < settings.maxInFlight) {
      inFlight += 1;
      inFlightGauge.set(inFlight);
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const index = queue.indexOf(wake);
        if (index >= 0) queue.splice(index, 1);
        queuedGauge.set(queue.length);
        resolve(false);
      }, settings.queueTimeoutMs);
      queue.push(wake);
      queuedGauge.set(queue.length);
    });
  };

  return {
    async onRequest(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
      if (OPEN.has(request.url.split('?')[0]!)) return false;
      // The turn is given back when the answer is sent or the caller hangs up, once; a caller
      // that hung up while waiting gives its turn back as soon as it gets one.
      const call: { state: 'waiting' | 'working' | 'gone' } = { state: 'waiting' };
      reply.raw.once('close', () => {
        if (call.state === 'working') next();
        call.state = 'gone';
      });
      const granted = await turn();
      if (granted && call.state !== 'gone') {
        call.state = 'working';
        return false;
      }
      if (granted) {
        // Its caller hung up while it waited: the turn goes to the next, the question is not worked on.
        next();
      } else {
        shed.inc();
      }
      await reply
        .code(503)
        .header('retry-after', '1')
        .send({
          errors: [
            {
              message: `The gateway is busy: ${settings.maxInFlight} questions are being answered and yours waited ${settings.queueTimeoutMs} ms for its turn; retry after 1 s.`,
              extensions: { code: 'OVERLOADED' },
            },
          ],
        });
      return true;
    },
    async onResponse(): Promise<void> {},
  };
}

/** Both guards in turn: the first that answers a request ends it. */
export function guards(...all: RequestGuard[]): RequestGuard {
  return {
    async onRequest(request, reply) {
      for (const guard of all) if (await guard.onRequest(request, reply)) return true;
      return false;
    },
    async onResponse(request, reply) {
      for (const guard of all) await guard.onResponse(request, reply);
    },
  };
}
