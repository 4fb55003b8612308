import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '../../lib/http/metrics.js';
import { AGENCY_FAILURE_REASONS, type AgencyFailureReason } from './agency-client.js';

// What each call from the gateway to an agency node took and how it ended: in Prometheus
// for alerts and dashboards, and on the request's context so the request's log line can
// name the node that made it slow. Agency labels come from the federation config, so
// they are bounded by construction.

/** "ok" when the node gave a GraphQL answer (errors inside it included); otherwise why it did not. */
export type FetchOutcome = 'ok' | AgencyFailureReason;

export interface AgencyFetch {
  agency: string;
  ms: number;
  outcome: FetchOutcome;
}

const fetchDuration = new Histogram({
  name: 'gateway_agency_fetch_duration_seconds',
  help: 'Calls from the gateway to an agency node, by agency and outcome (ok, or the failure reason), until answer or failure.',
  labelNames: ['agency', 'outcome'] as const,
  // Around the node timeout (NODE_TIMEOUT_MS, 2 s by default): timeouts land in its bucket.
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10],
  registers: [metricsRegistry],
});

const fetchFailures = new Counter({
  name: 'gateway_agency_fetch_failures_total',
  help: 'Calls from the gateway to an agency node that gave no usable answer, by agency and reason (timeout, unreachable, certificate, http_error, bad_response, too_large, wrong_answer, circuit_open).',
  labelNames: ['agency', 'reason'] as const,
  registers: [metricsRegistry],
});

/**
 * Counts one call and, when the request's context carries a `fetches` list (the gateway's
 * does), adds the call to it.
 */
export function recordAgencyFetch(context: Record<string, unknown> | undefined, fetch: AgencyFetch): void {
  fetchDuration.observe({ agency: fetch.agency, outcome: fetch.outcome }, fetch.ms / 1000);
  if (fetch.outcome !== 'ok') fetchFailures.inc({ agency: fetch.agency, reason: fetch.outcome });
  const fetches = context?.fetches;
  if (Array.isArray(fetches)) fetches.push({ ...fetch, ms: Math.round(fetch.ms * 10) / 10 });
}

/** Every agency's failure series starts at 0, so the first failure shows in increase() and rate(). */
function initialiseFailureSeries(agencies: readonly string[]): void {
  for (const agency of agencies) for (const reason of AGENCY_FAILURE_REASONS) fetchFailures.inc({ agency, reason }, 0);
}

const circuitState = new Gauge({
  name: 'gateway_agency_circuit_state',
  help: "Each agency node's circuit at the gateway: 0 closed (asked), 1 open (answered as unavailable without asking), 2 half-open (one probe in flight).",
  labelNames: ['agency'] as const,
  registers: [metricsRegistry],
});

const retries = new Counter({
  name: 'gateway_agency_retries_total',
  help: 'Reads asked of an agency node a second time after a transient failure (connection refused or reset, HTTP 502/503).',
  labelNames: ['agency'] as const,
  registers: [metricsRegistry],
});

export function recordCircuitState(agency: string, state: 'closed' | 'open' | 'half_open'): void {
  circuitState.set({ agency }, { closed: 0, open: 1, half_open: 2 }[state]);
}

const foreignRecords = new Counter({
  name: 'gateway_agency_foreign_records_total',
  help: "Records an agency node sent under another agency's id or code, dropped from the answer (a misconfigured or rogue node).",
  labelNames: ['agency'] as const,
  registers: [metricsRegistry],
});

export function recordForeignRecords(agency: string, count: number): void {
  foreignRecords.inc({ agency }, count);
}

export function recordRetry(agency: string): void {
  retries.inc({ agency });
}

/** Fills the failures series and the circuit and retry series of every agency with their starting values. */
export function initialiseAgencySeries(agencies: readonly string[]): void {
  initialiseFailureSeries(agencies);
  for (const agency of agencies) {
    recordCircuitState(agency, 'closed');
    retries.inc({ agency }, 0);
    foreignRecords.inc({ agency }, 0);
  }
}
