import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../lib/config/project-root.js';
import { metricsRegistry } from '../../../lib/http/metrics.js';
// Each module registers its metrics on the shared registry when it is loaded.
import '../../../lib/metrics/request-metrics.js';
import '../../../gateway/datasources/fetch-metrics.js';
import '../../../gateway/rate-limit.js';
import '../../../gateway/refusal-meter.js';
import '../../../gateway/admission.js';
import '../../../subgraphs/agency/metrics.js';
import '../../../subgraphs/agency/witness/metrics.js';

// The dashboard and the operations doc name the metrics the code registers, with the
// labels the code gives them: a renamed metric or label fails here, not on a dark panel.

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
  panels?: Panel[];
}

const dashboard = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'ops/grafana/records-federation.json'), 'utf8')) as {
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown }[] };
};
const operationsDoc = readFileSync(path.join(PROJECT_ROOT, 'docs/operations.md'), 'utf8');

const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]).filter((panel) => panel.type !== 'row');
const expressions = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));

/** Ours: everything on the registry but Node.js's process defaults. */
const OURS = metricsRegistry
  .getMetricsAsArray()
  .map((metric) => metric.name)
  .filter((name) => !name.startsWith('process_') && !name.startsWith('nodejs_'));

function labelNamesOf(name: string): string[] {
  const metric = metricsRegistry.getSingleMetric(name) as unknown as { labelNames: string[] } | undefined;
  return metric?.labelNames ?? [];
}

/** The registered metric a series name belongs to (a histogram's _bucket, _sum, _count). */
function metricOf(series: string): string | undefined {
  for (const candidate of [series, series.replace(/_(bucket|sum|count)$/, '')]) {
    if (metricsRegistry.getSingleMetric(candidate)) return candidate;
  }
  return undefined;
}

/** Series selectors in a PromQL expression: a name followed by its matchers or a range. */
function selectors(expr: string): { series: string; matchers: string }[] {
  return [...expr.matchAll(/\b([a-z_][a-z0-9_]*)(\{[^}]*\})?(?=\s*[[{)])/g)]
    .filter((match) => match[2] !== undefined || expr[match.index + match[0].length] === '[')
    .map((match) => ({ series: match[1]!, matchers: match[2] ?? '' }));
}

/** Labels Prometheus adds at scrape time, and the histogram bucket bound. */
const SCRAPE_LABELS = ['instance', 'job', 'le'];

describe('the Grafana dashboard', () => {
  it('has panels, each querying through the Prometheus data source variable', () => {
    const variable = dashboard.templating.list.find((entry) => entry.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(expressions.length).toBeGreaterThan(10);
    for (const panel of panels) {
      expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
      for (const target of panel.targets ?? []) expect(target.datasource?.uid, panel.title).toBe('${datasource}');
    }
  });

  it('queries only metrics the code registers, with labels they have', () => {
    for (const { panel, expr } of expressions) {
      const found = selectors(expr);
      expect(found.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      const labels = new Set(SCRAPE_LABELS);
      for (const { series, matchers } of found) {
        const metric = metricOf(series);
        expect(metric, `${panel}: ${series} is not a registered metric`).toBeDefined();
        const own = labelNamesOf(metric!);
        own.forEach((label) => labels.add(label));
        for (const [, label] of matchers.matchAll(/([a-z_]+)\s*(?:=~|!~|!=|=)/g)) {
          expect([...own, ...SCRAPE_LABELS], `${panel}: ${series} has no label ${label}`).toContain(label);
        }
      }
      for (const [, by] of expr.matchAll(/\bby \(([^)]*)\)/g)) {
        for (const label of by!.split(',').map((l) => l.trim())) expect([...labels], `${panel}: by ${label}`).toContain(label);
      }
    }
  });

  it('shows every metric of ours', () => {
    const shown = new Set(expressions.flatMap(({ expr }) => selectors(expr).map(({ series }) => metricOf(series))));
    expect([...OURS].sort()).toEqual([
      'agency_audit_append_duration_seconds',
      'agency_disclosures_total',
      'agency_graphql_requests_total',
      'agency_requests_stopped_total',
      'agency_sql_query_duration_seconds',
      'agency_sql_statements_total',
      'audit_head_sequence',
      'audit_witness_contradictions_total',
      'audit_witness_countersigned_total',
      'audit_witness_offer_failures_total',
      'audit_witness_refusals_total',
      'audit_witnessed_sequence',
      'gateway_agency_circuit_state',
      'gateway_agency_fetch_duration_seconds',
      'gateway_agency_fetch_failures_total',
      'gateway_agency_foreign_records_total',
      'gateway_agency_retries_total',
      'gateway_rate_limited_total',
      'gateway_refused_address_blocked_total',
      'gateway_requests_in_flight',
      'gateway_requests_queued',
      'gateway_requests_shed_total',
      'graphql_request_duration_seconds',
      'tls_certificate_expiry_timestamp_seconds',
      'tls_connections_refused_total',
    ]);
    for (const name of OURS) expect(shown, name).toContain(name);
  });
});

describe('docs/operations.md', () => {
  it('describes every metric of ours and each of its labels', () => {
    const metrics = operationsDoc.slice(operationsDoc.indexOf('## Metrics'));
    for (const name of OURS) {
      expect(metrics, name).toContain(`\`${name}\``);
      for (const label of labelNamesOf(name)) expect(metrics, `${name} ${label}`).toContain(`\`${label}\``);
    }
  });
});
