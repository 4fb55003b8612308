import { BrokenCircuitError, CircuitState, circuitBreaker, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { AgencyFailureError, type AgencyFailureReason } from './agency-client.js';
import { recordCircuitState, recordRetry } from './fetch-metrics.js';

// One circuit per agency node. A node that failed `failures` times in a row is answered as
// unavailable at once (circuit_open: no partner waits a timeout for a node known to be down),
// until `coolDownMs` has passed; then one request probes it, and its success closes the
// circuit again. A read that failed for a transient reason (connection refused or reset, a
// proxy's 502/503) is asked once more within the same time budget; a mutation never is: it
// may have been applied.

export interface CircuitSettings {
  failures: number;
  coolDownMs: number;
}

/** Failures that say the node is unwell; a GraphQL answer, errors and all, is a node that works. */
const COUNTED: ReadonlySet<AgencyFailureReason> = new Set([
  'timeout',
  'unreachable',
  'certificate',
  'http_error',
  'bad_response',
  'too_large',
  'wrong_answer',
]);
/** Failures a second attempt can cure. */
const TRANSIENT: ReadonlySet<AgencyFailureReason> = new Set(['unreachable', 'http_error']);

const STATES = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
} as const;

export class NodeCircuit {
  private readonly breaker: CircuitBreakerPolicy;

  constructor(
    readonly agency: string,
    readonly settings: CircuitSettings,
  ) {
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof AgencyFailureError && COUNTED.has(error.reason)),
      { halfOpenAfter: settings.coolDownMs, breaker: new ConsecutiveBreaker(settings.failures) },
    );
    this.breaker.onStateChange((state) => recordCircuitState(agency, STATES[state]));
  }

  get state(): 'closed' | 'open' | 'half_open' {
    return STATES[this.breaker.state];
  }

  /**
   * Runs `attempt` through the circuit within `timeoutMs`, each attempt told the time left
   * (for the node's deadline); a read is retried once on a transient failure while at least
   * a quarter of the time is left. Failures come out as AgencyFailureError.
   */
  async call<T>(
    attempt: (signal: AbortSignal, budgetMs: number) => Promise<T>,
    options: { timeoutMs: number; retry: boolean; abandoned?: AbortSignal },
  ): Promise<T> {
    const { timeoutMs, abandoned } = options;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = abandoned ? AbortSignal.any([timeout, abandoned]) : timeout;
    const started = performance.now();
    const left = () => timeoutMs - (performance.now() - started);
    const once = async () => {
      try {
        return await this.breaker.execute(async () => {
          try {
            return await attempt(signal, left());
          } catch (error) {
            // The partner hung up: nobody waits for this node, and the node did nothing wrong.
            // Not an AgencyFailureError, so the circuit neither counts it nor retries it.
            if (abandoned?.aborted) throw new CallerGoneError(this.agency);
            throw error;
          }
        });
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          throw new AgencyFailureError(this.agency, 'circuit_open', `failed ${this.settings.failures} times in a row`);
        }
        throw error;
      }
    };
    try {
      return await once();
    } catch (error) {
      const retryable = options.retry && error instanceof AgencyFailureError && TRANSIENT.has(error.reason) && left() > timeoutMs / 4;
      if (!retryable) throw error;
      recordRetry(this.agency);
      return await once();
    }
  }
}

/** A node call given up because the partner that asked hung up. */
export class CallerGoneError extends Error {
  constructor(readonly agency: string) {
    super(`${agency}: the caller hung up`);
  }
}
