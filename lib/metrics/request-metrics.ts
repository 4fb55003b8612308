import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { Histogram } from 'prom-client';
import { metricsRegistry } from '../http/metrics.js';
import { BoundedLabelValues } from './bounded-label.js';

// How long each GraphQL request takes, and how it ended, per service and operation: the
// numbers an operator alerts on (latency, error ratio, refusals). One Apollo Server plugin,
// the same at the gateway, the directory and every agency node.

export type RequestStatus = 'ok' | 'error' | 'refused';

/** Error codes that mean the caller was refused (token or permission), not that something broke. */
const REFUSED_CODES: ReadonlySet<string> = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

/** Distinct operation names kept per service; later ones are counted as "other". */
export const OPERATION_LABEL_LIMIT = 100;

export const ANONYMOUS = 'anonymous';

const requestDuration = new Histogram({
  name: 'graphql_request_duration_seconds',
  help: 'GraphQL requests by service, operation name (bounded; "anonymous", "other") and status (ok, error, refused), from start to response.',
  labelNames: ['service', 'operation', 'status'] as const,
  // From a cached directory lookup (ms) to a fan-out that waits for a slow node (the 2 s node timeout and beyond).
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/**
 * Times every request of one service into `graphql_request_duration_seconds`. The time runs
 * until the response is ready (willSendResponse); at an agency node the ledger append that
 * happens there is timed on its own (agency_audit_append_duration_seconds).
 */
export function requestMetricsPlugin<TContext extends BaseContext>(
  service: string,
  options: { operationLimit?: number } = {},
): ApolloServerPlugin<TContext> {
  const operations = new BoundedLabelValues(options.operationLimit ?? OPERATION_LABEL_LIMIT);
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse(requestContext) {
          const status = statusOf(requestContext);
          requestDuration.observe(
            { service, operation: operationOf(requestContext, status, operations), status },
            (performance.now() - started) / 1000,
          );
        },
      };
    },
  };
}

function statusOf<TContext extends BaseContext>(requestContext: GraphQLRequestContextWillSendResponse<TContext>): RequestStatus {
  const { body, http } = requestContext.response;
  // What the caller sees; errors met before a result existed (parse, validation, plugins) otherwise.
  const sent = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
  const codes = (sent ?? requestContext.errors ?? []).map((error) => String(error.extensions?.code ?? ''));
  if (http.status === 401 || http.status === 403 || codes.some((code) => REFUSED_CODES.has(code))) return 'refused';
  if (codes.length > 0 || (http.status ?? 200) >= 400) return 'error';
  return 'ok';
}

/**
 * The operation's name, bounded. Only a request that was parsed, validated and not refused
 * may add a new name: a caller without a valid token cannot fill the label's slots.
 */
function operationOf<TContext extends BaseContext>(
  requestContext: GraphQLRequestContextWillSendResponse<TContext>,
  status: RequestStatus,
  operations: BoundedLabelValues,
): string {
  const resolved = requestContext.operation !== undefined;
  const name = resolved ? requestContext.operationName : requestContext.request.operationName;
  if (!name) return ANONYMOUS;
  return operations.valueFor(name, resolved && status !== 'refused');
}
