import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevIssuer, mintToken, type DevIssuer } from '../../../lib/auth/dev-issuer.js';
import type { Service } from '../../../lib/service.js';
import { startAgencyNode } from '../../../subgraphs/agency/server.js';
import { startDirectory } from '../../../subgraphs/directory/server.js';
import { scrape, valueOf, type Sample } from '../../helpers/prometheus.js';
import { LOOPBACK_HTTP } from '../../helpers/http.js';
import { inProcessNodeOptions, TEST_DIRECTORY } from '../../helpers/node.js';

// An agency node started in-process on a temporary SQLite store, asked over HTTP: each of
// its metrics on /metrics moves when its event happens, and only then.

const OWNER = 'EUROPOL';
const PARTNER = 'TH-RTP';
const directory = TEST_DIRECTORY;
const logger = pino({ level: 'silent' });
const http = LOOPBACK_HTTP;

let dir: string;
let issuer: DevIssuer;
let node: Service;
let directoryService: Service;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'node-metrics-'));
  issuer = await ensureDevIssuer(dir);
  node = await startAgencyNode(
    inProcessNodeOptions(dir, { agency: OWNER, database: path.join(dir, 'europol.sqlite'), seedDemoData: true, logger }),
  );
  directoryService = await startDirectory({ port: 0, directory, http, logger });
});

afterAll(async () => {
  await node?.stop();
  await directoryService?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function ask(query: string, as: string | null = PARTNER) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-purpose': 'CRIMINAL_INVESTIGATION' };
  if (as) {
    const token = await mintToken(issuer, {
      agency: as,
      circles: directory.circlesOf(as),
      roles: ['officer'],
      sub: 'officer-1',
      ttl: '10m',
      audience: 'records-federation',
    });
    headers.authorization = `Bearer ${token}`;
  }
  const response = await fetch(node.url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  return (await response.json()) as { data?: { notices?: { id: string; disclosure: 'FULL' | 'HIT_ONLY' }[] } | null; errors?: unknown[] };
}

/** How much each number moved between two scrapes. */
function moved(before: Sample[], after: Sample[]) {
  return (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);
}

describe('an agency node', () => {
  it('counts a partner query: request, disclosures by level and partner, the ledger append, its SQL', async () => {
    const before = await scrape(node.url);
    const answer = await ask('query MetricsProbe { notices(first: 30) { id disclosure } }');
    const after = await scrape(node.url);
    expect(answer.errors).toBeUndefined();
    const notices = answer.data!.notices!;
    expect(notices.length).toBeGreaterThan(0);
    const delta = moved(before, after);

    expect(delta('graphql_request_duration_seconds_count', { service: OWNER, operation: 'MetricsProbe', status: 'ok' })).toBe(1);
    expect(delta('agency_graphql_requests_total')).toBe(1);

    const full = notices.filter((notice) => notice.disclosure === 'FULL').length;
    const hitOnly = notices.filter((notice) => notice.disclosure === 'HIT_ONLY').length;
    expect(delta('agency_disclosures_total', { level: 'FULL', partner: PARTNER })).toBe(full);
    expect(delta('agency_disclosures_total', { level: 'HIT_ONLY', partner: PARTNER })).toBe(hitOnly);
    expect(delta('agency_disclosures_total')).toBe(notices.length);

    expect(delta('agency_audit_append_duration_seconds_count', { outcome: 'ok' })).toBe(1);
    expect(delta('agency_audit_append_duration_seconds_sum')).toBeGreaterThan(0);

    const statements = delta('agency_sql_statements_total');
    // The reads, and the ledger's head read and insert.
    expect(statements).toBeGreaterThanOrEqual(3);
    expect(delta('agency_sql_query_duration_seconds_count')).toBe(statements);
    expect(delta('agency_sql_query_duration_seconds_sum')).toBeGreaterThan(0);
  });

  it('says refused for a request without a token, and counts no disclosure and no ledger write', async () => {
    const before = await scrape(node.url);
    const answer = await ask('query MetricsProbe { notices(first: 5) { id } }', null);
    const after = await scrape(node.url);
    expect(answer.errors).toBeDefined();
    const delta = moved(before, after);
    expect(delta('graphql_request_duration_seconds_count', { service: OWNER, status: 'refused' })).toBe(1);
    expect(delta('graphql_request_duration_seconds_count', { service: OWNER, status: 'ok' })).toBe(0);
    expect(delta('agency_disclosures_total')).toBe(0);
    expect(delta('agency_audit_append_duration_seconds_count')).toBe(0);
  });

  it("counts no disclosure when the owner's own staff read their records", async () => {
    const before = await scrape(node.url);
    const answer = await ask('query OwnRead { notices(first: 5) { id } }', OWNER);
    const after = await scrape(node.url);
    expect(answer.data?.notices?.length).toBeGreaterThan(0);
    const delta = moved(before, after);
    expect(delta('graphql_request_duration_seconds_count', { service: OWNER, operation: 'OwnRead', status: 'ok' })).toBe(1);
    expect(delta('agency_disclosures_total')).toBe(0);
    expect(delta('agency_audit_append_duration_seconds_count')).toBe(0);
  });

  it('starts every directory partner at zero, so the first disclosure to anyone shows in increase()', async () => {
    const samples = await scrape(node.url);
    const partners = new Set(samples.filter((s) => s.name === 'agency_disclosures_total').map((s) => s.labels.partner));
    for (const agency of directory.agencies) expect(partners, agency.code).toContain(agency.code);
  });
});

describe('the directory', () => {
  it('times its requests under service "directory"', async () => {
    const before = await scrape(directoryService.url);
    const response = await fetch(directoryService.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Partners { agencies { code } }' }),
    });
    expect(response.status).toBe(200);
    const after = await scrape(directoryService.url);
    expect(
      moved(before, after)('graphql_request_duration_seconds_count', { service: 'directory', operation: 'Partners', status: 'ok' }),
    ).toBe(1);
  });
});
