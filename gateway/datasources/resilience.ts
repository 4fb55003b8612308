import { BrokenCircuitError, CircuitState, circuitBreaker, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { AgencyFailureError, type AgencyFailureReason } from './agency-client.js';
import { recordCircuitState, recordRetry } from './fetch-metrics.js';

// One circuit per agency node. A node that failed `failures` times in a row is answered as
// unavailable at once (circuit_open: no partner waits a timeout for a node known to be down),
// until `coolDownMs` has passed; then one request probes it, and its success closes the
// circuit again. A read that failed for a transient reason (connection refused or reset, a
// connection that got no HTTP answer at all) is asked once more within the same time budget;
// a mutation never is: it may have been applied.

export interface CircuitSettings {
  failures: number;
  coolDownMs: number;
}

/**
 * Failures that say the node is unwell. Not counted: a GraphQL answer (errors and all: the
 * node works), and an answer over the size cap, which says more about the question than
 * about the node (a partner could otherwise open a node's circuit for everyone by asking
 * for big answers).
 */
const COUNTED: ReadonlySet<AgencyFailureReason> = new Set([
  'timeout',
  'unreachable',
  'certificate_refused',
  'http_error',
  'bad_response',
  'wrong_answer',
]);

/** Asked again: only a call that got no HTTP answer at all (refused, reset before answering); a node that answered has done the work, and written its ledger. */
function isRetryable(error: unknown): boolean {
  return error instanceof AgencyFailureError && error.reason === 'unreachable' && error.beforeResponse;
}

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
      // A probe whose caller hung up proves nothing: it counts as a failed probe (the circuit
      // stays open), never as a success (cockatiel's reading of an error it does not handle).
      handleWhen(
        (error) =>
          (error instanceof AgencyFailureError && COUNTED.has(error.reason)) ||
          (error instanceof CallerGoneError && this.breaker.state === CircuitState.HalfOpen),
      ),
      { halfOpenAfter: settings.coolDownMs, breaker: new ConsecutiveBreaker(settings.failures) },
    );
    this.breaker.onStateChange((state) => recordCircuitState(agency, STATES[state]));
  }

  private circuitOpen(): AgencyFailureError {
    return new AgencyFailureError(this.agency, 'circuit_open', `failed ${this.settings.failures} times in a row`);
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
    const { signal, release } = timeLimit(timeoutMs, abandoned);
    const started = performance.now();
    const left = () => timeoutMs - (performance.now() - started);
    const once = async () => {
      // While one request probes the node, the others do not wait for it: the node is still
      // answered as unavailable at once. A caller already gone starts no probe at all.
      if (this.breaker.state === CircuitState.HalfOpen) throw this.circuitOpen();
      if (abandoned?.aborted) throw new CallerGoneError(this.agency);
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
        if (error instanceof BrokenCircuitError) throw this.circuitOpen();
        throw error;
      }
    };
    try {
      return await once();
    } catch (error) {
      const retryable = options.retry && isRetryable(error) && left() > timeoutMs / 4 && !abandoned?.aborted;
      if (!retryable) throw error;
      recordRetry(this.agency);
      return await once();
    } finally {
      release();
    }
  }
}

/**
 * A signal aborted after `timeoutMs` (a TimeoutError, as AbortSignal.timeout's) or when the
 * partner hangs up, whichever comes first, and `release` to call once the call is over. Not
 * AbortSignal.timeout with AbortSignal.any: their timer cannot be cleared, so every call's
 * timeout fired seconds after its answer, made its error and told its listeners (a few
 * percent of the gateway's CPU per question).
 */
function timeLimit(timeoutMs: number, abandoned: AbortSignal | undefined): { signal: AbortSignal; release: () => void } {
  const limit = new AbortController();
  const timer = setTimeout(() => limit.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeoutMs);
  timer.unref();
  const hungUp = () => limit.abort(abandoned!.reason);
  if (abandoned?.aborted) hungUp();
  else abandoned?.addEventListener('abort', hungUp, { once: true });
  return {
    signal: limit.signal,
    release: () => {
      clearTimeout(timer);
      abandoned?.removeEventListener('abort', hungUp);
    },
  };
}

/** A node call given up because the partner that asked hung up. */
export class CallerGoneError extends Error {
  constructor(readonly agency: string) {
    super(`${agency}: the caller hung up`);
  }
}
