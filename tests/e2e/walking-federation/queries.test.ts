import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpAgencyClient } from '../../../gateway/datasources/agency-client.js';
import { SovereignDataSource } from '../../../gateway/datasources/sovereign-data-source.js';
import { listRootFields } from '../../../gateway/datasources/list-fields.js';
import { readSdl } from '../../../schema/supergraph.js';
import { STORE_KINDS } from '../../helpers/databases.js';
import { AGENCIES, metric, startTestFederation, type TestFederation } from '../../helpers/federation.js';

// One question across four sovereign stores, each node answering for its own records,
// with the stores on SQLite and on PostgreSQL, and with every link on mutual TLS.

const SETUPS = [
  ...STORE_KINDS.map((store) => ({ store, tls: false, name: `${store} stores` })),
  { store: 'sqlite' as const, tls: true, name: 'sqlite stores over mutual TLS' },
];

describe.each(SETUPS)('walking federation on $name', ({ store: kind, tls }) => {
  let fed: TestFederation;

  beforeAll(async () => {
    fed = await startTestFederation({ store: kind, ...(tls ? { tls: true } : {}) });
    if (tls) expect(fed.gatewayUrl).toMatch(/^https:/);
  });

  afterAll(async () => {
    await fed?.stop();
  });

  const ownerOf = (id: string) => id.split(':')[0];

  interface NoticeHit {
    id: string;
    colour: string;
    agency: { code: string; name: string };
    subject: { id: string; names: { full: string; script: string }[] } | null;
  }

  describe('one question across all stores', () => {
    it('answers the partner query of the issue with records of all four agencies, each from its owner', async () => {
      const { data, errors } = await fed.query<{
        notices: (NoticeHit & { disclosure: string })[];
        cases: { id: string; disclosure: string; reference: string | null; agency: { code: string }; subjects: { id: string }[] | null }[];
      }>(`{
        notices(first: 10, filter: { colours: [RED, YELLOW, DIFFUSION] }) { id colour disclosure agency { code name } subject { id names { full script } } }
        cases(filter: { crimeTypes: [TELECOM_FRAUD] }) { id disclosure reference agency { code } subjects { id names { full } } }
      }`);
      expect(errors).toBeUndefined();
      const noticeOwners = new Set(data!.notices.map((n) => n.agency.code));
      const caseOwners = new Set(data!.cases.map((c) => c.agency.code));
      expect([...noticeOwners].sort()).toEqual([...AGENCIES].sort());
      expect([...caseOwners].sort()).toEqual([...AGENCIES].sort());
      for (const notice of data!.notices) {
        expect(ownerOf(notice.id)).toBe(notice.agency.code);
        if (notice.subject) expect(ownerOf(notice.subject.id)).toBe(notice.agency.code);
        if (notice.disclosure === 'HIT_ONLY') expect(notice.subject).toBeNull();
        expect(notice.agency.name.length).toBeGreaterThan(3);
        expect(['RED', 'YELLOW', 'DIFFUSION']).toContain(notice.colour);
      }
      expect(data!.cases.some((c) => c.disclosure === 'FULL' && c.subjects!.length > 0)).toBe(true);
      for (const c of data!.cases) {
        expect(ownerOf(c.id)).toBe(c.agency.code);
        for (const s of c.subjects ?? []) expect(ownerOf(s.id)).toBe(c.agency.code);
      }
      // Concatenated in federation order.
      const order = data!.notices.map((n) => AGENCIES.indexOf(n.agency.code as (typeof AGENCIES)[number]));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    });

    it("bounds each agency's share with `first`", async () => {
      const { data } = await fed.query<{ subjects: { id: string }[] }>('{ subjects(first: 3) { id } }');
      const perAgency = new Map<string, number>();
      for (const s of data!.subjects) perAgency.set(ownerOf(s.id)!, (perAgency.get(ownerOf(s.id)!) ?? 0) + 1);
      expect(Object.fromEntries(perAgency)).toEqual(Object.fromEntries(AGENCIES.map((a) => [a, 3])));
    });

    it('narrows a question to the stores named in `agencies`', async () => {
      const { data, errors } = await fed.query<{ cases: { agency: { code: string } }[] }>(
        '{ cases(first: 5, agencies: ["LMLECC", "EUROPOL"]) { agency { code } } }',
      );
      expect(errors).toBeUndefined();
      expect(data!.cases.map((c) => c.agency.code)).toEqual([...Array(5).fill('EUROPOL'), ...Array(5).fill('LMLECC')]);
    });

    it('asks `notice(id:)` of its owner only', async () => {
      const { data: listed } = await fed.query<{ notices: { id: string }[] }>('{ notices(first: 1, agencies: ["ASEANAPOL"]) { id } }');
      const id = listed!.notices[0]!.id;
      const before = await Promise.all(AGENCIES.map((a) => metric(fed.nodeUrl(a), 'agency_graphql_requests_total', fed.fetch)));
      const { data } = await fed.query<{ notice: { id: string; agency: { code: string } } }>(
        'query($id: ID!) { notice(id: $id) { id agency { code } } }',
        { id },
      );
      const after = await Promise.all(AGENCIES.map((a) => metric(fed.nodeUrl(a), 'agency_graphql_requests_total', fed.fetch)));
      expect(data!.notice).toEqual({ id, agency: { code: 'ASEANAPOL' } });
      expect(after.map((n, i) => n - before[i]!)).toEqual([0, 0, 1, 0]);
    });

    it('serves nested relations: a subject links back to its notices and cases', async () => {
      const { data } = await fed.query<{
        notices: { subject: { id: string; notices: { id: string }[]; cases: { id: string }[] } }[];
      }>(
        '{ notices(first: 5, agencies: ["INTERPOL"]) { id subject { id notices { id } cases { id } } } }',
        {},
        { as: { agency: 'INTERPOL' } },
      );
      for (const notice of data!.notices) {
        expect(notice.subject.notices.length).toBeGreaterThan(0);
        for (const n of notice.subject.notices) expect(ownerOf(n.id)).toBe('INTERPOL');
      }
    });
  });

  describe('entity references', () => {
    it("routes Agency references to each agency's own node, in the order asked", async () => {
      const codes = ['LMLECC', 'TH-RTP', 'INTERPOL', 'ASEANAPOL', 'EUROPOL'];
      const { data, errors } = await fed.query<{ agencies: { code: string; holdings: { subjects: number } | null }[] }>(
        'query($codes: [ID!]) { agencies(codes: $codes) { code holdings { notices subjects cases } } }',
        { codes },
      );
      expect(errors).toBeUndefined();
      expect(data!.agencies.map((a) => a.code)).toEqual(codes);
      expect(data!.agencies[1]!.holdings).toBeNull();
      for (const agency of data!.agencies.filter((a) => a.code !== 'TH-RTP')) {
        const direct = await fed.query<{ subjects: unknown[] }>('{ subjects(first: 100) { id } }', {}, { url: fed.nodeUrl(agency.code) });
        expect(agency.holdings!.subjects).toBeGreaterThanOrEqual(direct.data!.subjects.length);
        expect(agency.holdings!.subjects).toBeGreaterThanOrEqual(200);
      }
    });

    it("names records' owners and recipients as the directory does, without asking the directory", async () => {
      const directoryRequests = async () => {
        const text = await (await fed.fetch(new URL('/metrics', fed.federation.url('directory')))).text();
        return text
          .split('\n')
          .filter((line) => line.startsWith('graphql_request_duration_seconds_count{'))
          .reduce((sum, line) => sum + Number(line.split(' ')[1]), 0);
      };
      const before = await directoryRequests();
      const { data, errors } = await fed.query<{
        notices: { agency: { code: string; name: string }; recipients: { code: string; name: string }[] | null }[];
      }>('{ notices(first: 20, filter: { colours: [DIFFUSION] }) { agency { code name } recipients { code name } } }');
      expect(errors).toBeUndefined();
      expect(await directoryRequests()).toBe(before);
      const named = data!.notices.flatMap((n) => [n.agency, ...(n.recipients ?? [])]);
      expect(named.some((agency) => !AGENCIES.includes(agency.code as (typeof AGENCIES)[number]))).toBe(true);
      for (const agency of named) expect(agency.name).toBe(fed.config.directory.nameOf(agency.code));
      // Anything else about an agency is still the directory's to answer.
      const kinds = await fed.query<{ notices: { agency: { kind: string } }[] }>(
        '{ notices(first: 1, agencies: ["EUROPOL"]) { agency { kind } } }',
      );
      expect(kinds.data!.notices[0]!.agency.kind).toBe(fed.config.directory.agency('EUROPOL')!.kind);
      expect(await directoryRequests()).toBe(before + 1);
    });

    it('sends mixed-owner _entities to real nodes and returns them in the original order', async () => {
      const ids: string[] = [];
      for (const agency of AGENCIES) {
        const { data } = await fed.query<{ subjects: { id: string }[] }>('{ subjects(first: 2) { id } }', {}, { url: fed.nodeUrl(agency) });
        ids.push(...data!.subjects.map((s) => s.id));
      }
      // Interleave owners: E, L, I, A, E, L, I, A ...
      const mixed = [ids[2], ids[7], ids[0], ids[4], ids[3], ids[6], ids[1], ids[5]] as string[];
      const token = await fed.token({ agency: 'TH-RTP', roles: ['officer'] });
      const source = new SovereignDataSource({
        clients: fed.config.federation.agencies.map((node) => new HttpAgencyClient(node.code, fed.nodeUrl(node.code), fed.post)),
        listFields: listRootFields(readSdl('records')),
        timeoutMs: 2000,
        logger: pino({ level: 'silent' }),
        forwardHeaders: () => ({ authorization: `Bearer ${token}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' }),
      });
      const result = await source.process({
        request: {
          query:
            'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Subject { id agency { code } } } }',
          variables: { representations: mixed.map((id) => ({ __typename: 'Subject', id })) },
        },
        context: {},
        kind: 'incoming operation',
      } as never);
      expect(result.errors).toBeUndefined();
      expect((result.data!._entities as { id: string }[]).map((e) => e.id)).toEqual(mixed);
    });
  });

  describe('SQL statements stay flat', () => {
    const nested = `query($n: Int, $agencies: [ID!]) { cases(first: $n, agencies: $agencies) { id reference title { text translations { language } } crimeTypes
        participatingAgencies { code } participants { role }
        subjects { id names { full } datesOfBirth { date } nationalities identityDocuments { number }
          notices { id colour title { text } recipients { code } } } } }`;

    /** Statements each node spent answering its own officer for `first` cases (all FULL). */
    async function statementsFor(first: number): Promise<number[]> {
      const counts: number[] = [];
      for (const agency of AGENCIES) {
        const before = await metric(fed.nodeUrl(agency), 'agency_sql_statements_total', fed.fetch);
        const { data, errors } = await fed.query<{ cases: unknown[] }>(nested, { n: first, agencies: [agency] }, { as: { agency } });
        expect(errors).toBeUndefined();
        expect(data!.cases).toHaveLength(first);
        counts.push((await metric(fed.nodeUrl(agency), 'agency_sql_statements_total', fed.fetch)) - before);
      }
      return counts;
    }

    it('issues the same bounded number of statements per node for 5 cases as for 50', async () => {
      const five = await statementsFor(5);
      const fifty = await statementsFor(50);
      expect(fifty).toEqual(five);
      for (const count of fifty) expect(count).toBeLessThanOrEqual(16);
    });
  });

  describe('bad input', () => {
    it('answers an unknown agency prefix with null and one clear error', async () => {
      const result = await fed.query('{ notice(id: "NOPE:N-00001") { id } }');
      expect(result.data).toEqual({ notice: null });
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.message).toMatch(/^Unknown agency "NOPE".*Agencies with records: INTERPOL, EUROPOL, ASEANAPOL, LMLECC\.$/);
      expect(result.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    });

    it('answers a malformed id with a clear error and no internals', async () => {
      const result = await fed.query('{ subject(id: "12345") { id } }');
      expect(result.data).toEqual({ subject: null });
      expect(result.errors![0]!.message).toMatch(/Malformed id "12345"/);
      const text = JSON.stringify(result);
      expect(text).not.toMatch(/stacktrace|localhost|127\.0\.0\.1|SELECT|sqlite|\.ts:/i);
    });

    it('answers a record that does not exist exactly like one the caller may not see: null, no error', async () => {
      const result = await fed.query('{ case(id: "EUROPOL:C-99999") { id } }');
      expect(result.data).toEqual({ case: null });
      expect(result.errors).toBeUndefined();
    });

    it('refuses an out-of-range argument once, at the gateway, before any node is asked (HTTP 400)', async () => {
      const asked = async () => {
        const counts = await Promise.all(AGENCIES.map((agency) => metric(fed.nodeUrl(agency), 'agency_graphql_requests_total', fed.fetch)));
        return counts.reduce((sum, count) => sum + count, 0);
      };
      const before = await asked();
      const result = await fed.query('{ notices(first: 1000) { id } }');
      expect(result.status).toBe(400);
      expect(result.errors).toEqual([
        {
          message: "notices(first): must be between 0 and 100 (each agency's share of the list); got 1000.",
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ]);
      expect(await asked()).toBe(before);
    });

    it('refuses the same argument from a direct caller of a node (HTTP 400)', async () => {
      const result = await fed.query(
        'query($p: PersonQuery!) { screen(person: $p) { score } }',
        { p: { name: 'x'.repeat(5000) } },
        { url: fed.nodeUrl('EUROPOL') },
      );
      expect(result.status).toBe(400);
      expect(result.errors![0]!.message).toBe('screen(person.name): must be 2 to 200 characters; got 5000.');
    });

    it('tells a direct caller of a node that a foreign id is not held there', async () => {
      const result = await fed.query('{ notice(id: "EUROPOL:N-00001") { id } }', {}, { url: fed.nodeUrl('INTERPOL') });
      expect(result.errors![0]!.message).toMatch(/belongs to EUROPOL; this node holds INTERPOL records only/);
    });
  });

  describe('developer experience', () => {
    it("shows the gateway's own explorer at its URL in a browser (tests/e2e/explorer/ opens it)", async () => {
      const response = await fed.fetch(fed.gatewayUrl, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toMatch(/<html/i);
      expect(html).toContain('<script src="/explorer/explorer.js">');
    });

    it('has introspection on outside production', async () => {
      const { data } = await fed.query<{ __schema: { queryType: { name: string } } }>(
        '{ __schema { queryType { name } } }',
        {},
        { as: null, purpose: null },
      );
      expect(data!.__schema.queryType.name).toBe('Query');
    });

    it('answers /health on every process', async () => {
      for (const url of [fed.gatewayUrl, fed.federation.url('directory'), ...AGENCIES.map((a) => fed.nodeUrl(a))]) {
        const response = await fed.fetch(new URL('/health', url));
        expect(await response.json()).toEqual({ status: 'ok' });
      }
    });
  });
});
