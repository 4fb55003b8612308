import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Kind, OperationTypeNode, parse, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../../lib/logger.js';
import { AgencyFailureError, type AgencyClient, type NodeResponse } from './agency-client.js';
import { initialiseFailureSeries, recordAgencyFetch } from './fetch-metrics.js';
import { mergeResponses, type Outcome } from './merge.js';
import { addressedAgencies, routeOperation, type RoutedField, type RoutingTable } from './routing.js';
import { requestFor } from './split.js';

// Federation never fans out: the planner sends each "records" fetch to one subgraph, so
// four agency subgraphs composed side by side would leave three of them unasked. This data
// source stands in for the one "records" subgraph and sends the fetch, by value, to the
// agency nodes that own the answer (docs/routing.md has the rules).

export interface SovereignDataSourceOptions {
  /** One client per agency node, in federation order (the order lists are concatenated in). */
  clients: readonly AgencyClient[];
  /** Root fields of the records contract whose type is a list. */
  listFields: ReadonlySet<string>;
  /** List fields merged best first by a numeric field of their items. */
  rankedFields?: ReadonlyMap<string, string>;
  /** How long one node may take before its part is given up. */
  timeoutMs: number;
  logger: Logger;
  /** Headers every node should receive for this request (e.g. the caller's token). */
  forwardHeaders?: (context: Record<string, unknown>) => Record<string, string>;
}

export class SovereignDataSource implements GraphQLDataSource {
  private readonly clients: Map<string, AgencyClient>;
  private readonly table: RoutingTable;
  private readonly documents = new Map<string, DocumentNode>();

  constructor(private readonly options: SovereignDataSourceOptions) {
    this.clients = new Map(options.clients.map((client) => [client.agency, client]));
    this.table = {
      agencies: options.clients.map((client) => client.agency),
      listFields: options.listFields,
      rankedFields: options.rankedFields,
    };
    initialiseFailureSeries(this.table.agencies);
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<NodeResponse> {
    const { request } = options;
    const variables = (request.variables ?? {}) as Record<string, unknown>;
    const routed = routeOperation(this.parse(request.query ?? ''), request.operationName ?? undefined, variables, this.table);
    const { context } = options;
    const headers = this.options.forwardHeaders?.(context) ?? {};
    let outcomes: Outcome[];
    if (routed.operation.operation === OperationTypeNode.MUTATION) {
      // Mutations run one after the other in field order: consecutive fields of one owner
      // travel together, and a later field never overtakes an earlier one.
      outcomes = [];
      for (const run of ownerRuns(routed.fields))
        outcomes.push(await this.call(run.agency, requestFor(run.agency, routed, headers, run.fields), context));
    } else {
      const agencies = addressedAgencies(routed, this.table.agencies);
      outcomes = await Promise.all(agencies.map((agency) => this.call(agency, requestFor(agency, routed, headers), context)));
    }
    const rootTypename = routed.operation.operation === OperationTypeNode.MUTATION ? 'Mutation' : 'Query';
    return mergeResponses(routed, outcomes, rootTypename);
  }

  /** One call to one node, timed and counted (fetch-metrics.ts), and noted on the request's context. */
  private async call(agency: string, request: ReturnType<typeof requestFor>, context: Record<string, unknown>): Promise<Outcome> {
    const client = this.clients.get(agency)!;
    const timeoutMs = this.options.timeoutMs;
    const started = performance.now();
    try {
      const response = await client.send(request, AbortSignal.timeout(timeoutMs));
      recordAgencyFetch(context, { agency, ms: performance.now() - started, outcome: 'ok' });
      return { agency, response };
    } catch (error) {
      const failure =
        error instanceof AgencyFailureError ? error : new AgencyFailureError(agency, 'bad_response', (error as Error).message);
      recordAgencyFetch(context, { agency, ms: performance.now() - started, outcome: failure.reason });
      this.options.logger.warn({ agency, reason: failure.reason, detail: failure.detail }, 'agency node unavailable');
      return { agency, error: unavailable(agency, failure, timeoutMs) };
    }
  }

  /** The planner sends the same few fetch shapes again and again. */
  private parse(query: string): DocumentNode {
    let document = this.documents.get(query);
    if (!document) {
      document = parse(query, { noLocation: true });
      if (document.definitions.some((d) => d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION)) {
        throw new Error('Only executable documents can be routed');
      }
      if (this.documents.size >= 1000) this.documents.clear();
      this.documents.set(query, document);
    }
    return document;
  }
}

function ownerRuns(fields: readonly RoutedField[]): { agency: string; fields: RoutedField[] }[] {
  const runs: { agency: string; fields: RoutedField[] }[] = [];
  for (const field of fields) {
    if (field.route.kind !== 'owner') continue;
    const last = runs.at(-1);
    if (last?.agency === field.route.agency) last.fields.push(field);
    else runs.push({ agency: field.route.agency, fields: [field] });
  }
  return runs;
}

function unavailable(agency: string, failure: AgencyFailureError, timeoutMs: number): GraphQLFormattedError {
  const why = {
    timeout: `did not answer within ${timeoutMs} ms`,
    unreachable: 'could not be reached',
    certificate: 'could not be reached over a trusted connection',
    http_error: 'answered with an HTTP error instead of a GraphQL response',
    bad_response: 'sent an answer that is not a GraphQL response',
  }[failure.reason];
  return {
    message: `Agency ${agency} ${why}; its records are missing from this answer, the other agencies' are included.`,
    extensions: { code: 'AGENCY_UNAVAILABLE', agency },
  };
}
