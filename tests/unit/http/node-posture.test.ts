import { rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevIssuer, mintToken, type DevIssuer } from '../../../lib/auth/dev-issuer.js';
import type { Service } from '../../../lib/service.js';
import { startAgencyNode, type AgencyNodeOptions } from '../../../subgraphs/agency/server.js';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import { createTestDatabase, type StoreKind, type TestDatabase } from '../../helpers/databases.js';
import { DEV_TRUST, inProcessNodeOptions } from '../../helpers/node.js';

// An agency node's production posture, on real stores: demo data only where it belongs,
// readiness that follows the store, and a shutdown that loses no request in flight.

let dir: string;
let issuer: DevIssuer;
const databases: TestDatabase[] = [];
const nodes: Service[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'node-posture-'));
  issuer = await ensureDevIssuer(dir);
});

afterAll(async () => {
  await Promise.all(nodes.map((node) => node.stop().catch(() => undefined)));
  await Promise.all(databases.map((db) => db.drop()));
  await rm(dir, { recursive: true, force: true });
});

async function database(kind: StoreKind): Promise<TestDatabase> {
  const db = await createTestDatabase(kind, 'posture');
  databases.push(db);
  return db;
}

async function node(database: string, overrides: Partial<AgencyNodeOptions> = {}): Promise<Service> {
  const started = await startAgencyNode(inProcessNodeOptions(dir, { agency: 'EUROPOL', database, ...overrides }));
  nodes.push(started);
  return started;
}

async function ask(url: string, query: string): Promise<Response> {
  const token = await mintToken(issuer, {
    agency: 'EUROPOL',
    circles: [],
    roles: ['officer'],
    sub: 'posture',
    ttl: '10m',
    audience: DEV_TRUST.audience,
  });
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' },
    body: JSON.stringify({ query }),
  });
}

async function holdings(url: string): Promise<number> {
  const answer = (await (await ask(url, '{ cases(first: 100) { id } }')).json()) as { data: { cases: unknown[] } };
  return answer.data.cases.length;
}

async function readiness(url: string): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const response = await fetch(new URL('/ready', url));
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
}

describe('demo data', () => {
  it('is seeded into the embedded default (SQLite) unasked', async () => {
    const started = await node((await database('sqlite')).database);
    expect(await holdings(started.url)).toBeGreaterThan(0);
  });

  it('is not seeded into an empty PostgreSQL database unless asked', async () => {
    const started = await node((await database('postgres')).database);
    expect(await holdings(started.url)).toBe(0);
  });

  it('is seeded into PostgreSQL when SEED_DEMO_DATA=true says so, and never when it says false', async () => {
    expect(await holdings((await node((await database('postgres')).database, { seedDemoData: true })).url)).toBeGreaterThan(0);
    expect(await holdings((await node((await database('sqlite')).database, { seedDemoData: false })).url)).toBe(0);
  });

  it('is not written by a node that cannot hold its port', async () => {
    const first = await node((await database('sqlite')).database, { seedDemoData: false });
    const taken = Number(new URL(first.url).port);
    const db = await database('sqlite');
    await expect(node(db.database, { port: taken })).rejects.toThrow(/EADDRINUSE|in use/i);
    const store = await openStore({ agency: 'EUROPOL', database: db.database });
    try {
      expect(await store.isEmpty()).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('readiness', () => {
  it('turns unready when the SQLite store file is gone', async () => {
    const db = await database('sqlite');
    const started = await node(db.database);
    expect(await readiness(started.url)).toMatchObject({ status: 200, body: { status: 'ready', checks: { store: 'ok' } } });
    await rm(db.database);
    expect(await readiness(started.url)).toMatchObject({ status: 503, body: { status: 'unready' } });
  });

  it('turns unready when the PostgreSQL database is gone', async () => {
    const db = await database('postgres');
    const started = await node(db.database);
    expect((await readiness(started.url)).status).toBe(200);
    await db.drop();
    expect(await readiness(started.url)).toMatchObject({ status: 503, body: { status: 'unready', checks: { store: 'unreachable' } } });
  });
});

describe('shutdown', () => {
  it('finishes every request in flight, and refuses none of them', async () => {
    const started = await node((await database('sqlite')).database);
    const query = '{ cases(first: 100) { id title { text } subjects { names { full } } } }';
    // Connections made beforehand (keep-alive), so every request below reaches the node at once:
    // a connection still in the kernel's accept queue when the node closes is not in flight.
    await Promise.all(Array.from({ length: 24 }, () => ask(started.url, '{ cases(first: 1) { id } }').then((r) => r.text())));
    const inFlight = Array.from({ length: 24 }, () =>
      ask(started.url, query).then(async (r) => ({ status: r.status, body: await r.text() })),
    );
    // Let the requests reach the node, then stop it while they are being answered.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const stopping = started.stop();
    const answers = await Promise.all(inFlight);
    await stopping;
    for (const answer of answers) {
      // An answer, never a reset: 200 with data, or a clear 503 for one that arrived after the close began.
      expect([200, 503]).toContain(answer.status);
      if (answer.status === 200) expect(JSON.parse(answer.body).data.cases.length).toBeGreaterThan(0);
    }
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    await expect(fetch(started.url)).rejects.toThrow();
  });
});
