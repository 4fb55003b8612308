import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFederation, type CallerSpec, type TestFederation } from '../../helpers/federation.js';

// After a hit, a partner asks the owner for access; the owner's reviewers decide; an
// approval raises that partner's disclosure to FULL until it expires. Every step is in
// the owner's ledger.

let fed: TestFederation;
beforeAll(async () => {
  fed = await startTestFederation();
});
afterAll(async () => {
  await fed?.stop();
});

const THAI_OFFICER: CallerSpec = { agency: 'TH-RTP', roles: ['officer'] };
const FRENCH_OFFICER: CallerSpec = { agency: 'FR-PN', roles: ['officer'] };
const EUROPOL_REVIEWER: CallerSpec = { agency: 'EUROPOL', roles: ['reviewer'] };
const EUROPOL_OFFICER: CallerSpec = { agency: 'EUROPOL', roles: ['officer'] };
const EUROPOL_AUDITOR: CallerSpec = { agency: 'EUROPOL', roles: ['auditor'] };
const LMLECC_REVIEWER: CallerSpec = { agency: 'LMLECC', roles: ['reviewer'] };
const LMLECC_AUDITOR: CallerSpec = { agency: 'LMLECC', roles: ['auditor'] };

interface Request {
  id: string;
  status: string;
  recordId: string;
  expiresAt: string | null;
  requester: { code: string };
}
const REQUEST_FIELDS = 'id status recordId expiresAt requester { code }';

async function hitsFor(caller: CallerSpec): Promise<string[]> {
  const { data } = await fed.query<{ subjects: { id: string; disclosure: string }[] }>(
    '{ subjects(first: 100, agencies: ["EUROPOL"]) { id disclosure } }',
    {},
    { as: caller },
  );
  return data!.subjects.filter((s) => s.disclosure === 'HIT_ONLY').map((s) => s.id);
}

async function subjectAs(caller: CallerSpec, id: string) {
  const { data, errors } = await fed.query<{ subject: { disclosure: string; names: { full: string }[] | null } | null }>(
    'query($id: ID!) { subject(id: $id) { disclosure names { full } } }',
    { id },
    { as: caller },
  );
  expect(errors).toBeUndefined();
  return data!.subject;
}

function requestAccess(caller: CallerSpec, recordId: string, idempotencyKey: string) {
  return fed.query<{ requestAccess: Request }>(
    `mutation Ask($recordId: ID!, $key: String!) {
       requestAccess(recordId: $recordId, purpose: CRIMINAL_INVESTIGATION, justification: "Suspect crossed into Thailand; case TH-2026-118", idempotencyKey: $key) { ${REQUEST_FIELDS} } }`,
    { recordId, key: idempotencyKey },
    { as: caller },
  );
}

function decide(caller: CallerSpec, id: string, decision: 'APPROVE' | 'DENY', expiresAt?: string) {
  return fed.query<{ decideAccessRequest: Request }>(
    `mutation Decide($id: ID!, $decision: AccessDecision!, $expiresAt: String) {
       decideAccessRequest(id: $id, decision: $decision, note: "reviewed", expiresAt: $expiresAt) { ${REQUEST_FIELDS} } }`,
    { id, decision, expiresAt },
    { as: caller },
  );
}

