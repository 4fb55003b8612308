import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevIssuer, mintToken, type DevIssuer } from '../../../lib/auth/dev-issuer.js';
import type { Service } from '../../../lib/service.js';
import type { AgencyDataset, NoticeRecord, CaseRecord, RecordLabels } from '../../../subgraphs/agency/store/records.js';
import { startAgencyNode } from '../../../subgraphs/agency/server.js';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import { insertDataset } from '../../../subgraphs/agency/store/writes.js';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../../helpers/databases.js';
import { inProcessNodeOptions, TEST_DIRECTORY } from '../../helpers/node.js';
import { postGraphQL } from '../../helpers/federation.js';

// Cooperation figures from a small store whose every figure is worked out by hand below, for
// the owner's own officer (everything) and for a partner (only what it reads in full, only
// its own requests and disclosures). TH-RTP is in GLOBAL, ASEAN and MEKONG; EUROPOL in
// GLOBAL and EU, so GREEN is shared with TH-RTP through GLOBAL.

const OWNER = 'EUROPOL';
const labels = (tlp: RecordLabels['tlp'], releasableTo: string[] = [], discoverable = false): RecordLabels => ({
  tlp,
  handling: 'H1',
  releasableTo,
  discoverable,
});
const notice = (localId: string, colour: NoticeRecord['colour'], status: NoticeRecord['status'], issuedOn: string): NoticeRecord => ({
  localId,
  colour,
  status,
  subjectLocalId: 'S-1',
  reference: localId,
  title: [{ language: 'en', text: localId, original: true }],
  charges: [],
  issuedOn,
  requestingCountry: null,
  recipients: [],
});
const caseRecord = (
  localId: string,
  status: CaseRecord['status'],
  openedOn: string,
  crimeTypes: CaseRecord['crimeTypes'],
  partners: string[],
): CaseRecord => ({
  localId,
  reference: localId,
  title: [{ language: 'en', text: localId, original: true }],
  crimeTypes,
  status,
  openedOn,
  subjects: [],
  participatingAgencies: [OWNER, ...partners],
});

const DATASET: AgencyDataset = {
  agency: OWNER,
  subjects: [
    {
      localId: 'S-1',
      kind: 'PERSON',
      gender: null,
      names: [{ full: 'TEST Person', script: 'Latn', kind: 'PRIMARY', quality: null }],
      birthDates: [],
      nationalities: [],
      documents: [],
    },
  ],
  notices: [
    notice('N-1', 'RED', 'ACTIVE', '2026-03-01'), // CLEAR: TH-RTP reads it in full
    notice('N-2', 'RED', 'ACTIVE', '2026-04-01'), // GREEN, shared community: in full
    notice('N-3', 'YELLOW', 'ACTIVE', '2026-04-02'), // RED, discoverable: HIT_ONLY, not counted for TH-RTP
    notice('N-4', 'YELLOW', 'CANCELLED', '2026-04-03'), // not in force
    notice('N-5', 'BLUE', 'ACTIVE', '2026-04-04'), // AMBER released to TH-RTP: in full
    notice('N-6', 'BLUE', 'ACTIVE', '2026-04-05'), // AMBER_STRICT to ASEAN only: NONE to TH-RTP (a circle does not count)
    notice('N-7', 'RED', 'ACTIVE', '2099-01-01'), // issued after the period
  ],
  cases: [
    caseRecord('C-1', 'OPEN', '2026-02-01', ['TELECOM_FRAUD', 'MONEY_LAUNDERING'], ['TH-RTP', 'INTERPOL']),
    caseRecord('C-2', 'CLOSED', '2026-05-01', ['TELECOM_FRAUD'], ['TH-RTP']),
    caseRecord('C-3', 'OPEN', '2026-06-01', ['DRUG_TRAFFICKING'], ['CN-MPS']), // RED, discoverable: not counted for TH-RTP
    caseRecord('C-4', 'OPEN', '2025-12-31', ['TELECOM_FRAUD'], ['TH-RTP']), // opened before the period
  ],
  labels: {
    'S-1': labels('CLEAR'),
    'N-1': labels('CLEAR'),
    'N-2': labels('GREEN'),
    'N-3': labels('RED', [], true),
    'N-4': labels('CLEAR'),
    'N-5': labels('AMBER', ['TH-RTP']),
    'N-6': labels('AMBER_STRICT', ['ASEAN']),
    'N-7': labels('CLEAR'),
    'C-1': labels('CLEAR'),
    'C-2': labels('CLEAR'),
    'C-3': labels('RED', [], true),
    'C-4': labels('CLEAR'),
  },
};

