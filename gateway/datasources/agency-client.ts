import type { GraphQLFormattedError } from 'graphql';
import { DEADLINE_HEADER } from '../../lib/limits/deadline.js';
import { AnswerTooLargeError } from '../../lib/http/read-at-most.js';
import { isTlsFailure, PLAIN_LINKS, refusalIn, type LinkAnswer, type LinkPost } from '../../lib/tls/links.js';

// How the gateway talks to one agency node. The sovereign data source only needs this;
// tests substitute in-process nodes for unit tests of routing.

export interface AgencyRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
  /** A private copy per node: nodes never share a request object. */
  headers: Record<string, string>;
}

export interface NodeResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
}

export interface AgencyClient {
  readonly agency: string;
  /** `budgetMs`: how long the gateway will wait, passed on so the node stops when it stops waiting. */
  send(request: AgencyRequest, signal: AbortSignal, budgetMs?: number): Promise<NodeResponse>;
}

/**
 * Why a node gave no usable answer, as far as the gateway can tell them apart: no answer in
 * time, no connection, a TLS certificate or handshake refused, an HTTP error status without
 * a GraphQL body (e.g. a proxy's 502 page), a success status with a body that is not a
 * GraphQL response, an answer larger than the gateway reads (gateway.maxAnswerBytes), an
 * answer that does not fit the question (answer-check.ts: entities of the wrong number or
 * kind), or no call at all because the node's circuit is open after repeated failures
 * (resilience.ts). Logged and counted under these names (gateway_agency_fetch_failures_total).
 */
export const AGENCY_FAILURE_REASONS = [
  'timeout',
  'unreachable',
  'certificate_refused',
  'http_error',
  'bad_response',
  'too_large',
  'wrong_answer',
  'circuit_open',
] as const;
export type AgencyFailureReason = (typeof AGENCY_FAILURE_REASONS)[number];

/** Why a node gave no usable answer. Never carries the node's URL to the caller. */
export class AgencyFailureError extends Error {
  constructor(
    readonly agency: string,
    readonly reason: AgencyFailureReason,
    readonly detail: string,
    /** No HTTP answer came back at all: the node may never have seen the request (safe to ask again). */
    readonly beforeResponse = false,
  ) {
    super(`${agency}: ${reason} (${detail})`);
  }
}

export class HttpAgencyClient implements AgencyClient {
  constructor(
    readonly agency: string,
    private readonly url: string,
    /** The link to the node: plain HTTP, or mutual TLS with the gateway's certificate (lib/tls/links.ts). */
    private readonly post: LinkPost = PLAIN_LINKS.post,
    /** The largest answer body read; the rest is not downloaded (default 4 MiB). */
    private readonly maxAnswerBytes = 4 * 1024 * 1024,
  ) {}

  async send(request: AgencyRequest, signal: AbortSignal, budgetMs?: number): Promise<NodeResponse> {
    let response: LinkAnswer;
    try {
      response = await this.post(this.url, {
        headers: {
          ...request.headers,
          'content-type': 'application/json',
          accept: 'application/json',
          // The node stops working on the question when the gateway stops waiting for it.
          ...(budgetMs !== undefined ? { [DEADLINE_HEADER]: String(Math.max(1, Math.floor(budgetMs))) } : {}),
        },
        body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }),
        signal,
      });
    } catch (error) {
      throw this.failure(error, signal, isTlsFailure(error) ? 'certificate_refused' : 'unreachable', undefined, true);
    }
    // Without a GraphQL body an error status is the reason (a proxy's 502 page); with a success status, the body is.
    const unusable: AgencyFailureReason = response.status >= 200 && response.status < 300 ? 'bad_response' : 'http_error';
    let text: string;
    try {
      text = await response.read(this.maxAnswerBytes);
    } catch (error) {
      if (error instanceof AnswerTooLargeError) {
        throw new AgencyFailureError(this.agency, 'too_large', `answer over ${this.maxAnswerBytes} bytes`);
      }
      throw this.failure(error, signal, 'unreachable', `HTTP ${response.status}, answer cut off`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw this.failure(error, signal, unusable, `HTTP ${response.status}, body is not JSON`);
    }
    // A GraphQL answer (even a 4xx with errors) is usable; anything else is not.
    if (!isGraphQLResponse(body)) {
      throw new AgencyFailureError(this.agency, unusable, `HTTP ${response.status}, not a GraphQL response`);
    }
    // The node did not admit the gateway's connection (lib/tls/server.ts): nothing was asked.
    const refused = refusalIn(response.status, body);
    if (refused)
      throw new AgencyFailureError(this.agency, 'certificate_refused', `the node refused the gateway's client certificate: ${refused}`);
    return body;
  }

  private failure(
    error: unknown,
    signal: AbortSignal,
    reason: AgencyFailureReason,
    detail?: string,
    beforeResponse = false,
  ): AgencyFailureError {
    if (signal.aborted) return new AgencyFailureError(this.agency, 'timeout', String(signal.reason));
    const failed = error as { code?: string; cause?: { code?: string } };
    const cause = failed.cause?.code ?? failed.code;
    return new AgencyFailureError(this.agency, reason, detail ?? cause ?? (error as Error).message, beforeResponse);
  }
}

function isGraphQLResponse(body: unknown): body is NodeResponse {
  if (typeof body !== 'object' || body === null) return false;
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  return (data !== undefined && (data === null || typeof data === 'object')) || Array.isArray(errors);
}
