// What the gateway does to contain a faulty node or a greedy partner (federation.json
// "gateway"; docs/production.md). Defaults are for a federation of a handful of nodes.

export interface GatewayGuards {
  /** The largest answer read from one node; a larger one is that node's failure, not the gateway's memory. */
  maxAnswerBytes: number;
  /** Consecutive failures after which a node is answered as unavailable at once... */
  breakerFailures: number;
  /** ...until this long has passed, when one request probes it again. */
  breakerCoolDownMs: number;
  /** Requests one partner (agency and subject of its token) may make per window. */
  rateLimitRequests: number;
  /**
   * Requests all of one agency's users together may make per window: a partner whose issuer
   * mints a new subject per request still meets a limit.
   */
  rateLimitAgencyRequests: number;
  rateLimitWindowSeconds: number;
  /**
   * Refused requests (HTTP 4xx) one client address may cause per window before it is
   * answered 429 before parsing: refusals come before authentication and the rate limits.
   */
  refusalsPerAddress: number;
  /** Partner questions worked on at once (gateway/admission.ts); the next ones wait their turn... */
  maxConcurrentRequests: number;
  /** ...for at most this long, then are answered 503 OVERLOADED with a Retry-After. */
  queueTimeoutMs: number;
}

export const DEFAULT_GATEWAY_GUARDS: GatewayGuards = {
  maxAnswerBytes: 4 * 1024 * 1024,
  breakerFailures: 5,
  breakerCoolDownMs: 10_000,
  rateLimitRequests: 600,
  rateLimitAgencyRequests: 6000,
  rateLimitWindowSeconds: 60,
  refusalsPerAddress: 300,
  maxConcurrentRequests: 32,
  queueTimeoutMs: 5000,
};
