import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEADLINE_HEADER } from '../../../lib/limits/deadline.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { startTestFederation, type TestFederation } from '../../helpers/federation.js';
import { scrape, valueOf } from '../../helpers/prometheus.js';

// A broken network and a rogue node, between the gateway and a real LMLECC node: each fault
// gives the partner a named error within the node timeout and the other agencies' records,
// the gateway reads no more than its cap, a node that keeps failing is answered at once
// until its cool-down has passed, and a node stops work when the gateway stops waiting.

const TIMEOUT_MS = 1000;
const FAILURES = 4;
const COOL_DOWN_MS = 1500;

let fed: TestFederation;
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await FaultProxy.start();
  fed = await startTestFederation({
    nodeTimeoutMs: TIMEOUT_MS,
    urls: { LMLECC: proxy.url },
    gateway: { breakerFailures: FAILURES, breakerCoolDownMs: COOL_DOWN_MS, maxAnswerBytes: 1024 * 1024 },
  });
  proxy.target = fed.nodeUrl('LMLECC');
});

afterAll(async () => {
  await fed?.stop();
  await proxy?.stop();
});

type Notices = { notices: { id: string }[] };
const QUESTION = '{ notices(first: 3) { id colour } }';

/** Back to a healthy LMLECC with a closed circuit, so each test starts from the same place. */
afterEach(async () => {
  proxy.fault = { kind: 'pass' };
  const until = Date.now() + COOL_DOWN_MS + 3000;
  while (Date.now() < until) {
    const result = await fed.query(QUESTION);
    if (!result.errors) return;
    await sleep(200);
  }
  throw new Error('LMLECC did not come back after the fault');
});

async function ask(): Promise<{ result: Awaited<ReturnType<TestFederation['query']>> & { data?: Notices | null }; ms: number }> {
  const started = performance.now();
  const result = (await fed.query<Notices>(QUESTION)) as Awaited<ReturnType<TestFederation['query']>> & { data?: Notices | null };
  return { result, ms: performance.now() - started };
}

function owners(result: { data?: Notices | null }): string[] {
  return [...new Set(result.data!.notices.map((notice) => notice.id.split(':')[0]!))];
}

function onlyError(result: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) {
  expect(result.errors).toHaveLength(1);
  return result.errors![0]!;
}

