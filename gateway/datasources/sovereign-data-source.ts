import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Kind, OperationTypeNode, parse, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { DEFAULT_GATEWAY_GUARDS } from '../../lib/config/gateway-guards.js';
import type { Logger } from '../../lib/logger.js';
import { AgencyFailureError, type AgencyClient, type AgencyFailureReason, type NodeResponse } from './agency-client.js';
import { checkAnswer, foreignRecordsError, malformedAnswerError } from './answer-check.js';
import type { DirectoryFacts } from './answer-walker.js';
import { initialiseAgencySeries, recordAgencyFetch, recordForeignRecords } from './fetch-metrics.js';
import { mergeResponses, type Outcome } from './merge.js';
import { CallerGoneError, NodeCircuit, type CircuitSettings } from './resilience.js';
import { addressedAgencies, routeOperation, type RoutedField, type RoutedOperation, type RoutingTable } from './routing.js';
import { requestFor, ShareTexts } from './split.js';

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
  /** The records contract: every node answer is checked against it (answer-check.ts); without it, only ownership and entities are. */
  contract?: GraphQLSchema;
  /** The gateway's copy of the directory: every Agency a node sends must be listed there, under its name. */
  directory?: DirectoryFacts;
  /** When a failing node is answered as unavailable without being asked (resilience.ts; default gateway.breaker* defaults). */
  circuit?: CircuitSettings;
  logger: Logger;
  /** Headers every node should receive for this request (e.g. the caller's token). */
  forwardHeaders?: (context: Record<string, unknown>) => Record<string, string>;
}

export class SovereignDataSource implements GraphQLDataSource {
  private readonly clients: Map<string, AgencyClient>;
  private readonly circuits: Map<string, NodeCircuit>;
  private readonly circuit: CircuitSettings;
  private readonly table: RoutingTable;
  private readonly documents = new Map<string, DocumentNode>();
  /** What each node is sent, kept per way of splitting an operation (its ranked fields are this table's). */
  private readonly shareTexts = new ShareTexts();

