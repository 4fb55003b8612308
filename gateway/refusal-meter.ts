import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter } from 'prom-client';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { metricsRegistry } from '../lib/http/metrics.js';
import type { RequestGuard } from '../lib/http/serve.js';

// Questions refused by the shape limits are refused before anyone is authenticated or
// rate-limited (GraphQL parses and validates before Apollo's admission hooks run), so they
// need no token: an address could send refused questions as fast as the gateway can refuse
// them. This meters refusals per client address: past `refusals` answers of 4xx (other
// than its own 429) in a window, an address is answered 429 at once, before its request
// is parsed. Honest partners are rarely refused; their budget of good requests is the
// per-partner rate limit. Per gateway process, in memory. Behind a proxy every request
// comes from the proxy's address: put the limit there instead (docs/production.md).

export interface RefusalSettings {
  refusals: number;
  windowSeconds: number;
}

const blocked = new Counter({
  name: 'gateway_refused_address_blocked_total',
  help: 'Requests answered 429 before parsing because their address was refused too often in the window.',
  registers: [metricsRegistry],
});

/** Paths that are never metered: probes and scrapes. */
const OPEN = new Set(['/health', '/ready', '/metrics']);

export function refusalMeter(settings: RefusalSettings): RequestGuard {
  const meter = new RateLimiterMemory({ points: settings.refusals, duration: settings.windowSeconds, keyPrefix: 'refusals' });
  return {
    async onRequest(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
      if (OPEN.has(request.url.split('?')[0]!)) return false;
      const spent = await meter.get(request.ip);
      if (!spent || spent.consumedPoints < settings.refusals) return false;
      blocked.inc();
      const retryAfter = Math.max(1, Math.ceil(spent.msBeforeNext / 1000));
      await reply
        .code(429)
        .header('retry-after', String(retryAfter))
        .send({
          errors: [
            {
              message: `Too many refused requests from this address (${settings.refusals} per ${settings.windowSeconds} s); retry after ${retryAfter} s.`,
              extensions: { code: 'RATE_LIMITED' },
            },
          ],
        });
      return true;
    },
    async onResponse(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const status = reply.statusCode;
      if (status >= 400 && status < 500 && status !== 429 && !OPEN.has(request.url.split('?')[0]!)) await meter.penalty(request.ip, 1);
    },
  };
}
