import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../lib/config/project-root.js';
import { startTestFederation, type CallerSpec, type TestFederation } from '../../helpers/federation.js';

// One hit/no-hit question to every agency: INTERPOL holds the imported UN list, the others
// their demo data; each node matches its own subjects under its own policy.

const run = promisify(execFile);
const THAI_OFFICER: CallerSpec = { agency: 'TH-RTP', roles: ['officer'] };
const EUROPOL_OFFICER: CallerSpec = { agency: 'EUROPOL', roles: ['officer'] };
const EUROPOL_AUDITOR: CallerSpec = { agency: 'EUROPOL', roles: ['auditor'] };

interface Hit {
  score: number;
  disclosure: string;
  matchedName: string | null;
  agency: { code: string };
  record: { __typename: string; id: string; names: { full: string }[] | null };
  explanation: { field: string; outcome: string; detail: string }[] | null;
}

const SCREEN = `query Screening($person: PersonQuery!, $agencies: [ID!]) {
  screen(person: $person, minScore: 0.8, agencies: $agencies) {
    score disclosure matchedName agency { code }
    record { __typename ... on Subject { id names { full } } }
    explanation { field outcome detail } } }`;

let fed: TestFederation;
beforeAll(async () => {
  fed = await startTestFederation();
  // The real user flow: import the UN list into INTERPOL's running node.
  await run(
    process.execPath,
    ['--import', 'tsx', 'scripts/import-un.ts', 'tests/fixtures/un/un-consolidated-2024-09-26.xml', '--agency', 'INTERPOL'],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        FEDERATION_CONFIG: fed.config.federation.dataDir + '/federation.json',
        DATA_DIR: fed.config.federation.dataDir,
      },
    },
  );
});
afterAll(async () => {
  await fed?.stop();
});

async function screen(person: Record<string, string>, as: CallerSpec = THAI_OFFICER, agencies?: string[]) {
  return fed.query<{ screen: Hit[] }>(SCREEN, { person, agencies }, { as, purpose: 'BORDER_CONTROL' });
}

describe('screening through the gateway', () => {
  it('finds a listed person by another spelling, with an explanation, best hit first', async () => {
    const { data, errors } = await screen({ name: 'Mohamed Taher Anwari', dateOfBirth: '1961', nationality: 'AF' });
    expect(errors).toBeUndefined();
    const [top] = data!.screen;
    expect(top).toMatchObject({
      disclosure: 'FULL',
      agency: { code: 'INTERPOL' },
      record: { __typename: 'Subject', id: 'INTERPOL:UNS-TAi.005' },
    });
    expect(top!.matchedName).toMatch(/ANWARI/i);
    expect(top!.explanation!.map((reason) => reason.field)).toEqual(['NAME', 'DATE_OF_BIRTH', 'NATIONALITY']);
    const scores = data!.screen.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("answers each owner's subjects at the level its policy decides", async () => {
    const { data: own } = await fed.query<{ subjects: { id: string; names: { full: string }[] }[] }>(
      '{ subjects(first: 100, agencies: ["EUROPOL"], filter: { kinds: [PERSON] }) { id names { full } } }',
      {},
      { as: EUROPOL_OFFICER },
    );
    const levels = new Map<string, string>();
    for (const subject of own!.subjects) {
      const { data } = await fed.query<{ subject: { disclosure: string } | null }>('query($id: ID!) { subject(id: $id) { disclosure } }', {
        id: subject.id,
      });
      levels.set(subject.id, data!.subject?.disclosure ?? 'NONE');
    }
    for (const level of ['FULL', 'HIT_ONLY', 'NONE']) {
      const subject = own!.subjects.find((s) => levels.get(s.id) === level)!;
      const { data, errors } = await screen({ name: subject.names[0]!.full }, THAI_OFFICER, ['EUROPOL']);
      expect(errors).toBeUndefined();
      const hit = data!.screen.find((h) => h.record.id === subject.id);
      if (level === 'NONE') {
        expect(hit, `${subject.id} is NONE for TH-RTP`).toBeUndefined();
        continue;
      }
      expect(hit!.disclosure).toBe(level);
      if (level === 'HIT_ONLY') {
        expect(hit).toMatchObject({ matchedName: null, explanation: null, record: { names: null }, agency: { code: 'EUROPOL' } });
        expect(hit!.score).toBeGreaterThanOrEqual(0.8);
        // One part of the name at a time confirms nothing: the withheld subject is not among the hits.
        for (const part of subject.names[0]!.full.split(/[\s,]+/).filter((token) => token.length > 1)) {
          const single = await screen({ name: part }, THAI_OFFICER, ['EUROPOL']);
          expect(
            single.data!.screen.some((h) => h.record.id === subject.id),
            `${part} alone finds ${subject.id}`,
          ).toBe(false);
        }
      } else {
        expect(hit!.record.names!.length).toBeGreaterThan(0);
      }
    }
  });

  it("records every hit in the owner's ledger, and nothing at a node that was not asked", async () => {
    const europolLedger = async () =>
      (
        await fed.query<{ verifyAuditTrail: { length: number } }>(
          '{ verifyAuditTrail(agency: "EUROPOL") { length } }',
          {},
          { as: EUROPOL_AUDITOR },
        )
      ).data!.verifyAuditTrail.length;
    const europolBefore = await europolLedger();
    const { data } = await screen({ name: 'Abdul Latif Mansoor' }, THAI_OFFICER, ['INTERPOL']);
    const hitIds = data!.screen.map((hit) => hit.record.id);
    expect(hitIds).toContain('INTERPOL:UNS-TAi.007');
    const auditor: CallerSpec = { agency: 'INTERPOL', roles: ['auditor'] };
    const { data: head } = await fed.query<{ verifyAuditTrail: { length: number } }>(
      '{ verifyAuditTrail(agency: "INTERPOL") { length } }',
      {},
      { as: auditor },
    );
    const { data: trail } = await fed.query<{
      auditTrail: { operation: string; callerAgency: string; purpose: string; recordIds: string[]; detail: string | null }[];
    }>(
      'query($after: Int) { auditTrail(agency: "INTERPOL", first: 10, after: $after) { operation callerAgency purpose recordIds detail } }',
      { after: Math.max(0, head!.verifyAuditTrail.length - 10) },
      { as: auditor },
    );
    const entry = trail!.auditTrail.findLast((e) => e.operation.startsWith('Screening') && e.callerAgency === 'TH-RTP');
    expect(entry).toBeDefined();
    expect(entry!.purpose).toBe('BORDER_CONTROL');
    expect(JSON.parse(entry!.detail!).screening).toMatch(/^[0-9a-f]{64}$/);
    for (const id of hitIds) expect(entry!.recordIds, id).toContain(id);
    expect(await europolLedger()).toBe(europolBefore);
  });

  it('refuses a malformed question in one line', async () => {
    const { errors } = await screen({ name: 'Anwari', dateOfBirth: '61' });
    // The gateway refuses it once, before any node is asked.
    expect(errors).toHaveLength(1);
    expect(errors![0]!.message).toBe('screen(person.dateOfBirth): must be ISO 8601: 1961, 1961-03 or 1961-03-05; got "61".');
  });

  it("gives the other nodes' hits and names the one that is down", async () => {
    await fed.federation.kill('LMLECC', 'SIGKILL');
    const { data, errors } = await screen({ name: 'Mohamed Taher Anwari' });
    expect(data!.screen[0]!.record.id).toBe('INTERPOL:UNS-TAi.005');
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'LMLECC' });
  });
});
