import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFederation, type TestFederation } from '../../helpers/federation.js';

// The federation as an operator and a partner developer meet it: services on loopback only,
// one request id from the gateway to every node's log line and ledger entry, the
// development token offered to this machine's browser only, CORS from an allow-list,
// requests in the wrong shape told how to send them, and readiness that names the nodes.

let fed: TestFederation;

beforeAll(async () => {
  fed = await startTestFederation({ logLevel: 'info' });
});

afterAll(async () => {
  await fed?.stop();
});

async function auditorTrail(agency: string): Promise<{ detail: string | null; callerAgency: string }[]> {
  const answer = await fed.query<{ auditTrail: { detail: string | null; callerAgency: string }[] }>(
    'query Trail($agency: ID!) { auditTrail(agency: $agency, first: 100) { callerAgency detail } }',
    { agency },
    { as: { agency, roles: ['auditor'] }, url: fed.nodeUrl(agency) },
  );
  expect(answer.errors).toBeUndefined();
  return answer.data!.auditTrail;
}

function logLine(service: string, requestId: string): Record<string, unknown> | undefined {
  for (const line of fed.logs) {
    if (!line.startsWith(`[${service}] `)) continue;
    const json = line.slice(service.length + 3);
    if (!json.includes(requestId)) continue;
    const entry = JSON.parse(json) as Record<string, unknown>;
    if (entry.msg === 'request') return entry;
  }
  return undefined;
}

async function eventually<T>(find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('not found in time');
}