describe('a broken network between the gateway and a node', () => {
  it('passes the node its remaining time, so the node can stop when the gateway stops waiting', async () => {
    const { result } = await ask();
    expect(result.errors).toBeUndefined();
    const budget = Number(proxy.lastHeaders[DEADLINE_HEADER]);
    expect(budget).toBeGreaterThan(0);
    expect(budget).toBeLessThanOrEqual(TIMEOUT_MS);
  });

  it('a slow node: "is slow", reason timeout, within the node timeout, the others answered', async () => {
    proxy.fault = { kind: 'delay', ms: TIMEOUT_MS * 3 };
    const { result, ms } = await ask();
    expect(ms).toBeLessThan(TIMEOUT_MS + 1000);
    expect(owners(result)).toEqual(['INTERPOL', 'EUROPOL', 'ASEANAPOL']);
    const error = onlyError(result);
    expect(error.message).toMatch(/^Agency LMLECC is slow: it did not answer within 1000 ms/);
    expect(error.extensions).toEqual({ code: 'AGENCY_UNAVAILABLE', agency: 'LMLECC', reason: 'timeout' });
  });

  it('a connection reset: asked once more, then "is down", reason unreachable', async () => {
    proxy.fault = { kind: 'reset' };
    const before = proxy.requests;
    const { result, ms } = await ask();
    expect(ms).toBeLessThan(TIMEOUT_MS);
    expect(proxy.requests - before).toBe(2);
    expect(onlyError(result).extensions).toEqual({ code: 'AGENCY_UNAVAILABLE', agency: 'LMLECC', reason: 'unreachable' });
    expect(owners(result)).toEqual(['INTERPOL', 'EUROPOL', 'ASEANAPOL']);
  });

  it('garbage instead of GraphQL: reason bad_response, nothing of it passed on', async () => {
    proxy.fault = { kind: 'garbage' };
    const { result } = await ask();
    const error = onlyError(result);
    expect(error.extensions).toEqual({ code: 'AGENCY_UNAVAILABLE', agency: 'LMLECC', reason: 'bad_response' });
    expect(JSON.stringify(result)).not.toMatch(/html|upstream|502/);
  });

  it('a 100 MB answer: reason too_large, and the gateway stops reading near its 1 MiB cap', async () => {
    proxy.fault = { kind: 'huge', bytes: 100 * 1024 * 1024 };
    const { result, ms } = await ask();
    expect(ms).toBeLessThan(TIMEOUT_MS + 1000);
    expect(onlyError(result).extensions).toEqual({ code: 'AGENCY_UNAVAILABLE', agency: 'LMLECC', reason: 'too_large' });
    expect(owners(result)).toEqual(['INTERPOL', 'EUROPOL', 'ASEANAPOL']);
    // What the proxy got written before the gateway hung up: the cap plus what sat in socket buffers.
    await sleep(100);
    expect(proxy.hugeBytesWritten).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('a rogue node', () => {
  it("relabels its records as INTERPOL's: they are dropped, with an error naming LMLECC", async () => {
    proxy.fault = {
      kind: 'rewrite',
      change: (answer) => {
        for (const notice of (answer.data?.notices ?? []) as { id: string }[])
          notice.id = notice.id.replace(/^LMLECC:/, 'INTERPOL:FORGED-');
      },
    };
    const { result } = await ask();
    expect(JSON.stringify(result.data)).not.toMatch(/FORGED/);
    expect(owners(result)).toEqual(['INTERPOL', 'EUROPOL', 'ASEANAPOL']);
    const error = onlyError(result);
    expect(error.extensions).toEqual({ code: 'FOREIGN_RECORD', agency: 'LMLECC' });
    expect(error.message).toMatch(/^Agency LMLECC's node sent 3 records under another agency's name \(INTERPOL:FORGED-/);
  });

  it('answers fewer entities than it was asked for: reason wrong_answer, no value lands on another agency', async () => {
    const honest = await fed.query<{ agencies: { code: string; holdings: { notices: number } | null }[] }>(
      '{ agencies { code holdings { notices } } }',
    );
    expect(honest.errors).toBeUndefined();
    proxy.fault = {
      kind: 'rewrite',
      change: (answer) => {
        const entities = answer.data?._entities;
        if (Array.isArray(entities)) entities.pop();
      },
    };
    const result = await fed.query<{ agencies: { code: string; holdings: { notices: number } | null }[] }>(
      '{ agencies { code holdings { notices } } }',
    );
    const error = onlyError(result);
    expect(error.extensions).toEqual({ code: 'AGENCY_UNAVAILABLE', agency: 'LMLECC', reason: 'wrong_answer' });
    // Every other agency's holdings are exactly what they were; LMLECC's are missing, not shifted.
    const holdings = (answer: typeof result) => Object.fromEntries(answer.data!.agencies.map((a) => [a.code, a.holdings]));
    expect(holdings(result)).toEqual({ ...holdings(honest), LMLECC: null });
  });
});

describe('circuit per node', () => {
  it(`opens after ${FAILURES} failures in a row (answered at once, node not asked), closes after the cool-down`, async () => {
    proxy.fault = { kind: 'reset' };
    // Each read is asked twice: two questions are four failures.
    await ask();
    await ask();
    const asked = proxy.requests;
    const { result, ms } = await ask();
    expect(proxy.requests).toBe(asked);
    expect(ms).toBeLessThan(500);
    const error = onlyError(result);
    expect(error.extensions).toEqual({ code: 'AGENCY_UNAVAILABLE', agency: 'LMLECC', reason: 'circuit_open' });
    expect(error.message).toMatch(/LMLECC is down: it failed 4 times in a row and is not asked again for 2 s/);
    const open = await scrape(fed.gatewayUrl);
    expect(valueOf(open, 'gateway_agency_circuit_state', { agency: 'LMLECC' })).toBe(1);

    proxy.fault = { kind: 'pass' };
    await sleep(COOL_DOWN_MS + 100);
    const probed = await ask();
    expect(probed.result.errors).toBeUndefined();
    expect(owners(probed.result)).toContain('LMLECC');
    const closed = await scrape(fed.gatewayUrl);
    expect(valueOf(closed, 'gateway_agency_circuit_state', { agency: 'LMLECC' })).toBe(0);
  });
});

describe('deadlines at a node', () => {
  it('stops resolving past the deadline the caller sent, and counts it', async () => {
    const node = fed.nodeUrl('EUROPOL');
    const before = valueOf(await scrape(node), 'agency_requests_stopped_total', { reason: 'deadline' });
    const response = await fetch(node, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await fed.token({ agency: 'TH-RTP', roles: ['officer'] })}`,
        'x-purpose': 'CRIMINAL_INVESTIGATION',
        [DEADLINE_HEADER]: '1',
      },
      body: JSON.stringify({ query: '{ subjects(first: 100) { id names { full } cases { id title { text } } } }' }),
    });
    const answer = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(answer.errors?.some((error) => error.extensions?.code === 'DEADLINE_EXCEEDED')).toBe(true);
    const after = valueOf(await scrape(node), 'agency_requests_stopped_total', { reason: 'deadline' });
    expect(after - before).toBe(1);
  });

  it('stops resolving when its caller hangs up (as the gateway does when it gives up), and counts it', async () => {
    const node = fed.nodeUrl('EUROPOL');
    const stopped = async () => valueOf(await scrape(node), 'agency_requests_stopped_total', { reason: 'abandoned' });
    const before = await stopped();
    // Four deep lists, just within the node's cost limit: some 140-350 ms of work; the caller leaves after 20.
    const list = (alias: string) => `${alias}: cases(first: 100) { id subjects { id cases { id subjects { id } } } }`;
    const deep = `{ ${['a', 'b', 'c', 'd'].map(list).join(' ')} }`;
    // A plain HTTP request on its own connection, destroyed 20 ms after it was sent: the node sees the hang-up.
    const token = await fed.token({ agency: 'TH-RTP', roles: ['officer'] });
    await new Promise<void>((resolve) => {
      const request = http.request(node, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' },
      });
      request.on('error', () => resolve());
      request.on('close', () => resolve());
      request.end(JSON.stringify({ query: deep }), () => setTimeout(() => request.destroy(), 20));
    });
    const until = Date.now() + 3000;
    while ((await stopped()) === before && Date.now() < until) await sleep(50);
    expect((await stopped()) - before).toBe(1);
  });

  it('answers the same question in full without a deadline header (the node budget is seconds)', async () => {
    const result = await fed.query(
      '{ subjects(first: 100) { id names { full } cases { id title { text } } } }',
      {},
      { url: fed.nodeUrl('EUROPOL') },
    );
    expect(result.errors).toBeUndefined();
  });
});
