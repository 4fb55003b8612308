import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import getPort from 'get-port';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_PREFIX, partnerKey } from '../../../gateway/rate-limit.js';
import { PROJECT_ROOT } from '../../../lib/config/index.js';
import {
  AGENCIES,
  metric,
  startTestFederation,
  type CallerSpec,
  type GraphQLResult,
  type TestFederation,
} from '../../helpers/federation.js';
import { scrape, valueOf } from '../../helpers/prometheus.js';

// Per-partner rate limits at the gateway, as a partner meets them: a budget per token
// (agency and subject), HTTP 429 with Retry-After and RATE_LIMITED once it is spent, before
// any node is asked; one budget shared by every gateway process through Redis; and no open
// door when Redis is down (each gateway falls back to its own in-memory budget).

const REDIS_URL = 'redis://127.0.0.1:6379';
/** Nothing listens on port 1: a Redis that cannot be reached. */
const REDIS_DOWN_URL = 'redis://127.0.0.1:1';
/** Reaches every node: a request that got through moves every node's request counter. */
const QUESTION = '{ notices(first: 1) { id } }';

type Answer = GraphQLResult<{ notices?: { id: string }[] }> & { status: number; retryAfter: string | null };

/** A partner of its own: a fresh subject per run, so reruns within a window never share a budget. */
function partner(agency = 'TH-RTP'): CallerSpec {
  return { agency, roles: ['officer'], sub: `rate-${randomUUID()}` };
}

/** A raw request: fed.query does not expose the response headers (Retry-After). */
async function ask(fed: TestFederation, url: string, caller: CallerSpec): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await fed.token(caller)}`,
      'x-purpose': 'CRIMINAL_INVESTIGATION',
    },
    body: JSON.stringify({ query: QUESTION }),
  });
  const body = (await response.json()) as GraphQLResult<{ notices?: { id: string }[] }>;
  return { ...body, status: response.status, retryAfter: response.headers.get('retry-after') };
}

function expectAnswered(answer: Answer, what = ''): void {
  const body = JSON.stringify(answer);
  expect(answer.status, `${what} ${body}`).toBe(200);
  expect(answer.errors, `${what} ${body}`).toBeUndefined();
  expect(answer.data!.notices!.length, `${what} ${body}`).toBeGreaterThan(0);
}

function expectRateLimited(answer: Answer, limit: number, windowSeconds: number): void {
  const body = JSON.stringify(answer);
  expect(answer.status, body).toBe(429);
  expect(answer.retryAfter, body).toMatch(/^\d+$/);
  expect(Number(answer.retryAfter), body).toBeGreaterThanOrEqual(1);
  expect(Number(answer.retryAfter), body).toBeLessThanOrEqual(windowSeconds);
  expect(answer.errors, body).toHaveLength(1);
  const [error] = answer.errors!;
  expect(error!.extensions?.code, body).toBe('RATE_LIMITED');
  expect(error!.message, body).toContain(`${limit} requests per ${windowSeconds} s`);
  expect(error!.message, 'one line').not.toMatch(/[\r\n]/);
  expect(answer.data ?? null, body).toBeNull();
}

/** How many GraphQL requests the four nodes have answered in all. */
async function nodeRequests(fed: TestFederation): Promise<number> {
  const counts = await Promise.all(AGENCIES.map((agency) => metric(fed.nodeUrl(agency), 'agency_graphql_requests_total')));
  return counts.reduce((sum, n) => sum + n, 0);
}

interface ExtraGateway {
  url: string;
  /** Every line the process printed (pino JSON on stdout at LOG_LEVEL warn). */
  lines: string[];
  stop(): Promise<void>;
}

/**
 * Another gateway process in front of the same federation (same federation.json, data
 * directory and dev issuer, so the same tokens pass), as a second replica would run.
 */
async function startExtraGateway(fed: TestFederation, redisUrl: string): Promise<ExtraGateway> {
  const dataDir = fed.config.federation.dataDir;
  const port = await getPort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      // startTestFederation writes the federation's file into its data directory.
      FEDERATION_CONFIG: path.join(dataDir, 'federation.json'),
      DATA_DIR: dataDir,
      GATEWAY_PORT: String(port),
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'warn',
    },
    // An IPC channel: if this test process dies, the gateway sees the disconnect and stops
    // (lib/service.ts) instead of lingering.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => lines.push(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 6000);
    await exited;
    clearTimeout(killer);
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the extra gateway exited with ${child.exitCode}: ${lines.join('\n')}`);
    const health = await fetch(new URL('/health', url)).catch(() => null);
    if (health?.status === 200) return { url, lines, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`the extra gateway did not answer /health within 30 s: ${lines.join('\n')}`);
}