/** Access requests as the store keeps them; decision times 10 h and 48 h (TH-RTP), 2 h (CN-MPS). */
const request = (
  localId: string,
  requesterAgency: string,
  status: 'PENDING' | 'APPROVED' | 'DENIED',
  requestedAt: string,
  decidedAt: string | null,
) => ({
  localId,
  recordId: 'N-1',
  requesterAgency,
  requesterSub: `${requesterAgency}-officer`,
  purpose: 'CRIMINAL_INVESTIGATION',
  justification: 'test',
  idempotencyKey: localId,
  status,
  requestedAt,
  decidedAt,
  decidedBy: decidedAt ? 'reviewer' : null,
  note: null,
  // Grants long over: they change no record's level today.
  expiresAt: status === 'APPROVED' ? '2026-07-01T00:00:00.000Z' : null,
});
const REQUESTS = [
  request('R-1', 'TH-RTP', 'APPROVED', '2026-03-01T00:00:00.000Z', '2026-03-01T10:00:00.000Z'),
  request('R-2', 'TH-RTP', 'DENIED', '2026-04-01T00:00:00.000Z', '2026-04-03T00:00:00.000Z'),
  request('R-3', 'TH-RTP', 'PENDING', '2026-05-01T00:00:00.000Z', null),
  request('R-4', 'CN-MPS', 'APPROVED', '2026-06-01T00:00:00.000Z', '2026-06-01T02:00:00.000Z'),
  request('R-5', 'TH-RTP', 'APPROVED', '2025-12-31T23:00:00.000Z', '2026-01-01T01:00:00.000Z'), // before the period
];

const PERIOD = { from: '2026-01-01', to: '2030-12-31' };
const FIGURES = `from to noticesInForce { colour count } casesByCrimeType { crimeType open closed } jointCases { partner { code } count }
  accessRequests { received answered approved denied pending medianHoursToDecision p90HoursToDecision } disclosures { month partner { code } full hitOnly }`;

