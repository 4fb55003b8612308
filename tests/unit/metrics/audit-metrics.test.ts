import type { GraphQLRequestContextWillSendResponse, GraphQLRequestListener } from '@apollo/server';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Directory, type AgencyEntry } from '../../../lib/config/directory.js';
import { auditPlugin } from '../../../subgraphs/agency/audit/plugin.js';
import type { NodeContext } from '../../../subgraphs/agency/context.js';
import { auditMetrics } from '../../../subgraphs/agency/metrics.js';
import { DisclosureRecord } from '../../../subgraphs/agency/reader/disclosures.js';
import type { RecordStore } from '../../../subgraphs/agency/store/store.js';
import { labelValues, scrapeThisProcess, valueOf } from '../../helpers/prometheus.js';

// The audit plugin's numbers where a running node cannot easily be made to fail: a ledger
// that cannot be written, and a partner the directory does not know.

const agency = (code: string): AgencyEntry => ({ code, name: code, kind: 'NATIONAL', region: 'Asia', languages: ['en'], hostsNode: false });
const directory = new Directory([agency('TH-RTP'), agency('EUROPOL')], []);

/** Runs the audit plugin's last hook for one request of `partner` that disclosed one FULL record. */
async function answer(store: RecordStore, partner: string) {
  const disclosures = new DisclosureRecord();
  disclosures.note('EUROPOL:N-00001', 'FULL');
  const contextValue = {
    agency: 'EUROPOL',
    requestId: 'r-1',
    caller: { agency: partner, sub: 'officer-1', purpose: 'CRIMINAL_INVESTIGATION', roles: ['officer'], circles: [], token: '' },
    disclosures,
  } as unknown as NodeContext;
  const requestContext = {
    contextValue,
    request: { operationName: 'Probe' },
    response: { http: { status: undefined, headers: new Map() }, body: { kind: 'single', singleResult: { data: { ok: true } } } },
  } as unknown as GraphQLRequestContextWillSendResponse<NodeContext>;
  const plugin = auditPlugin(store, pino({ level: 'silent' }), auditMetrics(directory));
  const listener = (await plugin.requestDidStart!(requestContext as never)) as GraphQLRequestListener<NodeContext>;
  await listener.willSendResponse!(requestContext);
  return requestContext.response;
}

const brokenStore = {
  dialect: 'sqlite',
  writeTransaction: async () => {
    throw new Error('disk I/O error');
  },
} as unknown as RecordStore;

/** A store whose transactions succeed without writing anything: the plugin only needs the append to resolve. */
const acceptingStore = {
  dialect: 'sqlite',
  writeTransaction: async () => [],
} as unknown as RecordStore;

describe('audit metrics', () => {
  it('counts a failed ledger write as outcome "failed", and no disclosure, since the answer is withheld', async () => {
    const before = await scrapeThisProcess();
    const response = await answer(brokenStore, 'TH-RTP');
    const after = await scrapeThisProcess();
    expect(response.http.status).toBe(503);
    const delta = (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta('agency_audit_append_duration_seconds_count', { outcome: 'failed' })).toBe(1);
    expect(delta('agency_audit_append_duration_seconds_count', { outcome: 'ok' })).toBe(0);
    expect(delta('agency_disclosures_total')).toBe(0);
  });

  it('counts a disclosure to an agency outside the directory as partner "other"', async () => {
    const before = await scrapeThisProcess();
    await answer(acceptingStore, 'XX-UNKNOWN');
    const after = await scrapeThisProcess();
    expect(valueOf(after, 'agency_disclosures_total', { level: 'FULL', partner: 'other' })).toBe(
      valueOf(before, 'agency_disclosures_total', { level: 'FULL', partner: 'other' }) + 1,
    );
    expect(valueOf(after, 'agency_audit_append_duration_seconds_count', { outcome: 'ok' })).toBe(
      valueOf(before, 'agency_audit_append_duration_seconds_count', { outcome: 'ok' }) + 1,
    );
    expect(labelValues(after, 'agency_disclosures_total', 'partner')).not.toContain('XX-UNKNOWN');
  });
});
