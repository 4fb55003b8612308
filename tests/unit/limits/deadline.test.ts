import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Deadline, DEADLINE_HEADER } from '../../../lib/limits/deadline.js';

// The deadline a node gives each request: the caller may shorten the node's budget, never
// lengthen it, and a caller that hangs up ends it at once.

describe('request deadlines', () => {
  it('take the shorter of the caller’s time and the node’s own budget', async () => {
    const asked = Deadline.fromHeaders({ [DEADLINE_HEADER]: '20' }, 10_000);
    expect(asked.passed).toBe(false);
    await sleep(40);
    expect(asked.passed).toBe(true);
    expect(asked.reason).toBe('deadline');

    const greedy = Deadline.fromHeaders({ [DEADLINE_HEADER]: '999999999' }, 30);
    await sleep(60);
    expect(greedy.passed).toBe(true);
  });

  it('ignore a header that is not a positive number of milliseconds', async () => {
    for (const value of ['0', '-5', 'soon', '', 'Infinity']) {
      const deadline = Deadline.fromHeaders({ [DEADLINE_HEADER]: value }, 10_000);
      expect(deadline.passed, value).toBe(false);
    }
  });

  it('end when the caller hangs up', () => {
    const hangUp = new AbortController();
    const deadline = Deadline.fromHeaders({}, 10_000, hangUp.signal);
    expect(deadline.passed).toBe(false);
    hangUp.abort();
    expect(deadline.passed).toBe(true);
    expect(deadline.reason).toBe('abandoned');
  });
});
