import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES, startTestFederation, type TestFederation } from '../../helpers/federation.js';

// cooperationReport through the gateway: every node's figures in one answer, in federation
// order, each node's under its own name; a node that is down is named in an error, and the
// others' figures are still given. Agency.cooperation goes to that agency's node alone.

let fed: TestFederation;
beforeAll(async () => {
  fed = await startTestFederation({ nodeTimeoutMs: 1000 });
});
afterAll(async () => {
  await fed?.stop();
});

type Figures = {
  agency: { code: string; name: string };
  noticesInForce: { colour: string; count: number }[];
  jointCases: { partner: { code: string }; count: number }[];
};
const REPORT =
  '{ cooperationReport { agency { code name } noticesInForce { colour count } jointCases { partner { code name } count } accessRequests { received } disclosures { month partner { code } full } } }';

describe('cooperationReport', () => {
  it("gives every node's figures, in federation order, each under its own name", async () => {
    const result = await fed.query<{ cooperationReport: Figures[] }>(REPORT);
    expect(result.errors).toBeUndefined();
    const report = result.data!.cooperationReport;
    expect(report.map((figures) => figures.agency.code)).toEqual([...AGENCIES]);
    for (const figures of report) expect(figures.agency.name).toBe(fed.config.directory.nameOf(figures.agency.code));
    // The demo stores hold notices in force that TH-RTP reads in full, and joint cases.
    expect(report.every((figures) => figures.noticesInForce.reduce((sum, { count }) => sum + count, 0) > 0)).toBe(true);
    expect(report.some((figures) => figures.jointCases.length > 0)).toBe(true);
  });

  it("answers Agency.cooperation from that agency's node", async () => {
    type Nested = { agency: { code: string; cooperation: { noticesInForce: unknown[] } }; noticesInForce: unknown[] };
    const result = await fed.query<{ cooperationReport: Nested[] }>(
      '{ cooperationReport { agency { code cooperation { noticesInForce { colour count } } } noticesInForce { colour count } } }',
    );
    expect(result.errors).toBeUndefined();
    for (const figures of result.data!.cooperationReport) expect(figures.agency.cooperation.noticesInForce).toEqual(figures.noticesInForce);
  });

  it('names a node that is down, and gives the others', async () => {
    await fed.federation.kill('ASEANAPOL', 'SIGKILL');
    const result = await fed.query<{ cooperationReport: Figures[] }>(REPORT);
    expect(result.data!.cooperationReport.map((figures) => figures.agency.code)).toEqual(AGENCIES.filter((code) => code !== 'ASEANAPOL'));
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'ASEANAPOL' });
  });
});

describe('a bad period through the gateway', () => {
  it('is refused once, at the gateway, in one line', async () => {
    const result = await fed.query('{ cooperationReport(period: { from: "2026-1-1", to: "2026-12-31" }) { from } }');
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.message).toMatch(/period\.from.*ISO 8601 date/);
  });
});