describe('in memory (one gateway)', () => {
  const LIMIT = 5;
  const AGENCY_LIMIT = 12;
  const WINDOW = 60;
  let fed: TestFederation;

  beforeAll(async () => {
    fed = await startTestFederation({
      gateway: { rateLimitRequests: LIMIT, rateLimitAgencyRequests: AGENCY_LIMIT, rateLimitWindowSeconds: WINDOW },
    });
  });

  afterAll(async () => {
    await fed?.stop();
  });

  it('answers a partner five times, then refuses with 429, Retry-After and RATE_LIMITED before any node is asked', async () => {
    const greedy = partner();
    for (let i = 1; i <= LIMIT; i++) expectAnswered(await ask(fed, fed.gatewayUrl, greedy), `request ${i}`);

    const limitedBefore = valueOf(await scrape(fed.gatewayUrl), 'gateway_rate_limited_total', { partner: 'TH-RTP' });
    const nodesBefore = await nodeRequests(fed);
    const refused = await ask(fed, fed.gatewayUrl, greedy);
    expectRateLimited(refused, LIMIT, WINDOW);
    expect(refused.errors![0]!.message).toContain(`TH-RTP/${greedy.sub}`);
    // The refusal costs the nodes nothing.
    expect(await nodeRequests(fed)).toBe(nodesBefore);
    expect(valueOf(await scrape(fed.gatewayUrl), 'gateway_rate_limited_total', { partner: 'TH-RTP' })).toBe(limitedBefore + 1);

    // The budget is the partner's (agency and subject), not the gateway's: another officer of
    // the same agency, and another agency, are still answered; the greedy one stays refused.
    expectAnswered(await ask(fed, fed.gatewayUrl, partner()), 'same agency, other subject');
    expectAnswered(await ask(fed, fed.gatewayUrl, partner('EUROPOL')), 'other agency');
    expectRateLimited(await ask(fed, fed.gatewayUrl, greedy), LIMIT, WINDOW);
  });

  it('limits an agency as a whole: new subjects minted per request do not buy more budget', async () => {
    // INTERPOL's users have not asked yet in this suite: its agency budget is whole.
    let answered = 0;
    let refusal: Answer | undefined;
    for (let i = 0; i < AGENCY_LIMIT + 3 && !refusal; i++) {
      const answer = await ask(fed, fed.gatewayUrl, partner('INTERPOL'));
      if (answer.status === 200) answered++;
      else refusal = answer;
    }
    expect(answered).toBe(AGENCY_LIMIT);
    expectRateLimited(refusal!, AGENCY_LIMIT, WINDOW);
    expect(refusal!.errors![0]!.message).toContain('agency INTERPOL (all its users)');
  });

  describe('with Redis unreachable (a second gateway process of this federation)', () => {
    let gateway: ExtraGateway;

    beforeAll(async () => {
      gateway = await startExtraGateway(fed, REDIS_DOWN_URL);
    });

    afterAll(async () => {
      await gateway?.stop();
    });

    it('still answers, and still refuses past the budget: it limits with its own memory, never opens the door', async () => {
      const caller = partner();
      for (let i = 1; i <= LIMIT; i++) {
        const started = performance.now();
        expectAnswered(await ask(fed, gateway.url, caller), `request ${i}`);
        // Answered from the local budget at once: a request queued for a Redis that never
        // comes back would hang until the test times out.
        expect(performance.now() - started).toBeLessThan(5000);
      }
      expectRateLimited(await ask(fed, gateway.url, caller), LIMIT, WINDOW);
      // ...and says so to the operator.
      expect(
        gateway.lines.some((line) => line.includes('Redis unreachable')),
        gateway.lines.join('\n'),
      ).toBe(true);
    });
  });
});

