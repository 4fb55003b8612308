import type { ApolloServerPlugin } from '@apollo/server';
import type { LogEvent } from 'kysely';
import { Counter, Histogram } from 'prom-client';
import type { Directory } from '../../lib/config/directory.js';
import { metricsRegistry } from '../../lib/http/metrics.js';
import { withinKnown } from '../../lib/metrics/bounded-label.js';
import type { NewAuditEntry } from './store/audit.js';

// An agency node's own metrics (one node per process): its store's statements, what it
// disclosed to whom, and what writing the ledger costs. Request latency is the shared
// graphql_request_duration_seconds (lib/metrics/request-metrics.ts) with service = agency.

const sqlStatements = new Counter({
  name: 'agency_sql_statements_total',
  help: 'SQL statements this node has sent to its store.',
  registers: [metricsRegistry],
});

const sqlQueryDuration = new Histogram({
  name: 'agency_sql_query_duration_seconds',
  help: 'SQL statements this node has sent to its store, by outcome (ok, error), as Kysely timed them.',
  labelNames: ['outcome'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

// Kept next to graphql_request_duration_seconds_count{service="<agency>"}, which says the
// same with labels: tests and existing dashboards read this one.
const graphqlRequests = new Counter({
  name: 'agency_graphql_requests_total',
  help: 'GraphQL requests this node has answered.',
  registers: [metricsRegistry],
});

/** Requests whose remaining fields were not resolved: past their deadline, or the caller hung up. */
export const deadlineExceeded = new Counter({
  name: 'agency_requests_stopped_total',
  help: 'Requests this node stopped resolving: past their deadline ("deadline") or after the caller hung up ("abandoned").',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

const disclosures = new Counter({
  name: 'agency_disclosures_total',
  help: 'Records disclosed to another agency and written to the audit ledger, by level (FULL, HIT_ONLY) and partner (the caller agency; "other" outside the directory).',
  labelNames: ['level', 'partner'] as const,
  registers: [metricsRegistry],
});

const auditAppendDuration = new Histogram({
  name: 'agency_audit_append_duration_seconds',
  help: 'Writes of disclosure entries to the audit ledger before an answer leaves the node, by outcome (ok, failed: the answer was withheld).',
  labelNames: ['outcome'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

/** The store's query hook (openStore's onQuery): counts and times each statement. */
export function recordSqlQuery(event: LogEvent): void {
  sqlStatements.inc();
  sqlQueryDuration.observe({ outcome: event.level === 'error' ? 'error' : 'ok' }, event.queryDurationMillis / 1000);
}

/** Counts every GraphQL request the node answers (agency_graphql_requests_total). */
export const graphqlRequestCounter: ApolloServerPlugin = {
  async requestDidStart() {
    graphqlRequests.inc();
  },
};

/** What the audit plugin reports about each ledger write. */
export interface AuditMetrics {
  /** The entries are in the ledger: count what they disclosed. */
  appended(entries: readonly NewAuditEntry[], seconds: number): void;
  /** The ledger could not be written: nothing was disclosed. */
  appendFailed(seconds: number): void;
}

/**
 * Audit metrics whose partner label is bounded by the directory's agencies (tokens of any
 * other agency are refused anyway; this holds even if that changes). Each partner's series
 * starts at 0 so the first disclosure shows in increase().
 */
export function auditMetrics(directory: Directory): AuditMetrics {
  const partners = new Set(directory.agencies.map((agency) => agency.code));
  for (const partner of partners) for (const level of ['FULL', 'HIT_ONLY']) disclosures.inc({ level, partner }, 0);
  return {
    appended(entries, seconds) {
      auditAppendDuration.observe({ outcome: 'ok' }, seconds);
      for (const entry of entries) {
        if (entry.event !== 'DISCLOSURE' || !entry.disclosure) continue;
        disclosures.inc({ level: entry.disclosure, partner: withinKnown(partners, entry.callerAgency) }, entry.recordIds.length);
      }
    },
    appendFailed(seconds) {
      auditAppendDuration.observe({ outcome: 'failed' }, seconds);
    },
  };
}
