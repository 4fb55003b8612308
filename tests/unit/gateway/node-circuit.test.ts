import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CallerGoneError, NodeCircuit } from '../../../gateway/datasources/resilience.js';

// The time limit of one node call: the signal an attempt gets is aborted when the time is up
// or the partner hangs up, and never after the call is over (a timer per call that still
// fires seconds later is work for nothing, at every question).

const circuit = () => new NodeCircuit('EUROPOL', { failures: 100, coolDownMs: 1000 });

/** An attempt that answers only when its signal is aborted, with the signal's reason. */
const hanging = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));

describe('a node call’s time limit', () => {
  it('aborts an attempt that runs past it, with a TimeoutError', async () => {
    const started = performance.now();
    const failure = await circuit()
      .call(hanging, { timeoutMs: 50, retry: false })
      .catch((error: unknown) => error);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(failure).toBeInstanceOf(DOMException);
    expect((failure as DOMException).name).toBe('TimeoutError');
    expect(String(failure)).toContain('The operation was aborted due to timeout');
  });

  it('aborts an attempt when the partner hangs up, already or meanwhile', async () => {
    const gone = new AbortController();
    gone.abort();
    await expect(circuit().call(hanging, { timeoutMs: 5000, retry: false, abandoned: gone.signal })).rejects.toBeInstanceOf(
      CallerGoneError,
    );
    const leaving = new AbortController();
    setTimeout(() => leaving.abort(), 20);
    await expect(circuit().call(hanging, { timeoutMs: 5000, retry: false, abandoned: leaving.signal })).rejects.toBeInstanceOf(
      CallerGoneError,
    );
  });

  it('is over with the call: the signal is never aborted afterwards, by the timer or the partner', async () => {
    const partner = new AbortController();
    let seen: AbortSignal | undefined;
    const answer = await circuit().call(
      async (signal) => {
        seen = signal;
        return 'answered';
      },
      { timeoutMs: 30, retry: false, abandoned: partner.signal },
    );
    expect(answer).toBe('answered');
    await sleep(80);
    partner.abort();
    expect(seen!.aborted).toBe(false);
  });
});
