import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES, startTestFederation, type TestFederation } from '../../helpers/federation.js';

// One agency offline or stuck gives the others' data and one error naming it, in bounded time.

const TIMEOUT_MS = 1000;
let fed: TestFederation;

beforeAll(async () => {
  fed = await startTestFederation({ nodeTimeoutMs: TIMEOUT_MS });
});

afterAll(async () => {
  await fed?.stop();
});

const question = '{ notices(first: 3) { id agency { code name } } cases(first: 3) { id } }';

function owners(ids: { id: string }[]): string[] {
  return [...new Set(ids.map((r) => r.id.split(':')[0]!))];
}

describe('partial availability', () => {
  it('answers from the three others when a node is stuck, within the timeout', async () => {
    const stuck = fed.federation.children.get('LMLECC')!.process;
    stuck.kill('SIGSTOP');
    try {
      const started = Date.now();
      const result = await fed.query<{ notices: { id: string }[]; cases: { id: string }[] }>(question);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 3000);
      expect(owners(result.data!.notices)).toEqual(['INTERPOL', 'EUROPOL', 'ASEANAPOL']);
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'LMLECC' });
      expect(result.errors![0]!.message).toMatch(new RegExp(`LMLECC is slow: it did not answer within ${TIMEOUT_MS} ms`));
    } finally {
      stuck.kill('SIGCONT');
    }
  });

  it('answers from the three others when a node is killed, naming the dead one and no URL', async () => {
    await fed.federation.kill('EUROPOL', 'SIGKILL');
    const started = Date.now();
    const result = await fed.query<{ notices: { id: string }[]; cases: { id: string }[] }>(question);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    expect(owners(result.data!.notices)).toEqual(['INTERPOL', 'ASEANAPOL', 'LMLECC']);
    expect(owners(result.data!.cases)).toEqual(['INTERPOL', 'ASEANAPOL', 'LMLECC']);
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors!;
    expect(error!.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'EUROPOL' });
    const port = fed.config.federation.agencies.find((a) => a.code === 'EUROPOL')!.port;
    expect(JSON.stringify(error)).not.toMatch(new RegExp(`localhost|127\\.0\\.0\\.1|${port}|ECONNREFUSED|stack`, 'i'));
  });

  it('returns null and the same error for a lookup whose owner is down', async () => {
    const result = await fed.query('{ notice(id: "EUROPOL:N-00001") { id } }');
    expect(result.data).toEqual({ notice: null });
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'EUROPOL' });
  });

  it('still answers fully for the agencies that are up', async () => {
    const result = await fed.query<{ notices: { id: string }[] }>(
      `{ notices(first: 2, agencies: ${JSON.stringify(AGENCIES.filter((a) => a !== 'EUROPOL'))}) { id } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.notices).toHaveLength(6);
  });
});