  constructor(private readonly options: SovereignDataSourceOptions) {
    this.clients = new Map(options.clients.map((client) => [client.agency, client]));
    this.circuit = options.circuit ?? {
      failures: DEFAULT_GATEWAY_GUARDS.breakerFailures,
      coolDownMs: DEFAULT_GATEWAY_GUARDS.breakerCoolDownMs,
    };
    this.circuits = new Map(options.clients.map((client) => [client.agency, new NodeCircuit(client.agency, this.circuit)]));
    this.table = {
      agencies: options.clients.map((client) => client.agency),
      listFields: options.listFields,
      rankedFields: options.rankedFields,
    };
    initialiseAgencySeries(this.table.agencies);
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<NodeResponse> {
    const { request } = options;
    const variables = (request.variables ?? {}) as Record<string, unknown>;
    const query = request.query ?? '';
    const routed = { ...routeOperation(this.parse(query), request.operationName ?? undefined, variables, this.table), source: query };
    const { context } = options;
    const headers = this.options.forwardHeaders?.(context) ?? {};
    let outcomes: Outcome[];
    if (routed.operation.operation === OperationTypeNode.MUTATION) {
      // Mutations run one after the other in field order: consecutive fields of one owner
      // travel together, and a later field never overtakes an earlier one.
      outcomes = [];
      // A mutation is never asked twice: it may have been applied.
      for (const run of ownerRuns(routed.fields)) {
        const request = requestFor(run.agency, routed, headers, run.fields, this.shareTexts);
        outcomes.push(await this.call(run.agency, request, { routed, fields: run.fields, retry: false }, context));
      }
    } else {
      const agencies = addressedAgencies(routed, this.table.agencies);
      outcomes = await Promise.all(
        agencies.map((agency) =>
          this.call(
            agency,
            requestFor(agency, routed, headers, routed.fields, this.shareTexts),
            { routed, fields: shareOf(agency, routed.fields), retry: true },
            context,
          ),
        ),
      );
    }
    const rootTypename = routed.operation.operation === OperationTypeNode.MUTATION ? 'Mutation' : 'Query';
    return mergeResponses(routed, outcomes, rootTypename);
  }

  /**
   * One call to one node through its circuit, timed and counted (fetch-metrics.ts) and noted
   * on the request's context. Its answer is checked against the question before it is merged:
   * a node speaks only for its own agency (answer-check.ts).
   */
  private async call(
    agency: string,
    request: ReturnType<typeof requestFor>,
    asked: { routed: RoutedOperation; fields: readonly RoutedField[]; retry: boolean },
    context: Record<string, unknown>,
  ): Promise<Outcome> {
    const client = this.clients.get(agency)!;
    const timeoutMs = this.options.timeoutMs;
    const started = performance.now();
    try {
      const abandoned = context.abandoned instanceof AbortSignal ? context.abandoned : undefined;
      const ask = async (signal: AbortSignal, budgetMs: number) =>
        checkAnswer(
          agency,
          asked.routed,
          asked.fields,
          await client.send(request, signal, budgetMs),
          this.options.contract,
          this.options.directory,
        );
      const checked = await this.circuits.get(agency)!.call(ask, { timeoutMs, retry: asked.retry, abandoned });
      recordAgencyFetch(context, { agency, ms: performance.now() - started, outcome: 'ok' });
      const { foreign, malformed } = checked;
      if (foreign.length === 0 && malformed === 0) return { agency, response: checked.response };
      // The node answered, but not only for itself or not in the contract's shape: what it
      // may not say is gone; the partner is told, the operator alerted (metrics, log).
      const notes: GraphQLFormattedError[] = [];
      if (foreign.length > 0) {
        recordForeignRecords(agency, foreign.length);
        notes.push(foreignRecordsError(agency, foreign));
      }
      if (malformed > 0) notes.push(malformedAnswerError(agency, malformed));
      this.options.logger.warn({ agency, foreign: foreign.slice(0, 20), malformed }, 'agency node answer did not pass the gateway checks');
      return { agency, response: checked.response, notes };
    } catch (error) {
      if (error instanceof CallerGoneError) {
        return { agency, error: { message: 'The request was abandoned by its caller.', extensions: { code: 'ABANDONED', agency } } };
      }
      const failure =
        error instanceof AgencyFailureError ? error : new AgencyFailureError(agency, 'bad_response', (error as Error).message);
      recordAgencyFetch(context, { agency, ms: performance.now() - started, outcome: failure.reason });
      this.options.logger.warn({ agency, reason: failure.reason, detail: failure.detail }, 'agency node unavailable');
      return { agency, error: unavailable(agency, failure, timeoutMs, this.circuit) };
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
      // Only the planner's usual shapes are kept: a long one-off question is not held in memory.
      if (query.length <= 10_000) {
        if (this.documents.size >= 1000) this.documents.clear();
        this.documents.set(query, document);
      }
    }
    return document;
  }
}

/** The root fields one agency is asked (as requestFor sends them): only these are taken from its answer. */
function shareOf(agency: string, fields: readonly RoutedField[]): RoutedField[] {
  return fields.filter(
    ({ route }) =>
      (route.kind === 'owner' && route.agency === agency) ||
      (route.kind === 'broadcast' && route.agencies.includes(agency)) ||
      (route.kind === 'entities' && route.groups.has(agency)),
  );
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

/** How each failure reads to a partner: down, slow, or answering wrongly, and what was done. */
function unavailable(agency: string, failure: AgencyFailureError, timeoutMs: number, circuit: CircuitSettings): GraphQLFormattedError {
  const why: Record<AgencyFailureReason, string> = {
    timeout: `is slow: it did not answer within ${timeoutMs} ms`,
    unreachable: 'is down: it could not be reached',
    certificate_refused: 'could not be reached: certificate refused (its link could not be authenticated)',
    http_error: 'answered with an HTTP error instead of a GraphQL response',
    bad_response: 'sent an answer that is not a GraphQL response',
    too_large: 'sent an answer larger than the gateway reads',
    wrong_answer: 'sent an answer that does not fit the question',
    circuit_open: `is down: it failed ${circuit.failures} times in a row and is not asked again for ${Math.ceil(circuit.coolDownMs / 1000)} s`,
  };
  return {
    message: `Agency ${agency} ${why[failure.reason]}; its records are missing from this answer, the other agencies' are included.`,
    extensions: { code: 'AGENCY_UNAVAILABLE', agency, reason: failure.reason },
  };
}