describe('access requests after a hit', () => {
  let record: string;
  let requestId: string;

  it('lets a partner that sees a hit request access, once per idempotency key', async () => {
    const [hit] = await hitsFor(THAI_OFFICER);
    expect(hit).toBeDefined();
    record = hit!;
    expect((await subjectAs(THAI_OFFICER, record))!.names).toBeNull();

    const first = await requestAccess(THAI_OFFICER, record, 'th-rtp-0001');
    expect(first.errors).toBeUndefined();
    expect(first.data!.requestAccess).toMatchObject({ status: 'PENDING', recordId: record, requester: { code: 'TH-RTP' } });
    requestId = first.data!.requestAccess.id;
    expect(requestId).toMatch(/^EUROPOL:AR-[0-9a-f-]{36}$/);

    const retry = await requestAccess(THAI_OFFICER, record, 'th-rtp-0001');
    expect(retry.data!.requestAccess.id).toBe(requestId);
    const mine = await fed.query<{ accessRequests: Request[] }>(`{ accessRequests { ${REQUEST_FIELDS} } }`, {}, { as: THAI_OFFICER });
    expect(mine.data!.accessRequests.filter((r) => r.recordId === record)).toHaveLength(1);
  });

  it("refuses a decision from an officer, or from another agency's reviewer", async () => {
    for (const caller of [EUROPOL_OFFICER, LMLECC_REVIEWER, THAI_OFFICER]) {
      const result = await decide(caller, requestId, 'APPROVE', new Date(Date.now() + 60_000).toISOString());
      expect(result.errors?.[0]?.extensions?.code, caller.agency).toBe('FORBIDDEN');
      expect(result.errors![0]!.message).toMatch(/Only EUROPOL's reviewers may decide/);
    }
    const direct = await fed.query(
      'mutation($id: ID!) { decideAccessRequest(id: $id, decision: DENY) { id } }',
      { id: requestId },
      { as: LMLECC_REVIEWER, url: fed.nodeUrl('EUROPOL') },
    );
    expect(direct.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('raises the requester to FULL while the approval holds, and only the requester', async () => {
    // Long enough for three gateway calls on a busy 2-core machine, short enough to wait out.
    const expiresAt = new Date(Date.now() + 6000).toISOString();
    const approved = await decide(EUROPOL_REVIEWER, requestId, 'APPROVE', expiresAt);
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.decideAccessRequest).toMatchObject({ status: 'APPROVED', expiresAt });

    const granted = await subjectAs(THAI_OFFICER, record);
    expect(granted!.disclosure).toBe('FULL');
    expect(granted!.names!.length).toBeGreaterThan(0);
    const frenchView = await subjectAs(FRENCH_OFFICER, record);
    expect(frenchView?.disclosure ?? 'NONE').not.toBe('FULL');

    const again = await decide(EUROPOL_REVIEWER, requestId, 'DENY');
    expect(again.errors![0]!.message).toMatch(/already approved; a decision is final/);

    // After expiry the policy decides alone again.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now()) + 300));
    const expired = await subjectAs(THAI_OFFICER, record);
    expect(expired!.disclosure).toBe('HIT_ONLY');
    expect(expired!.names).toBeNull();
  });

  it('keeps a denied request denied', async () => {
    const [hit] = await hitsFor(FRENCH_OFFICER);
    const asked = await requestAccess(FRENCH_OFFICER, hit!, 'fr-pn-0001');
    const denied = await decide(EUROPOL_REVIEWER, asked.data!.requestAccess.id, 'DENY');
    expect(denied.data!.decideAccessRequest.status).toBe('DENIED');
    expect((await subjectAs(FRENCH_OFFICER, hit!))!.disclosure).toBe('HIT_ONLY');
    const received = await fed.query<{ accessRequests: Request[] }>(
      `{ accessRequests(status: DENIED) { ${REQUEST_FIELDS} } }`,
      {},
      { as: EUROPOL_REVIEWER },
    );
    expect(received.data!.accessRequests.map((r) => r.id)).toContain(asked.data!.requestAccess.id);
  });

  it('requires an expiry in the future to approve', async () => {
    const [hit] = await hitsFor(THAI_OFFICER);
    const asked = await requestAccess(THAI_OFFICER, hit!, 'th-rtp-0002');
    const missing = await decide(EUROPOL_REVIEWER, asked.data!.requestAccess.id, 'APPROVE');
    expect(missing.errors![0]!.message).toMatch(/ISO 8601 date-time/);
    const past = await decide(EUROPOL_REVIEWER, asked.data!.requestAccess.id, 'APPROVE', '2020-01-01T00:00:00Z');
    expect(past.errors![0]!.message).toMatch(/not in the future/);
  });

  it('answers a request for an unknown record like one for a record the caller may not know of', async () => {
    const unknown = await requestAccess(THAI_OFFICER, 'EUROPOL:S-99999', 'th-rtp-0003');
    expect(unknown.errors![0]!.message).toBe('There is no record EUROPOL:S-99999 you can request access to.');
    expect(unknown.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe("the owner's ledger", () => {
  interface Entry {
    sequence: number;
    event: string;
    callerAgency: string;
    purpose: string;
    recordIds: string[];
    disclosure: string | null;
    previousHash: string;
    hash: string;
  }

  it("holds every disclosure and access-request event, for the owner's auditors", async () => {
    const { data, errors } = await fed.query<{ auditTrail: Entry[]; verifyAuditTrail: { ok: boolean; length: number; head: string } }>(
      '{ auditTrail(agency: "EUROPOL", first: 100) { sequence event callerAgency purpose recordIds disclosure previousHash hash } verifyAuditTrail(agency: "EUROPOL") { ok length head } }',
      {},
      { as: EUROPOL_AUDITOR },
    );
    expect(errors).toBeUndefined();
    const events = new Set(data!.auditTrail.map((e) => e.event));
    expect([...events].sort()).toEqual(['ACCESS_APPROVED', 'ACCESS_DENIED', 'ACCESS_REQUESTED', 'DISCLOSURE']);
    const sequences = data!.auditTrail.map((e) => e.sequence);
    expect(sequences).toEqual(sequences.map((_, i) => i + 1));
    for (let i = 1; i < data!.auditTrail.length; i++) expect(data!.auditTrail[i]!.previousHash).toBe(data!.auditTrail[i - 1]!.hash);
    const fullToThailand = data!.auditTrail.filter(
      (e) => e.event === 'DISCLOSURE' && e.callerAgency === 'TH-RTP' && e.disclosure === 'FULL',
    );
    expect(fullToThailand.length).toBeGreaterThan(0);
    expect(fullToThailand.every((e) => e.purpose === 'CRIMINAL_INVESTIGATION')).toBe(true);
    expect(data!.verifyAuditTrail.ok).toBe(true);
    expect(data!.verifyAuditTrail.length).toBeGreaterThanOrEqual(data!.auditTrail.length);
  });

  it("is closed to another agency's auditors and to the owner's officers, through the gateway or directly", async () => {
    for (const [caller, url] of [
      [LMLECC_AUDITOR, undefined],
      [LMLECC_AUDITOR, fed.nodeUrl('EUROPOL')],
      [EUROPOL_OFFICER, undefined],
    ] as const) {
      const result = await fed.query('{ auditTrail(agency: "EUROPOL") { sequence } }', {}, { as: caller, url });
      expect(result.data?.auditTrail ?? null).toBeNull();
      expect(result.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      expect(result.errors![0]!.message).toMatch(/Only EUROPOL's auditors may read its audit ledger/);
    }
    // An auditor asking a node for another agency's ledger is refused too.
    const sideways = await fed.query(
      '{ auditTrail(agency: "LMLECC") { sequence } }',
      {},
      { as: LMLECC_AUDITOR, url: fed.nodeUrl('EUROPOL') },
    );
    expect(sideways.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('records nothing when the owner reads its own records', async () => {
    const before = await fed.query<{ verifyAuditTrail: { length: number } }>(
      '{ verifyAuditTrail(agency: "EUROPOL") { length } }',
      {},
      { as: EUROPOL_AUDITOR },
    );
    await fed.query('{ subjects(first: 5, agencies: ["EUROPOL"]) { id } }', {}, { as: EUROPOL_OFFICER });
    const after = await fed.query<{ verifyAuditTrail: { length: number } }>(
      '{ verifyAuditTrail(agency: "EUROPOL") { length } }',
      {},
      { as: EUROPOL_AUDITOR },
    );
    expect(after.data!.verifyAuditTrail.length).toBe(before.data!.verifyAuditTrail.length);
  });
});
