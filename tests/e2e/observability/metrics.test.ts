import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES, startTestFederation, type TestFederation } from '../../helpers/federation.js';
import { labelValues, scrape, valueOf, type Sample } from '../../helpers/prometheus.js';

// The metrics as the federation's own processes serve them: one partner question through
// the gateway moves the gateway's per-agency numbers, each node's request and disclosure
// counts, and the directory's; a stuck node shows as a timeout in the gateway's failures.

const TIMEOUT_MS = 1000;
let fed: TestFederation;

beforeAll(async () => {
  fed = await startTestFederation({ nodeTimeoutMs: TIMEOUT_MS });
});

afterAll(async () => {
  await fed?.stop();
});

const question = 'query ObservedEverywhere { notices(first: 3) { id disclosure agency { code name kind } } }';

/** Every process's samples: the gateway's, the directory's, each node's. */
async function scrapeAll(): Promise<Map<string, Sample[]>> {
  const services = ['gateway', 'directory', ...AGENCIES];
  const samples = await Promise.all(services.map((service) => scrape(fed.federation.url(service))));
  return new Map(services.map((service, i) => [service, samples[i]!]));
}

describe('metrics across the federation', () => {
  it('moves the gateway, directory and node numbers for one partner question', async () => {
    const before = await scrapeAll();
    const result = await fed.query<{ notices: { id: string; disclosure: string }[] }>(question);
    const after = await scrapeAll();
    expect(result.errors).toBeUndefined();
    const delta = (service: string, name: string, labels: Record<string, string> = {}) =>
      valueOf(after.get(service)!, name, labels) - valueOf(before.get(service)!, name, labels);

    for (const agency of AGENCIES) {
      expect(delta('gateway', 'gateway_agency_fetch_duration_seconds_count', { agency, outcome: 'ok' }), agency).toBeGreaterThanOrEqual(1);
      expect(delta('gateway', 'gateway_agency_fetch_failures_total', { agency }), agency).toBe(0);
      expect(delta(agency, 'graphql_request_duration_seconds_count', { service: agency, status: 'ok' }), agency).toBeGreaterThanOrEqual(1);
      // The planner names the node's operation after the partner's: ObservedEverywhere__records__0.
      const operations = [...labelValues(after.get(agency)!, 'graphql_request_duration_seconds_count', 'operation', { service: agency })];
      expect(
        operations.some((operation) => operation.startsWith('ObservedEverywhere')),
        agency,
      ).toBe(true);
      const disclosed = result.data!.notices.filter((notice) => notice.id.startsWith(`${agency}:`));
      for (const level of ['FULL', 'HIT_ONLY']) {
        const expected = disclosed.filter((notice) => notice.disclosure === level).length;
        expect(delta(agency, 'agency_disclosures_total', { level, partner: 'TH-RTP' }), `${agency} ${level}`).toBe(expected);
      }
      expect(delta(agency, 'agency_audit_append_duration_seconds_count', { outcome: 'ok' }), agency).toBe(1);
      expect(delta(agency, 'agency_sql_statements_total'), agency).toBeGreaterThan(0);
    }
    // agency { kind } is the directory's (a name, nodes serve themselves: routing.md).
    expect(delta('directory', 'graphql_request_duration_seconds_count', { service: 'directory', status: 'ok' })).toBeGreaterThanOrEqual(1);
  });

  it("counts a stuck node's call as a timeout at the gateway", async () => {
    const stuck = fed.federation.children.get('LMLECC')!.process;
    const before = await scrape(fed.gatewayUrl);
    stuck.kill('SIGSTOP');
    try {
      const result = await fed.query('{ notices(first: 1) { id } }');
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'LMLECC' });
    } finally {
      stuck.kill('SIGCONT');
    }
    const after = await scrape(fed.gatewayUrl);
    const moved = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(moved('gateway_agency_fetch_failures_total', { agency: 'LMLECC', reason: 'timeout' })).toBe(1);
    expect(moved('gateway_agency_fetch_duration_seconds_count', { agency: 'LMLECC', outcome: 'timeout' })).toBe(1);
    expect(moved('gateway_agency_fetch_duration_seconds_count', { agency: 'INTERPOL', outcome: 'ok' })).toBe(1);
  });
});