describe.each(STORE_KINDS)('cooperation figures of one node on %s', (kind) => {
  let database: TestDatabase;
  let dataDir: string;
  let issuer: DevIssuer;
  let node: Service;
  const tokens: Record<string, string> = {};
  const ask = async (caller: string, query: string, variables: Record<string, unknown> = {}) =>
    postGraphQL<Record<string, unknown>>(node.url, query, variables, {
      authorization: `Bearer ${tokens[caller]}`,
      'x-purpose': 'CRIMINAL_INVESTIGATION',
    });

  beforeAll(async () => {
    database = await createTestDatabase(kind, 'cooperation');
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cooperation-'));
    issuer = await ensureDevIssuer(dataDir);
    const store = await openStore({ agency: OWNER, database: database.database });
    try {
      await insertDataset(store, DATASET);
      await store.db.insertInto('accessRequests').values(REQUESTS).execute();
    } finally {
      await store.close();
    }
    node = await startAgencyNode(inProcessNodeOptions(dataDir, { agency: OWNER, database: database.database, seedDemoData: false }));
    for (const agency of [OWNER, 'TH-RTP', 'CN-MPS']) {
      tokens[agency] = await mintToken(issuer, {
        agency,
        circles: TEST_DIRECTORY.circlesOf(agency),
        roles: ['officer'],
        sub: `${agency}-officer`,
        ttl: '1h',
        audience: 'records-federation',
      });
    }
    // Disclosures this month, recorded in the ledger: TH-RTP lists every notice (N-1, N-2, N-4,
    // N-5 and N-7 in full, N-3 as a hit; N-6 not at all); CN-MPS looks up N-1.
    expect((await ask('TH-RTP', '{ notices(first: 100) { id } }')).data?.notices).toHaveLength(6);
    expect((await ask('CN-MPS', '{ notice(id: "EUROPOL:N-1") { id } }')).data?.notice).toEqual({ id: 'EUROPOL:N-1' });
  });

  afterAll(async () => {
    await node?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const month = new Date().toISOString().slice(0, 7);

  it('gives a partner only what it reads in full, and only its own requests and disclosures', async () => {
    const answer = await ask('TH-RTP', `query ($period: Period) { cooperationReport(period: $period) { agency { code } ${FIGURES} } }`, {
      period: PERIOD,
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.cooperationReport).toEqual([
      {
        agency: { code: OWNER },
        ...PERIOD,
        noticesInForce: [
          { colour: 'BLUE', count: 1 },
          { colour: 'RED', count: 2 },
        ],
        casesByCrimeType: [
          { crimeType: 'MONEY_LAUNDERING', open: 1, closed: 0 },
          { crimeType: 'TELECOM_FRAUD', open: 1, closed: 1 },
        ],
        jointCases: [
          { partner: { code: 'INTERPOL' }, count: 1 },
          { partner: { code: 'TH-RTP' }, count: 2 },
        ],
        accessRequests: { received: 3, answered: 2, approved: 1, denied: 1, pending: 1, medianHoursToDecision: 10, p90HoursToDecision: 48 },
        disclosures: [{ month, partner: { code: 'TH-RTP' }, full: 5, hitOnly: 1 }],
      },
    ]);
  });

  it("gives the owner's own users every record, request and disclosure", async () => {
    const answer = await ask(OWNER, `query ($period: Period) { cooperationReport(period: $period) { ${FIGURES} } }`, { period: PERIOD });
    expect(answer.errors).toBeUndefined();
    const [figures] = answer.data!.cooperationReport as Record<string, unknown>[];
    expect(figures).toMatchObject({
      noticesInForce: [
        { colour: 'BLUE', count: 2 },
        { colour: 'RED', count: 2 },
        { colour: 'YELLOW', count: 1 },
      ],
      casesByCrimeType: [
        { crimeType: 'DRUG_TRAFFICKING', open: 1, closed: 0 },
        { crimeType: 'MONEY_LAUNDERING', open: 1, closed: 0 },
        { crimeType: 'TELECOM_FRAUD', open: 1, closed: 1 },
      ],
      jointCases: [
        { partner: { code: 'CN-MPS' }, count: 1 },
        { partner: { code: 'INTERPOL' }, count: 1 },
        { partner: { code: 'TH-RTP' }, count: 2 },
      ],
      accessRequests: { received: 4, answered: 3, approved: 2, denied: 1, pending: 1, medianHoursToDecision: 10, p90HoursToDecision: 48 },
      disclosures: [
        { month, partner: { code: 'CN-MPS' }, full: 1, hitOnly: 0 },
        { month, partner: { code: 'TH-RTP' }, full: 5, hitOnly: 1 },
      ],
    });
  });

  it('answers Agency.cooperation for its own agency only, over the last 12 months by default', async () => {
    const answer = await ask(
      'TH-RTP',
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Agency { code cooperation { from to disclosures { full } } } } }',
      {
        r: [
          { __typename: 'Agency', code: OWNER },
          { __typename: 'Agency', code: 'INTERPOL' },
        ],
      },
    );
    expect(answer.errors).toBeUndefined();
    const today = new Date();
    const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 11, 1)).toISOString().slice(0, 10);
    expect(answer.data!._entities).toEqual([
      { code: OWNER, cooperation: { from, to: today.toISOString().slice(0, 10), disclosures: [{ full: 5 }] } },
      { code: 'INTERPOL', cooperation: null },
    ]);
  });

  it.each([
    [{ from: '2026-13-01', to: '2026-12-31' }, /period\.from must be an ISO 8601 date/],
    [{ from: '2026-02-30', to: '2026-12-31' }, /period\.from must be an ISO 8601 date/],
    [{ from: '2026-12-31', to: '2026-01-01' }, /period\.from \(2026-12-31\) is after period\.to \(2026-01-01\)/],
    [{ from: '1900-01-01', to: '2026-01-01' }, /at most 3660 days/],
  ])('refuses the period %j with one line', async (period, says) => {
    const answer = await ask('TH-RTP', 'query ($period: Period) { cooperationReport(period: $period) { from } }', { period });
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors![0]!.message).toMatch(says);
    expect(answer.errors![0]!.message).not.toContain('\n');
  });

  it('needs a role that reads records', async () => {
    const auditor = await mintToken(issuer, {
      agency: 'TH-RTP',
      circles: ['GLOBAL'],
      roles: ['auditor'],
      sub: 'a',
      ttl: '1h',
      audience: 'records-federation',
    });
    const answer = await postGraphQL<Record<string, unknown>>(
      node.url,
      '{ cooperationReport { from } }',
      {},
      { authorization: `Bearer ${auditor}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' },
    );
    expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