describe('shared through Redis (two gateway processes)', () => {
  const LIMIT = 6;
  const WINDOW = 60;
  let fed: TestFederation;
  let second: ExtraGateway;
  let redis: Redis;

  /**
   * Waits until a gateway spends from Redis: its Redis connection comes up after it answers
   * /health, and a request before that is counted in its memory instead (which would split
   * the budget). A probe partner's key appearing in Redis shows the connection is used.
   */
  async function spendsFromRedis(url: string): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const probe = partner();
      expectAnswered(await ask(fed, url, probe), 'probe');
      if ((await redis.exists(`${KEY_PREFIX}:${partnerKey('TH-RTP', probe.sub!)}`)) === 1) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${url} never wrote its budget to Redis`);
  }

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    fed = await startTestFederation({
      env: { REDIS_URL },
      gateway: { rateLimitRequests: LIMIT, rateLimitWindowSeconds: WINDOW },
    });
    second = await startExtraGateway(fed, REDIS_URL);
    await Promise.all([spendsFromRedis(fed.gatewayUrl), spendsFromRedis(second.url)]);
  });

  afterAll(async () => {
    await second?.stop();
    await fed?.stop();
    await redis?.quit();
  });

  it('lets a partner alternating between the gateways make six requests in all, not six at each', async () => {
    const caller = partner();
    const gateways = [fed.gatewayUrl, second.url];
    for (let i = 0; i < LIMIT; i++) expectAnswered(await ask(fed, gateways[i % 2]!, caller), `request ${i + 1}`);
    // One budget, held in Redis.
    expect(await redis.get(`${KEY_PREFIX}:${partnerKey('TH-RTP', caller.sub!)}`)).toBe(String(LIMIT));
    // With a budget per process each gateway would still have three requests left.
    expectRateLimited(await ask(fed, gateways[0]!, caller), LIMIT, WINDOW);
    expectRateLimited(await ask(fed, gateways[1]!, caller), LIMIT, WINDOW);
  });
});

describe('refusals metered per client address', () => {
  const REFUSALS = 3;
  let fed: TestFederation;

  beforeAll(async () => {
    fed = await startTestFederation({ gateway: { refusalsPerAddress: REFUSALS, rateLimitWindowSeconds: 60 } });
  });

  afterAll(async () => {
    await fed?.stop();
  });

  it('answers an address that keeps sending refused questions with 429 before parsing, token or not; probes stay open', async () => {
    let selection = '{ id }';
    for (let i = 0; i < 10; i++) selection = i % 2 === 0 ? `{ id subjects ${selection} }` : `{ id cases ${selection} }`;
    const deep = `{ cases(first: 100) ${selection} }`;
    // No token needed to be refused by the shape limits: each costs the gateway a parse and a validation.
    for (let i = 0; i < REFUSALS; i++) {
      const refused = await fed.query(deep, {}, { as: null, purpose: null });
      expect(refused.status, JSON.stringify(refused)).toBe(400);
    }
    const response = await fetch(fed.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: deep }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await response.json()) as GraphQLResult;
    expect(body.errors).toEqual([
      {
        message: expect.stringMatching(/^Too many refused requests from this address \(3 per 60 s\); retry after \d+ s\.$/),
        extensions: { code: 'RATE_LIMITED' },
      },
    ]);
    // Even a good question from a partner at that address waits out the window...
    expect((await fed.query('{ notices(first: 1) { id } }')).status).toBe(429);
    // ...while the probes an operator relies on still answer.
    expect((await fetch(new URL('/health', fed.gatewayUrl))).status).toBe(200);
    expect(valueOf(await scrape(fed.gatewayUrl), 'gateway_refused_address_blocked_total')).toBeGreaterThanOrEqual(2);
  });
});
