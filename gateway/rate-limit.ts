import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AuthenticatedContext } from '../lib/auth/authenticate.js';
import type { Directory } from '../lib/config/index.js';
import { metricsRegistry } from '../lib/http/metrics.js';
import type { Logger } from '../lib/logger.js';
import { clip } from '../lib/text.js';

// Per-partner rate limits at the gateway: each verified caller (agency and subject of its
// token) may make `requests` per `windowSeconds`; over that, HTTP 429 with Retry-After and
// RATE_LIMITED, before any node is asked. In memory by default (one budget per gateway
// process); with REDIS_URL, every gateway process spends from one shared budget. If Redis
// cannot be reached the gateway keeps limiting with its own in-memory budget (never open
// to a flood because a cache is down), and says so in its log.

export interface RateLimitSettings {
  /** Per partner: one agency's one subject. */
  requests: number;
  /** Per agency: all its subjects together. */
  agencyRequests: number;
  windowSeconds: number;
}

export const KEY_PREFIX = 'records-gateway:rate';

const limited = new Counter({
  name: 'gateway_rate_limited_total',
  help: 'Requests refused with HTTP 429 because the partner used up its budget, by partner agency (directory agencies; anything else "other").',
  labelNames: ['partner'] as const,
  registers: [metricsRegistry],
});

/** A partner's budget key (under KEY_PREFIX): its agency and a hash of its subject, however long that is. */
export function partnerKey(agency: string, sub: string): string {
  return `${agency}/${createHash('sha256').update(sub).digest('base64url')}`;
}

export interface RateLimiter {
  plugin: ApolloServerPlugin<AuthenticatedContext>;
  /** Resolves once Redis is connected, or after a short wait without it (the local budget then applies). */
  connected(): Promise<void>;
  stop(): Promise<void>;
}

/** How long a starting gateway waits for Redis before it serves on its local budget. */
const CONNECT_WAIT_MS = 3000;

export function createRateLimiter(
  settings: RateLimitSettings,
  options: { redisUrl?: string; directory: Directory; logger: Logger },
): RateLimiter {
  const { logger, directory } = options;
  const duration = settings.windowSeconds;
  let redis: Redis | undefined;
  if (options.redisUrl) {
    // No offline queue and a short command timeout: while Redis is away or hung, a request is
    // answered from the local budget at once instead of waiting for it.
    redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 250 });
    let warned = false;
    redis.on('error', (error: Error) => {
      if (!warned) logger.warn({ err: error.message }, 'rate limits: Redis unreachable, limiting per gateway process until it is back');
      warned = true;
    });
    redis.on('ready', () => (warned = false));
  }
  const limiterOf = (points: number, keyPrefix: string): RateLimiterAbstract => {
    const local = new RateLimiterMemory({ points, duration, keyPrefix });
    return redis ? new RateLimiterRedis({ points, duration, keyPrefix, storeClient: redis, insuranceLimiter: local }) : local;
  };
  const perPartner = limiterOf(settings.requests, KEY_PREFIX);
  const perAgency = limiterOf(settings.agencyRequests, `${KEY_PREFIX}-agency`);
  for (const agency of directory.agencies) limited.inc({ partner: agency.code }, 0);

  const plugin: ApolloServerPlugin<AuthenticatedContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          const caller = contextValue.caller;
          // Introspection without a token (Sandbox loading the schema) is not a partner's request.
          if (!caller) return;
          const partner = directory.hasAgency(caller.agency) ? caller.agency : 'other';
          const refuse = (rejection: unknown, what: string, budget: number) => {
            if (!(rejection instanceof RateLimiterRes)) throw rejection;
            limited.inc({ partner });
            const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
            return new GraphQLError(
              `Rate limit of ${budget} requests per ${settings.windowSeconds} s reached for ${what}; retry after ${retryAfter} s.`,
              { extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } } },
            );
          };
          // The agency's budget first: a refused request stores no key for a subject it never saw.
          // Subjects are hashed into the key: a token's subject may be long.
          const shown = clip(caller.sub, 64);
          try {
            await perAgency.consume(caller.agency);
          } catch (rejection) {
            throw refuse(rejection, `agency ${caller.agency} (all its users)`, settings.agencyRequests);
          }
          try {
            await perPartner.consume(partnerKey(caller.agency, caller.sub));
          } catch (rejection) {
            throw refuse(rejection, `${caller.agency}/${shown}`, settings.requests);
          }
        },
      };
    },
  };
  return {
    plugin,
    async connected() {
      if (!redis || redis.status === 'ready') return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, CONNECT_WAIT_MS);
        redis!.once('ready', done);
      });
    },
    async stop() {
      if (redis) await redis.quit().catch(() => redis!.disconnect());
    },
  };
}