describe('one request, one id, everywhere', () => {
  it('carries the caller’s X-Request-Id to the answer, each service’s log line and the owner’s ledger', async () => {
    const requestId = `ops-${Date.now()}`;
    const token = await fed.token({ agency: 'TH-RTP', roles: ['officer'] });
    const response = await fetch(fed.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-purpose': 'CRIMINAL_INVESTIGATION',
        'x-request-id': requestId,
      },
      body: JSON.stringify({ query: 'query OpsTrace { cases(first: 2, agencies: ["EUROPOL"]) { id disclosure } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const body = (await response.json()) as { data: { cases: { id: string }[] } };
    expect(body.data.cases.length).toBeGreaterThan(0);

    const gateway = await eventually(() => logLine('gateway', requestId));
    expect(gateway).toMatchObject({ status: 200, operation: 'OpsTrace', callerAgency: 'TH-RTP', purpose: 'CRIMINAL_INVESTIGATION' });
    expect(gateway.fetches).toEqual(expect.arrayContaining([expect.objectContaining({ agency: 'EUROPOL' })]));
    const node = await eventually(() => logLine('EUROPOL', requestId));
    expect(node).toMatchObject({ status: 200, callerAgency: 'TH-RTP', purpose: 'CRIMINAL_INVESTIGATION' });
    // The gateway names the fetch after the partner's operation.
    expect(String(node.operation)).toContain('OpsTrace');

    const trail = await auditorTrail('EUROPOL');
    const entry = trail.find((e) => e.detail && JSON.parse(e.detail).requestId === requestId);
    expect(entry?.callerAgency).toBe('TH-RTP');
  });

  it('makes an id for a request that brings none (or a malformed one), a new one each time', async () => {
    const ids = await Promise.all(
      [undefined, 'bad id with spaces'].map(async (given) => {
        const response = await fetch(fed.gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(given ? { 'x-request-id': given } : {}) },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        return response.headers.get('x-request-id');
      }),
    );
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });
});

describe('safe by default', () => {
  it('binds every service to the loopback address', () => {
    for (const service of ['gateway', 'directory', 'INTERPOL', 'EUROPOL', 'ASEANAPOL', 'LMLECC']) {
      expect(new URL(fed.federation.url(service)).hostname).toBe('127.0.0.1');
    }
  });

  it('offers the development token to a browser on this machine only, not to a page under another host name', async () => {
    // node:http, because fetch does not let a caller set the Host header.
    const page = (host: string) =>
      new Promise<string>((resolve, reject) => {
        http
          .get(fed.gatewayUrl, { headers: { accept: 'text/html', host } }, (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (body += chunk));
            response.on('end', () => resolve(body));
          })
          .on('error', reject);
      });
    const local = await page(`localhost:${new URL(fed.gatewayUrl).port}`);
    expect(local).toContain('Bearer ');
    // DNS rebinding: a hostile site's name resolved to this machine.
    const rebound = await page('records.attacker.example');
    expect(rebound).toContain('<html');
    expect(rebound).not.toContain('Bearer ');
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(fed.gatewayUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect((await preflight('http://localhost:5173')).headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect((await preflight('https://attacker.example')).headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(fed.gatewayUrl, {
      method: 'POST',
      headers: { origin: 'https://attacker.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('requests in the wrong shape', () => {
  it('tells a text/plain POST to send application/json', async () => {
    const response = await fetch(fed.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"query":"{ __typename }"}',
    });
    expect(response.status).toBe(415);
    const { errors } = (await response.json()) as { errors: { message: string }[] };
    expect(errors[0]!.message).toContain('content-type: application/json');
    expect(errors[0]!.message).not.toMatch(/\n/);
  });

  it('tells a GET without the preflight header which header to send, and answers one that has it', async () => {
    const url = `${fed.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`;
    const refused = await fetch(url);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: { message: string }[] }).errors[0]!.message).toContain('apollo-require-preflight: true');
    const answered = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(((await answered.json()) as { data: unknown }).data).toEqual({ __typename: 'Query' });
  });

  it('says where GraphQL is for any other path, and nothing more', async () => {
    const response = await fetch(new URL('/graphql/../admin', fed.gatewayUrl));
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text).toContain('GraphQL is at /');
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|stack/i);
  });
});

describe('readiness', () => {
  it('names every node at the gateway, and stays ready with one node down', async () => {
    const ready = await fetch(new URL('/ready', fed.gatewayUrl));
    expect(ready.status).toBe(200);
    const { checks } = (await ready.json()) as { checks: Record<string, string> };
    expect(checks).toMatchObject({ directory: 'ready', INTERPOL: 'ready', EUROPOL: 'ready', ASEANAPOL: 'ready', LMLECC: 'ready' });

    await fed.federation.kill('LMLECC');
    // The gateway answers /ready from one check a second (it is open to anyone); wait for a fresh one.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const partial = await fetch(new URL('/ready', fed.gatewayUrl));
    expect(partial.status).toBe(200);
    expect(((await partial.json()) as { checks: Record<string, string> }).checks.LMLECC).toBe('unreachable');
  });
});

describe('operation limits', () => {
  function nested(levels: number): string {
    let selection = '{ id }';
    for (let i = 0; i < levels; i++) selection = i % 2 === 0 ? `{ id subjects ${selection} }` : `{ id cases ${selection} }`;
    return `{ cases(first: 100, agencies: ["LMLECC"]) ${selection} }`;
  }

  it('refuses the ten-level nested question at the gateway and at a node directly, at once, with one line', async () => {
    for (const url of [fed.gatewayUrl, fed.nodeUrl('EUROPOL')]) {
      const started = performance.now();
      const answer = await fed.query(nested(10), {}, { url });
      expect(performance.now() - started).toBeLessThan(2000);
      expect(answer.status).toBe(400);
      expect(answer.errors![0]!.message).toMatch(/^Query depth limit of 10 exceeded, found \d+\.$/);
    }
    // The federation still answers an ordinary question.
    const normal = await fed.query<{ cases: unknown[] }>('{ cases(first: 5) { id } }');
    expect(normal.data!.cases.length).toBeGreaterThan(0);
  });

  it('refuses the 10,000-alias question by its length, at the gateway and a node, naming the limit', async () => {
    const aliases = `{ notices(first: 100) { ${Array.from({ length: 10_000 }, (_, i) => `a${i}: id`).join(' ')} } }`;
    for (const url of [fed.gatewayUrl, fed.nodeUrl('EUROPOL')]) {
      const answer = await fed.query(aliases, {}, { url });
      expect(answer.status).toBe(400);
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors![0]).toMatchObject({
        message: 'Token limit of 3000 exceeded: the document is longer; send a shorter question.',
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      });
    }
  });

  it('keeps answering a normal question while both attacks are sent over and over', async () => {
    const aliases = `{ notices(first: 100) { ${Array.from({ length: 10_000 }, (_, i) => `a${i}: id`).join(' ')} } }`;
    let attacking = true;
    const attackers = Array.from({ length: 4 }, async (_, i) => {
      while (attacking) await fed.query(i % 2 === 0 ? nested(10) : aliases);
    });
    try {
      for (let i = 0; i < 5; i++) {
        // LMLECC was stopped by an earlier test: the question goes to the nodes that are up.
        const normal = await fed.query<{ notices: unknown[] }>(
          '{ notices(first: 5, agencies: ["INTERPOL", "EUROPOL"]) { id subject { id } } }',
        );
        expect(normal.status).toBe(200);
        expect(normal.errors, JSON.stringify(normal.errors)).toBeUndefined();
        expect(normal.data!.notices.length).toBeGreaterThan(0);
      }
    } finally {
      attacking = false;
      await Promise.all(attackers);
    }
  });

  it('refuses a question whose lists multiply past the cost limit, naming it', async () => {
    const answer = await fed.query(nested(5));
    expect(answer.status).toBe(400);
    expect(answer.errors![0]!.message).toMatch(/^Query cost limit of \d+ exceeded, found \d+/);
  });
});
