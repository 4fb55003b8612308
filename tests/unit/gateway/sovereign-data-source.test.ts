import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { buildASTSchema, parse, validate, buildSchema, type GraphQLFormattedError } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  AgencyFailureError,
  type AgencyClient,
  type AgencyRequest,
  type NodeResponse,
} from '../../../gateway/datasources/agency-client.js';
import type { CircuitSettings } from '../../../gateway/datasources/resilience.js';
import { SovereignDataSource } from '../../../gateway/datasources/sovereign-data-source.js';
import { listRootFields } from '../../../gateway/datasources/list-fields.js';
import { readSdl } from '../../../schema/supergraph.js';
import { loadConfig } from '../../../lib/config/index.js';

// Routing unit tests: the nodes are in-process fakes that record what they were sent and
// answer from a handler, so each routing rule is checked on its own.

const AGENCIES = ['INTERPOL', 'EUROPOL', 'ASEANAPOL', 'LMLECC'];
/** The records contract the gateway checks node answers against. */
const CONTRACT = buildASTSchema(parse(readSdl('records')), { assumeValidSDL: true });
const logger = pino({ level: 'silent' });
const DIRECTORY = loadConfig().directory;

type Handler = (request: AgencyRequest, signal: AbortSignal) => Promise<NodeResponse> | NodeResponse;

class FakeNode implements AgencyClient {
  readonly received: AgencyRequest[] = [];
  constructor(
    readonly agency: string,
    private readonly handler: Handler,
  ) {}
  async send(request: AgencyRequest, signal: AbortSignal): Promise<NodeResponse> {
    this.received.push(request);
    return this.handler(request, signal);
  }
}

function federation(handlers: Partial<Record<string, Handler>> = {}, timeoutMs = 1000, circuit?: CircuitSettings) {
  const nodes = AGENCIES.map((agency) => new FakeNode(agency, handlers[agency] ?? (() => ({ data: {} }))));
  const source = new SovereignDataSource({
    clients: nodes,
    listFields: listRootFields(readSdl('records')),
    rankedFields: new Map([['screen', 'score']]),
    timeoutMs,
    logger,
    forwardHeaders: () => ({ 'x-request-id': 'r-1' }),
    contract: CONTRACT,
    directory: DIRECTORY,
    circuit,
  });
  /** `context`: the gateway's request context (e.g. `abandoned`, the partner's hang-up). */
  const run = (query: string, variables: Record<string, unknown> = {}, context: Record<string, unknown> = {}) =>
    source.process({
      request: { query, variables, http: { method: 'POST', url: 'http://records', headers: new Headers() } },
      context,
      kind: 'incoming operation',
    } as unknown as GraphQLDataSourceProcessOptions) as Promise<{
      data?: Record<string, unknown> | null;
      errors?: GraphQLFormattedError[];
    }>;
  const node = (agency: string) => nodes.find((n) => n.agency === agency)!;
  return { run, node, nodes };
}

/** A node that answers every list field with `count` items of its own. */
function listOf(agency: string, count: number): (request: AgencyRequest) => NodeResponse {
  return (request) => {
    const fields = [...request.query.matchAll(/\b(notices|cases|subjects)\b/g)].map((m) => m[1]!);
    return { data: Object.fromEntries(fields.map((f) => [f, Array.from({ length: count }, (_, i) => ({ id: `${agency}:X-${i}` }))])) };
  };
}

const recordsSchema = buildSchema(
  `${readSdl('records')
    .replace(/extend schema[^\n]*\n[^\n]*\n/, '')
    .replace(/@key\([^)]*\)/g, '')
    .replace(/@shareable/g, '')}
   scalar _Any
   union _Entity = Notice | Subject | Case | Agency
   extend type Query { _entities(representations: [_Any!]!): [_Entity]! }`,
);

function expectValid(request: AgencyRequest) {
  expect(validate(recordsSchema, parse(request.query))).toEqual([]);
}

describe('broadcast', () => {
  it('sends list fields to every node and concatenates the answers in federation order', async () => {
    const { run, nodes } = federation(Object.fromEntries(AGENCIES.map((a, i) => [a, listOf(a, i + 1)])));
    const result = await run('query Q($n: Int) { notices(first: $n) { id } }', { n: 5 });
    expect(nodes.every((n) => n.received.length === 1)).toBe(true);
    for (const node of nodes) expect(node.received[0]!.variables).toEqual({ n: 5 });
    const ids = (result.data!.notices as { id: string }[]).map((n) => n.id.split(':')[0]);
    expect(ids).toEqual(['INTERPOL', 'EUROPOL', 'EUROPOL', 'ASEANAPOL', 'ASEANAPOL', 'ASEANAPOL', 'LMLECC', 'LMLECC', 'LMLECC', 'LMLECC']);
    expect(result.errors).toBeUndefined();
  });

  it('narrows to the agencies named, in federation order', async () => {
    const { run, node } = federation(Object.fromEntries(AGENCIES.map((a) => [a, listOf(a, 1)])));
    const result = await run('{ cases(agencies: ["LMLECC", "EUROPOL"]) { id } }');
    expect(node('INTERPOL').received).toHaveLength(0);
    expect(node('ASEANAPOL').received).toHaveLength(0);
    expect((result.data!.cases as { id: string }[]).map((c) => c.id)).toEqual(['EUROPOL:X-0', 'LMLECC:X-0']);
  });

  it('rejects an agency without a node with a clear error and calls nobody', async () => {
    const { run, nodes } = federation();
    const result = await run('{ cases(agencies: ["TH-RTP"]) { id } }');
    expect(nodes.every((n) => n.received.length === 0)).toBe(true);
    expect(result.data).toEqual({ cases: null });
    expect(result.errors?.[0]).toMatchObject({ path: ['cases'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(result.errors?.[0]?.message).toMatch(/TH-RTP.*no records node.*INTERPOL, EUROPOL, ASEANAPOL, LMLECC/);
  });

  it('answers an empty agencies list with an empty list', async () => {
    const { run, nodes } = federation();
    const result = await run('{ subjects(agencies: []) { id } }');
    expect(nodes.every((n) => n.received.length === 0)).toBe(true);
    expect(result.data).toEqual({ subjects: [] });
  });
});

describe('owner routing', () => {
  it('sends a lookup by id to its owner only, literal or variable', async () => {
    const { run, node, nodes } = federation({ EUROPOL: () => ({ data: { notice: { id: 'EUROPOL:N-1' } } }) });
    const literal = await run('{ notice(id: "EUROPOL:N-1") { id } }');
    const variable = await run('query($id: ID!) { notice(id: $id) { id } }', { id: 'EUROPOL:N-1' });
    expect(literal.data).toEqual({ notice: { id: 'EUROPOL:N-1' } });
    expect(variable.data).toEqual({ notice: { id: 'EUROPOL:N-1' } });
    expect(node('EUROPOL').received).toHaveLength(2);
    expect(nodes.filter((n) => n.agency !== 'EUROPOL').every((n) => n.received.length === 0)).toBe(true);
  });

  it("routes by a variable's default value, which the planner does not pass on", async () => {
    const { run, node, nodes } = federation({ EUROPOL: () => ({ data: { notice: { id: 'EUROPOL:N-1' } } }) });
    const result = await run('query($id: ID! = "EUROPOL:N-1") { notice(id: $id) { id } }');
    expect(result.data).toEqual({ notice: { id: 'EUROPOL:N-1' } });
    expect(node('EUROPOL').received[0]!.variables).toEqual({ id: 'EUROPOL:N-1' });
    expect(nodes.filter((n) => n.agency !== 'EUROPOL').every((n) => n.received.length === 0)).toBe(true);
  });

  it('routes by the default of a variable named like a property of every object (constructor)', async () => {
    const { run, nodes } = federation();
    await run('query Q($constructor: [ID!] = ["EUROPOL"]) { notices(agencies: $constructor) { id } }');
    expect(nodes.filter((n) => n.received.length > 0).map((n) => n.agency)).toEqual(['EUROPOL']);
  });

  it('answers an unknown agency prefix with null and a clear error, without calling anyone', async () => {
    const { run, nodes } = federation();
    const result = await run('{ notice(id: "FBI:N-1") { id } }');
    expect(result.data).toEqual({ notice: null });
    expect(result.errors?.[0]?.message).toMatch(/Unknown agency "FBI"/);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(nodes.every((n) => n.received.length === 0)).toBe(true);
  });

  it('reads an id the planner printed as an Int literal', async () => {
    const { run, nodes } = federation();
    const result = await run('{ subject(id: 12345) { id } }');
    expect(nodes.every((n) => n.received.length === 0)).toBe(true);
    expect(result.errors?.[0]?.message).toMatch(/Malformed id "12345"/);
  });

  it('answers a malformed id with a clear error', async () => {
    const { run } = federation();
    const result = await run('{ case(id: "not-an-id") { id } }');
    expect(result.data).toEqual({ case: null });
    expect(result.errors?.[0]?.message).toMatch(/Malformed id "not-an-id".*<AGENCY>:<local id>/);
  });
});

describe('splitting one fetch', () => {
  it('gives each node only its own root fields, fragments and variables', async () => {
    const { run, node } = federation({
      INTERPOL: (r) => ({
        data: { a: { id: 'INTERPOL:N-1', colour: 'RED' }, ...listOf('INTERPOL', 1)(r).data } as Record<string, unknown>,
      }),
      LMLECC: (r) => ({ data: { b: { id: 'LMLECC:C-1', reference: 'C/1' }, ...listOf('LMLECC', 1)(r).data } as Record<string, unknown> }),
      EUROPOL: listOf('EUROPOL', 1),
      ASEANAPOL: listOf('ASEANAPOL', 1),
    });
    const query = `query Mixed($i: ID!, $l: ID!, $n: Int) {
      a: notice(id: $i) { ...N }
      b: case(id: $l) { ...C }
      notices(first: $n) { id }
    }
    fragment N on Notice { id colour }
    fragment C on Case { id reference }`;
    const result = await run(query, { i: 'INTERPOL:N-1', l: 'LMLECC:C-1', n: 1 });
    const interpol = node('INTERPOL').received[0]!;
    const lmlecc = node('LMLECC').received[0]!;
    const europol = node('EUROPOL').received[0]!;
    expect(interpol.query).toMatch(/a: notice/);
    expect(interpol.query).not.toMatch(/case\(|fragment C/);
    expect(interpol.variables).toEqual({ i: 'INTERPOL:N-1', n: 1 });
    expect(lmlecc.query).toMatch(/b: case/);
    expect(lmlecc.query).not.toMatch(/notice\(|fragment N/);
    expect(lmlecc.variables).toEqual({ l: 'LMLECC:C-1', n: 1 });
    expect(europol.query).not.toMatch(/notice\(|case\(|fragment/);
    expect(europol.variables).toEqual({ n: 1 });
    for (const request of [interpol, lmlecc, europol]) expectValid(request);
    expect(Object.keys(result.data!)).toEqual(['a', 'b', 'notices']);
    expect(result.data!.a).toEqual({ id: 'INTERPOL:N-1', colour: 'RED' });
    expect(result.data!.b).toEqual({ id: 'LMLECC:C-1', reference: 'C/1' });
    expect(result.data!.notices).toHaveLength(4);
  });

  it('splits the same operation anew by each request’s ids: what a warm gateway sends is what a fresh one sends', async () => {
    const query = `query Mixed($i: ID!, $l: ID!, $n: Int, $reps: [_Any!]!) {
      a: notice(id: $i) { ...N }
      b: case(id: $l) { ...C }
      notices(first: $n) { id }
      _entities(representations: $reps) { ... on Subject { id } }
    }
    fragment N on Notice { id colour }
    fragment C on Case { id reference }`;
    const asked = [
      { i: 'INTERPOL:N-1', l: 'LMLECC:C-1', n: 1, reps: [{ __typename: 'Subject', id: 'EUROPOL:S-1' }] },
      { i: 'LMLECC:N-2', l: 'INTERPOL:C-2', n: 2, reps: [{ __typename: 'Subject', id: 'INTERPOL:S-2' }] },
      { i: 'EUROPOL:N-3', l: 'EUROPOL:C-3', n: 3, reps: [] },
      {
        i: 'INTERPOL:N-1',
        l: 'LMLECC:C-1',
        n: 4,
        reps: [
          { __typename: 'Subject', id: 'LMLECC:S-4' },
          { __typename: 'Subject', id: 'LMLECC:S-5' },
        ],
      },
    ];
    const warm = federation();
    for (const variables of asked) {
      const fresh = federation();
      for (const { run } of [warm, fresh]) await run(query, variables);
      for (const agency of AGENCIES) {
        const sent = warm.node(agency).received.at(-1);
        expect(sent).toEqual(fresh.node(agency).received.at(-1));
        warm.node(agency).received.length = 0;
        if (sent) expectValid(sent);
      }
    }
  });

  it('gives every node its own copy of the headers', async () => {
    const { run, nodes } = federation({
      INTERPOL: (r) => {
        r.headers['x-request-id'] = 'tampered';
        return { data: { notices: [] } };
      },
    });
    await run('{ notices { id } }');
    expect(nodes.filter((n) => n.agency !== 'INTERPOL').map((n) => n.received[0]!.headers['x-request-id'])).toEqual(['r-1', 'r-1', 'r-1']);
  });

  it('answers __typename at the root itself', async () => {
    const { run, nodes } = federation();
    expect((await run('{ __typename }')).data).toEqual({ __typename: 'Query' });
    expect(nodes.every((n) => n.received.length === 0)).toBe(true);
  });
});

describe('_entities', () => {
  const representations = [
    { __typename: 'Subject', id: 'EUROPOL:S-1' },
    { __typename: 'Subject', id: 'INTERPOL:S-7' },
    { __typename: 'Subject', id: 'UNKNOWN:S-1' },
    { __typename: 'Subject', id: 'EUROPOL:S-2' },
    { __typename: 'Agency', code: 'TH-RTP' },
    { __typename: 'Agency', code: 'LMLECC' },
  ];
  const echo = (request: AgencyRequest): NodeResponse => ({
    data: {
      _entities: (request.variables.representations as { id?: string; code?: string }[]).map((r) =>
        r.id ? { id: r.id } : { code: r.code },
      ),
    },
  });
  const query =
    'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Subject { id } ... on Agency { code } } }';

  it('sends each representation to its owner and puts the answers back in order', async () => {
    const { run, node } = federation(Object.fromEntries(AGENCIES.map((a) => [a, echo])));
    const result = await run(query, { representations });
    expect(node('EUROPOL').received[0]!.variables.representations).toEqual([representations[0], representations[3]]);
    expect(node('INTERPOL').received[0]!.variables.representations).toEqual([representations[1]]);
    expect(node('LMLECC').received[0]!.variables.representations).toEqual([representations[5]]);
    expect(node('ASEANAPOL').received).toHaveLength(0);
    expect(result.data!._entities).toEqual([
      { id: 'EUROPOL:S-1' },
      { id: 'INTERPOL:S-7' },
      null,
      { id: 'EUROPOL:S-2' },
      null,
      { code: 'LMLECC' },
    ]);
    // Unknown record owner: an error at its position; an agency without a node: just null.
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({ path: ['_entities', 2], extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('rewrites error paths to the merged positions and names the agency', async () => {
    const { run } = federation({
      ...Object.fromEntries(AGENCIES.map((a) => [a, echo])),
      EUROPOL: (request) => ({
        ...echo(request),
        errors: [
          { message: 'names unavailable', path: ['_entities', 1, 'names'], extensions: { code: 'X', stacktrace: ['at secret.ts:1'] } },
        ],
      }),
    });
    const result = await run(query, { representations });
    const error = result.errors!.find((e) => e.message === 'names unavailable')!;
    expect(error.path).toEqual(['_entities', 3, 'names']);
    expect(error.extensions).toEqual({ code: 'X', agency: 'EUROPOL' });
  });
});

describe('errors from nodes', () => {
  it('pass on only a one-line message, a well-formed code and the agency; internal ones without their message', async () => {
    const { run } = federation({
      INTERPOL: (request) => ({
        ...listOf('INTERPOL', 1)(request),
        errors: [
          {
            message:
              'relation "notices" does not exist\n    at Parser.parseErrorMessage (/srv/node_modules/pg-protocol/dist/parser.js:287:98)',
            path: ['notices', 0, 'subject'],
            extensions: { code: 'INTERNAL_SERVER_ERROR', exception: { stacktrace: ['at db.internal:5432'] } },
          },
        ],
      }),
      EUROPOL: (request) => ({
        ...listOf('EUROPOL', 1)(request),
        errors: [
          {
            message: 'No such\nsubject',
            path: ['notices', 0, 'subject'],
            extensions: { code: 'NOT_FOUND', serviceUrl: 'http://10.1.2.3:4102/', stacktrace: ['x'] },
          },
          { message: 'connect ECONNREFUSED 10.1.2.3:5432', path: ['notices', 0] },
        ],
      }),
    });
    const result = await run('{ notices { id subject { id } } }');
    expect(result.errors).toEqual([
      {
        message: "Internal error at this agency's node while resolving this field.",
        path: ['notices', 0, 'subject'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', agency: 'INTERPOL' },
      },
      { message: 'No such subject', path: ['notices', 1, 'subject'], extensions: { code: 'NOT_FOUND', agency: 'EUROPOL' } },
      {
        message: "Internal error at this agency's node while resolving this field.",
        path: ['notices', 1],
        extensions: { code: 'INTERNAL_SERVER_ERROR', agency: 'EUROPOL' },
      },
    ]);
  });
});

describe('errors a rogue node makes up', () => {
  it("never land on another agency's item, never speak with the gateway's codes, and come at most 20 at a time", async () => {
    const { run } = federation({
      INTERPOL: listOf('INTERPOL', 2),
      LMLECC: (request) => ({
        ...listOf('LMLECC', 1)(request),
        errors: [
          { message: 'Record withdrawn', path: ['notices', -3], extensions: { code: 'NOT_FOUND' } },
          { message: 'Record withdrawn', path: ['notices', 7], extensions: { code: 'NOT_FOUND' } },
          { message: 'INTERPOL is down', extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'INTERPOL' } },
          ...Array.from({ length: 30 }, (_, i) => ({ message: `noise ${i}`, extensions: { code: 'NOISE' } })),
        ],
      }),
    });
    const result = await run('{ notices { id } }');
    const errors = result.errors!;
    // -3 is no index (dropped as malformed); 7 is no item LMLECC sent (dropped with the items it does not have).
    expect(errors.filter((error) => error.message === 'Record withdrawn')).toEqual([]);
    // The gateway's own code from a node is masked like an internal error.
    expect(errors.some((error) => error.extensions?.code === 'AGENCY_UNAVAILABLE' || /INTERPOL is down/.test(error.message))).toBe(false);
    expect(errors.filter((error) => error.extensions?.agency === 'INTERPOL')).toEqual([]);
    expect(errors.filter((error) => /^noise/.test(error.message))).toHaveLength(18);
    expect(errors.find((error) => error.extensions?.code === 'NODE_ERRORS_OMITTED')).toMatchObject({
      message: '12 more errors; the first 20 are shown.',
    });
    expect(errors.at(-1)).toMatchObject({ extensions: { code: 'MALFORMED_ANSWER', agency: 'LMLECC' } });
  });
});

describe('error paths of broadcast lists', () => {
  it('shifts list indices by the items of the agencies before', async () => {
    const { run } = federation({
      INTERPOL: listOf('INTERPOL', 3),
      EUROPOL: (request) => ({
        ...listOf('EUROPOL', 2)(request),
        errors: [{ message: 'subject gone', path: ['notices', 1, 'subject'], extensions: { code: 'NOT_FOUND' } }],
      }),
      ASEANAPOL: listOf('ASEANAPOL', 0),
      LMLECC: listOf('LMLECC', 1),
    });
    const result = await run('{ notices { id subject { id } } }');
    expect(result.errors).toEqual([
      { message: 'subject gone', path: ['notices', 4, 'subject'], extensions: { code: 'NOT_FOUND', agency: 'EUROPOL' } },
    ]);
    expect((result.data!.notices as { id: string }[])[4]!.id).toBe('EUROPOL:X-1');
  });

  it('reports the same complaint from several agencies once, naming them all', async () => {
    const refuse: Handler = () => ({
      data: null,
      errors: [{ message: '"first" must be between 0 and 100', path: ['notices'], extensions: { code: 'BAD_USER_INPUT' } }],
    });
    const { run } = federation(Object.fromEntries(AGENCIES.map((a) => [a, refuse])));
    const result = await run('{ notices(first: 500) { id } }');
    expect(result.data).toEqual({ notices: [] });
    expect(result.errors).toEqual([
      { message: '"first" must be between 0 and 100', path: ['notices'], extensions: { code: 'BAD_USER_INPUT', agencies: AGENCIES } },
    ]);
  });
});

describe('unavailable nodes', () => {
  it("keeps the others' data when a node cannot be reached, with one AGENCY_UNAVAILABLE error", async () => {
    const { run } = federation({
      ...Object.fromEntries(AGENCIES.map((a) => [a, listOf(a, 1)])),
      ASEANAPOL: () => {
        throw new AgencyFailureError('ASEANAPOL', 'unreachable', 'ECONNREFUSED 127.0.0.1:4103');
      },
    });
    const result = await run('{ notices { id } cases { id } }');
    expect((result.data!.notices as unknown[]).length).toBe(3);
    expect((result.data!.cases as unknown[]).length).toBe(3);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toEqual({ code: 'AGENCY_UNAVAILABLE', agency: 'ASEANAPOL', reason: 'unreachable' });
    expect(JSON.stringify(result.errors)).not.toMatch(/127\.0\.0\.1|4103|ECONNREFUSED|http/);
  });

  it('gives up on a node that does not answer within the timeout', async () => {
    const hang: Handler = (_request, signal) =>
      new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new AgencyFailureError('LMLECC', 'timeout', 'aborted'))),
      );
    const { run } = federation({ ...Object.fromEntries(AGENCIES.map((a) => [a, listOf(a, 2)])), LMLECC: hang }, 150);
    const started = Date.now();
    const result = await run('{ notices { id } }');
    expect(Date.now() - started).toBeLessThan(1500);
    expect((result.data!.notices as unknown[]).length).toBe(6);
    expect(result.errors).toEqual([
      {
        message: expect.stringMatching(/LMLECC is slow: it did not answer within 150 ms/),
        extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'LMLECC', reason: 'timeout' },
      },
    ]);
  });

  it('treats an answer that is not GraphQL as unavailable, and an unexpected throw likewise', async () => {
    const { run } = federation({
      EUROPOL: () => {
        throw new TypeError('Unexpected token < in JSON at position 0');
      },
    });
    const result = await run('{ notices { id } }');
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toEqual({ code: 'AGENCY_UNAVAILABLE', agency: 'EUROPOL', reason: 'bad_response' });
    expect(result.errors![0]!.message).not.toMatch(/Unexpected token/);
  });

  it('returns null for an owner-routed field whose owner is down', async () => {
    const { run } = federation({
      INTERPOL: () => {
        throw new AgencyFailureError('INTERPOL', 'unreachable', 'ECONNREFUSED');
      },
    });
    const result = await run('{ notice(id: "INTERPOL:N-1") { id } }');
    expect(result.data).toEqual({ notice: null });
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'INTERPOL' });
  });
});

describe('mutations', () => {
  it('keeps field order across interleaved owners: one owner never overtakes another', async () => {
    const calls: string[] = [];
    const record =
      (agency: string): Handler =>
      (request) => {
        const keys = [...request.query.matchAll(/(\w+): touch/g)].map((m) => m[1]!);
        calls.push(`${agency}:${keys.join(',')}`);
        return { data: Object.fromEntries(keys.map((key) => [key, agency])) };
      };
    const { run } = federation({ EUROPOL: record('EUROPOL'), INTERPOL: record('INTERPOL') });
    const result = await run(
      'mutation { a: touch(id: "EUROPOL:C-1") b: touch(id: "EUROPOL:C-2") c: touch(id: "INTERPOL:C-3") d: touch(id: "EUROPOL:C-4") }',
    );
    expect(calls).toEqual(['EUROPOL:a,b', 'INTERPOL:c', 'EUROPOL:d']);
    expect(result.data).toEqual({ a: 'EUROPOL', b: 'EUROPOL', c: 'INTERPOL', d: 'EUROPOL' });
  });

  it('refuses a mutation that names no owner instead of sending it to every node', async () => {
    const { run, nodes } = federation();
    const result = await run('mutation { touchEverything(note: "x") }');
    expect(nodes.every((n) => n.received.length === 0)).toBe(true);
    expect(result.errors![0]!.message).toMatch(/touchEverything needs an id, recordId or agency argument/);
  });

  it('runs owners one after the other, in the order of the fields', async () => {
    const log: string[] = [];
    const slow =
      (agency: string): Handler =>
      async () => {
        log.push(`start ${agency}`);
        await new Promise((r) => setTimeout(r, 20));
        log.push(`end ${agency}`);
        return { data: { [agency === 'LMLECC' ? 'first' : 'second']: agency } };
      };
    const { run } = federation({ LMLECC: slow('LMLECC'), INTERPOL: slow('INTERPOL') });
    const result = await run('mutation { first: touch(id: "LMLECC:C-1") second: touch(id: "INTERPOL:C-2") }');
    expect(result.data).toEqual({ first: 'LMLECC', second: 'INTERPOL' });
    expect(log).toEqual(['start LMLECC', 'end LMLECC', 'start INTERPOL', 'end INTERPOL']);
  });
});

describe('ranked lists', () => {
  const hits =
    (agency: string, scores: number[]): Handler =>
    (request) => {
      expect(request.query).toMatch(/sovereignRank__: score/);
      return { data: { screen: scores.map((score, i) => ({ record: { id: `${agency}:S-${i}` }, sovereignRank__: score })) } };
    };

  it('merges screening hits from all nodes best first, even when score is not asked for', async () => {
    const { run } = federation({
      INTERPOL: hits('INTERPOL', [0.91, 0.82]),
      EUROPOL: hits('EUROPOL', [0.99]),
      ASEANAPOL: hits('ASEANAPOL', []),
      LMLECC: (request) => ({
        ...(hits('LMLECC', [0.95, 0.82])(request, new AbortController().signal) as NodeResponse),
        errors: [{ message: 'explanation unavailable', path: ['screen', 1, 'explanation'], extensions: { code: 'UNAVAILABLE' } }],
      }),
    });
    const result = await run('{ screen(person: { name: "Anwari" }) { record { ... on Subject { id } } } }');
    expect(result.data!.screen).toEqual([
      { record: { id: 'EUROPOL:S-0' } },
      { record: { id: 'LMLECC:S-0' } },
      { record: { id: 'INTERPOL:S-0' } },
      { record: { id: 'INTERPOL:S-1' } },
      { record: { id: 'LMLECC:S-1' } },
    ]);
    // The error at LMLECC's second hit follows it to its merged position.
    expect(result.errors).toEqual([
      { message: 'explanation unavailable', path: ['screen', 4, 'explanation'], extensions: { code: 'UNAVAILABLE', agency: 'LMLECC' } },
    ]);
  });
});

describe('a node speaks only for its own agency', () => {
  const ENTITIES =
    'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Subject { id name: names { full } } } }';
  const refs = (ids: string[]) => ({ representations: ids.map((id) => ({ __typename: 'Subject', id })) });

  it("drops records a node sends under another agency's id or owner, naming the node; keys of others pass", async () => {
    const { run } = federation({
      INTERPOL: () => ({ data: { notices: [{ id: 'INTERPOL:N-9', colour: 'RED', agency: { code: 'INTERPOL' }, recipients: [] }] } }),
      EUROPOL: () => ({
        data: {
          notices: [
            { id: 'EUROPOL:N-1', colour: 'RED', agency: { code: 'EUROPOL' }, recipients: [{ code: 'INTERPOL', holdings: null }] },
            { id: 'INTERPOL:N-00001', colour: 'RED', agency: { code: 'INTERPOL' }, recipients: [] },
            { id: 'EUROPOL:N-2', colour: 'BLUE', agency: { code: 'ASEANAPOL' }, recipients: [] },
            { id: 'EUROPOL:N-3', colour: 'BLUE', agency: { code: 'EUROPOL' }, recipients: [{ code: 'LMLECC', holdings: { notices: 5 } }] },
            { id: 'EUROPOL:N-4 ', colour: 'BLUE', agency: { code: 'EUROPOL' }, recipients: [] },
          ],
        },
      }),
    });
    const result = await run('{ notices { id colour agency { code } recipients { code holdings { notices } } } }');
    expect(result.data!.notices).toEqual([
      { id: 'INTERPOL:N-9', colour: 'RED', agency: { code: 'INTERPOL' }, recipients: [] },
      { id: 'EUROPOL:N-1', colour: 'RED', agency: { code: 'EUROPOL' }, recipients: [{ code: 'INTERPOL', holdings: null }] },
      { id: 'EUROPOL:N-3', colour: 'BLUE', agency: { code: 'EUROPOL' }, recipients: [] },
    ]);
    expect(result.errors).toEqual([
      {
        message:
          "Agency EUROPOL's node sent 4 records under another agency's name (INTERPOL:N-00001, a record credited to ASEANAPOL, LMLECC, EUROPOL:N-4 ); left out of this answer.",
        extensions: { code: 'FOREIGN_RECORD', agency: 'EUROPOL' },
      },
    ]);
  });

  it("holds agencies' names, which nodes serve from their copy of the directory, to the gateway's directory", async () => {
    const name = (code: string) => DIRECTORY.nameOf(code)!;
    const { run } = federation({
      EUROPOL: () => ({
        data: {
          notices: [
            // The directory's names: its own, and a recipient's (a reference with its name, not content).
            {
              id: 'EUROPOL:N-1',
              agency: { code: 'EUROPOL', name: name('EUROPOL') },
              recipients: [{ code: 'INTERPOL', name: name('INTERPOL') }],
            },
            // Renamed: the record goes (agency is non-null), and so does a recipient under a name not its own.
            { id: 'EUROPOL:N-2', agency: { code: 'EUROPOL', name: 'Europol (verified source)' }, recipients: [] },
            {
              id: 'EUROPOL:N-3',
              agency: { code: 'EUROPOL', name: name('EUROPOL') },
              recipients: [{ code: 'INTERPOL', name: name('LMLECC') }],
            },
            // A code the directory does not list.
            {
              id: 'EUROPOL:N-4',
              agency: { code: 'EUROPOL', name: name('EUROPOL') },
              recipients: [{ code: 'XX-FAKE', name: name('EUROPOL') }],
            },
          ],
        },
      }),
      // Asked for names only: the owner must still be itself, by name.
      LMLECC: () => ({
        data: {
          notices: [
            { id: 'LMLECC:N-1', agency: { name: name('LMLECC') }, recipients: [{ name: name('TH-RTP') }] },
            { id: 'LMLECC:N-2', agency: { name: name('INTERPOL') }, recipients: [] },
            { id: 'LMLECC:N-3', agency: { name: name('LMLECC') }, recipients: [{ name: 'Not an agency' }] },
          ],
        },
      }),
    });
    const both = await run('{ notices(agencies: ["EUROPOL"]) { id agency { code name } recipients { code name } } }');
    expect(both.data!.notices).toEqual([
      { id: 'EUROPOL:N-1', agency: { code: 'EUROPOL', name: name('EUROPOL') }, recipients: [{ code: 'INTERPOL', name: name('INTERPOL') }] },
      { id: 'EUROPOL:N-3', agency: { code: 'EUROPOL', name: name('EUROPOL') }, recipients: [] },
      { id: 'EUROPOL:N-4', agency: { code: 'EUROPOL', name: name('EUROPOL') }, recipients: [] },
    ]);
    expect(both.errors).toEqual([
      {
        message: "Agency EUROPOL's node sent 3 values that do not fit the records contract; left out of this answer.",
        extensions: { code: 'MALFORMED_ANSWER', agency: 'EUROPOL' },
      },
    ]);
    const names = await run('{ notices(agencies: ["LMLECC"]) { id agency { name } recipients { name } } }');
    expect(names.data!.notices).toEqual([
      { id: 'LMLECC:N-1', agency: { name: name('LMLECC') }, recipients: [{ name: name('TH-RTP') }] },
      { id: 'LMLECC:N-3', agency: { name: name('LMLECC') }, recipients: [] },
    ]);
    expect(names.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'FOREIGN_RECORD', agency: 'LMLECC' } }),
      expect.objectContaining({ extensions: { code: 'MALFORMED_ANSWER', agency: 'LMLECC' } }),
    ]);
    expect(names.errors![0]!.message).toContain(`a record credited to ${name('INTERPOL')}`);
  });

  it("checks every alias of an agency's code and name, not just one", async () => {
    const name = (code: string) => DIRECTORY.nameOf(code)!;
    const { run } = federation({
      EUROPOL: (request) => {
        const query = request.query;
        if (query.includes('n2: name'))
          return {
            data: { notices: [{ id: 'EUROPOL:N-1', agency: { code: 'EUROPOL', name: 'Europol (verified source)', n2: name('EUROPOL') } }] },
          };
        if (query.includes('c2: code'))
          return { data: { notices: [{ id: 'EUROPOL:N-1', agency: { code: 'INTERPOL', c2: 'EUROPOL', name: name('EUROPOL') } }] } };
        if (query.includes('c: code'))
          return {
            data: { notices: [{ id: 'EUROPOL:N-1', agency: { code: 'EUROPOL' }, recipients: [{ c: 'XX-FAKE', code: 'INTERPOL' }] }] },
          };
        return { data: { notices: [{ id: 'EUROPOL:N-1', agency: { name: name('INTERPOL'), x: name('EUROPOL') } }] } };
      },
    });
    const renamed = await run('{ notices(agencies: ["EUROPOL"]) { id agency { code name n2: name } } }');
    expect(renamed.data!.notices).toEqual([]);
    expect(renamed.errors![0]).toMatchObject({ extensions: { code: 'MALFORMED_ANSWER', agency: 'EUROPOL' } });
    const credited = await run('{ notices(agencies: ["EUROPOL"]) { id agency { code c2: code name } } }');
    expect(credited.data!.notices).toEqual([]);
    expect(credited.errors![0]).toMatchObject({ extensions: { code: 'FOREIGN_RECORD', agency: 'EUROPOL' } });
    const unlisted = await run('{ notices(agencies: ["EUROPOL"]) { id agency { code } recipients { c: code code } } }');
    expect(unlisted.data!.notices).toEqual([{ id: 'EUROPOL:N-1', agency: { code: 'EUROPOL' }, recipients: [] }]);
    expect(unlisted.errors![0]).toMatchObject({ extensions: { code: 'MALFORMED_ANSWER', agency: 'EUROPOL' } });
    const byName = await run('{ notices(agencies: ["EUROPOL"]) { id agency { name x: name } } }');
    expect(byName.data!.notices).toEqual([]);
    expect(byName.errors![0]).toMatchObject({ extensions: { code: 'FOREIGN_RECORD', agency: 'EUROPOL' } });
  });

  it("drops a screening hit whose record is another agency's, even as a bare key", async () => {
    const { run } = federation({
      LMLECC: () => ({
        data: { screen: [{ score: 1, sovereignRank__: 1, disclosure: 'FULL', record: { __typename: 'Subject', id: 'EUROPOL:S-00777' } }] },
      }),
    });
    const result = await run(
      '{ screen(person: { name: "Ann Lee" }, agencies: ["LMLECC"]) { score disclosure record { ... on Subject { id } } } }',
    );
    expect(result.data).toEqual({ screen: [] });
    expect(result.errors![0]).toMatchObject({ extensions: { code: 'FOREIGN_RECORD', agency: 'LMLECC' } });
  });

  it("drops only the values that break the contract, never the other agencies' answers", async () => {
    const { run } = federation({
      INTERPOL: () => ({ data: { notices: [{ id: 'INTERPOL:N-1', colour: 'RED' }] } }),
      // What a rogue node may send, whatever the types say.
      LMLECC: () => ({
        data: {
          notices: [
            { id: 'LMLECC:N-1', colour: 'RED' },
            { colour: 'RED' },
            { id: 'LMLECC:N-3', colour: 'PINK' },
            null,
            { id: 'LMLECC:N-5', colour: 'BLUE', title: { text: 7, language: 'en', translations: [] } },
          ],
        },
        errors: [
          null,
          { message: 'x', path: 5 },
          { message: 'ok', path: ['notices', 0, 'title'], extensions: { code: 'NOT_FOUND' } },
          { message: 'gone', path: ['notices', 2, 'title'], extensions: { code: 'NOT_FOUND' } },
          { message: 'five', path: ['notices', 4, 'title'], extensions: { code: 'NOT_FOUND' } },
        ] as unknown as GraphQLFormattedError[],
      }),
    });
    const result = await run('{ notices(first: 10) { id colour title { text language } } }');
    expect(result.data!.notices).toEqual([
      { id: 'INTERPOL:N-1', colour: 'RED', title: null },
      { id: 'LMLECC:N-1', colour: 'RED', title: null },
      { id: 'LMLECC:N-5', colour: 'BLUE', title: null },
    ]);
    expect(result.errors).toEqual([
      { message: 'ok', path: ['notices', 1, 'title'], extensions: { code: 'NOT_FOUND', agency: 'LMLECC' } },
      // The error about a dropped item went with it; the one about the fifth follows it to where it is kept.
      { message: 'five', path: ['notices', 2, 'title'], extensions: { code: 'NOT_FOUND', agency: 'LMLECC' } },
      {
        message: "Agency LMLECC's node sent 6 values that do not fit the records contract; left out of this answer.",
        extensions: { code: 'MALFORMED_ANSWER', agency: 'LMLECC' },
      },
    ]);
  });

  it('keeps at most `first` items of a node, and ranks only scores in 0-1', async () => {
    const { run } = federation({
      LMLECC: (request) =>
        request.query.includes('screen')
          ? {
              data: {
                screen: [
                  { score: 0.1, sovereignRank__: 1e300, record: { id: 'LMLECC:S-1' } },
                  { score: 0.9, sovereignRank__: 0.9, record: { id: 'LMLECC:S-2' } },
                ],
              },
            }
          : { data: { notices: Array.from({ length: 5 }, (_, i) => ({ id: `LMLECC:N-${i}` })) } },
    });
    const page = await run('{ notices(first: 2, agencies: ["LMLECC"]) { id } }');
    expect(page.data!.notices).toEqual([{ id: 'LMLECC:N-0' }, { id: 'LMLECC:N-1' }]);
    const hits = await run('{ screen(person: { name: "Ann Lee" }, agencies: ["LMLECC"]) { score record { ... on Subject { id } } } }');
    expect(hits.data!.screen).toEqual([{ score: 0.9, record: { id: 'LMLECC:S-2' } }]);
  });

  it('keeps only the fields a mutation run asked: a node cannot rewrite an earlier answer', async () => {
    const { run } = federation({
      LMLECC: (request) =>
        request.query.includes('r3')
          ? {
              data: {
                r3: { id: 'LMLECC:AR-2', status: 'PENDING' },
                r1: { id: 'LMLECC:AR-9', status: 'APPROVED' },
              },
            }
          : { data: { r1: { id: 'LMLECC:AR-1', status: 'PENDING' } } },
      EUROPOL: () => ({ data: { r2: { id: 'EUROPOL:AR-1', status: 'PENDING' } } }),
    });
    const ask = (alias: string, owner: string) =>
      `${alias}: requestAccess(recordId: "${owner}:N-1", purpose: BORDER_CONTROL, justification: "x", idempotencyKey: "${alias}") { id status }`;
    const result = await run(`mutation { ${ask('r1', 'LMLECC')} ${ask('r2', 'EUROPOL')} ${ask('r3', 'LMLECC')} }`);
    expect(result.data).toEqual({
      r1: { id: 'LMLECC:AR-1', status: 'PENDING' },
      r2: { id: 'EUROPOL:AR-1', status: 'PENDING' },
      r3: { id: 'LMLECC:AR-2', status: 'PENDING' },
    });
  });

  it('drops a forged owner-routed record and a screening hit credited to another agency', async () => {
    const { run } = federation({
      EUROPOL: (request) =>
        request.query.includes('screen')
          ? { data: { screen: [{ score: 0.99, sovereignRank__: 0.99, agency: { code: 'INTERPOL' }, record: { id: 'INTERPOL:S-1' } }] } }
          : { data: { notice: { id: 'INTERPOL:N-1', colour: 'RED' } } },
    });
    const lookup = await run('{ notice(id: "EUROPOL:N-1") { id colour } }');
    expect(lookup.data).toEqual({ notice: null });
    expect(lookup.errors![0]!.extensions).toEqual({ code: 'FOREIGN_RECORD', agency: 'EUROPOL' });
    const hits = await run(
      '{ screen(person: { name: "Ann Lee" }, agencies: ["EUROPOL"]) { score agency { code } record { ... on Subject { id } } } }',
    );
    expect(hits.data).toEqual({ screen: [] });
    expect(hits.errors![0]!.extensions).toEqual({ code: 'FOREIGN_RECORD', agency: 'EUROPOL' });
  });

  it('fails a node whose _entities answer has the wrong length, never shifting values onto other records', async () => {
    const { run } = federation({
      INTERPOL: () => ({ data: { _entities: [{ id: 'INTERPOL:S-1', name: [{ full: 'A' }] }] } }),
      EUROPOL: (request) => ({
        data: { _entities: (request.variables.representations as { id: string }[]).map(({ id }) => ({ id, name: [{ full: id }] })) },
      }),
    });
    const result = await run(ENTITIES, refs(['INTERPOL:S-1', 'EUROPOL:S-1', 'INTERPOL:S-2']));
    expect(result.data!._entities).toEqual([null, { id: 'EUROPOL:S-1', name: [{ full: 'EUROPOL:S-1' }] }, null]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({
      message: expect.stringMatching(/^Agency INTERPOL sent an answer that does not fit the question/),
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'INTERPOL', reason: 'wrong_answer' },
    });
  });

  it('fails a node whose entities are not the ones asked for (other ids or another type)', async () => {
    const swapped = federation({ INTERPOL: () => ({ data: { _entities: [{ id: 'INTERPOL:S-2' }, { id: 'INTERPOL:S-1' }] } }) });
    const result = await swapped.run(ENTITIES, refs(['INTERPOL:S-1', 'INTERPOL:S-2']));
    expect(result.data!._entities).toEqual([null, null]);
    expect(result.errors![0]!.extensions).toMatchObject({ reason: 'wrong_answer' });

    const retyped = federation({ INTERPOL: () => ({ data: { _entities: [{ __typename: 'Case', id: 'INTERPOL:S-1' }] } }) });
    const other = await retyped.run(ENTITIES, refs(['INTERPOL:S-1']));
    expect(other.data!._entities).toEqual([null]);
    expect(other.errors![0]!.extensions).toMatchObject({ reason: 'wrong_answer' });
  });
});

describe('circuit per node', () => {
  it('answers a node as unavailable at once after repeated failures, and probes it again after the cool-down', async () => {
    let down = true;
    let calls = 0;
    const lmlecc: Handler = () => {
      calls++;
      if (down) throw new AgencyFailureError('LMLECC', 'bad_response', 'garbage');
      return { data: { notices: [{ id: 'LMLECC:N-1' }] } };
    };
    const { run: ask } = federation({ LMLECC: lmlecc }, 1000, { failures: 3, coolDownMs: 200 });
    const run = async () => (await ask('{ notices { id } }')) as { data: { notices: { id: string }[] }; errors?: GraphQLFormattedError[] };

    for (let i = 0; i < 3; i++) expect((await run()).errors![0]!.extensions).toMatchObject({ reason: 'bad_response' });
    expect(calls).toBe(3);
    const open = await run();
    expect(open.errors![0]!.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'LMLECC', reason: 'circuit_open' });
    expect(open.errors![0]!.message).toMatch(/LMLECC is down: it failed 3 times in a row/);
    expect(calls).toBe(3);

    down = false;
    await new Promise((resolve) => setTimeout(resolve, 250));
    const probed = await run();
    expect(probed.errors).toBeUndefined();
    expect(probed.data.notices).toEqual([{ id: 'LMLECC:N-1' }]);
    expect(calls).toBe(4);
  });

  it('asks a read once more after a transient failure, a mutation never', async () => {
    let attempts = 0;
    const flaky: Handler = (request) => {
      attempts++;
      if (attempts === 1) throw new AgencyFailureError('EUROPOL', 'unreachable', 'ECONNREFUSED', true);
      return request.query.startsWith('mutation') ? { data: { requestAccess: { id: 'EUROPOL:AR-1' } } } : listOf('EUROPOL', 1)(request);
    };
    const read = federation({ EUROPOL: flaky });
    const answer = await read.run('{ notices(agencies: ["EUROPOL"]) { id } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ notices: [{ id: 'EUROPOL:X-0' }] });
    expect(attempts).toBe(2);

    attempts = 0;
    const write = federation({ EUROPOL: flaky });
    const result = await write.run(
      'mutation { requestAccess(recordId: "EUROPOL:N-1", purpose: BORDER_CONTROL, justification: "x", idempotencyKey: "k") { id } }',
    );
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', reason: 'unreachable' });
    expect(attempts).toBe(1);
  });
});

describe('a partner that hangs up', () => {
  it('aborts the node calls at once, and a node is not blamed (its circuit stays closed)', async () => {
    let asked = 0;
    const hang: Handler = (_request, signal) => {
      asked++;
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new AgencyFailureError('EUROPOL', 'timeout', 'aborted'))),
      );
    };
    const { run } = federation({ EUROPOL: hang }, 5000, { failures: 2, coolDownMs: 60_000 });
    const ask = async () => {
      const hangUp = new AbortController();
      setTimeout(() => hangUp.abort(), 20);
      const started = performance.now();
      const result = await run('{ notices(agencies: ["EUROPOL"]) { id } }', {}, { abandoned: hangUp.signal });
      return { result, ms: performance.now() - started };
    };
    for (let i = 0; i < 4; i++) {
      const { result, ms } = await ask();
      expect(ms).toBeLessThan(1000);
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'ABANDONED', agency: 'EUROPOL' });
    }
    // Four hang-ups, each one call (never retried), and EUROPOL is still asked: no circuit opened.
    expect(asked).toBe(4);
  });
});

describe('the circuit while it probes', () => {
  function probing() {
    let mode: 'fail' | 'slow' | 'hang' = 'fail';
    let calls = 0;
    const europol: Handler = (_request, signal) => {
      calls++;
      if (mode === 'fail') throw new AgencyFailureError('EUROPOL', 'bad_response', 'garbage');
      if (mode === 'slow') return new Promise((resolve) => setTimeout(() => resolve({ data: { notices: [] } }), 200));
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new AgencyFailureError('EUROPOL', 'timeout', 'x'))),
      );
    };
    const { run } = federation({ EUROPOL: europol }, 2000, { failures: 1, coolDownMs: 100 });
    const ask = async (abandoned?: AbortSignal) => {
      const started = performance.now();
      const result = await run('{ notices(agencies: ["EUROPOL"]) { id } }', {}, abandoned ? { abandoned } : {});
      return {
        reason: result.errors?.[0]?.extensions?.reason ?? result.errors?.[0]?.extensions?.code ?? 'ok',
        ms: performance.now() - started,
      };
    };
    return { ask, setMode: (next: typeof mode) => (mode = next), calls: () => calls };
  }

  it('answers the others at once while one request probes the node', async () => {
    const node = probing();
    expect((await node.ask()).reason).toBe('bad_response');
    await new Promise((resolve) => setTimeout(resolve, 120));
    node.setMode('slow');
    const [probe, other] = await Promise.all([node.ask(), new Promise((resolve) => setTimeout(resolve, 20)).then(() => node.ask())]);
    expect(probe.reason).toBe('ok');
    expect(other.reason).toBe('circuit_open');
    expect(other.ms).toBeLessThan(100);
    expect(node.calls()).toBe(2);
  });

  it('keeps the circuit open when the probing caller hangs up', async () => {
    const node = probing();
    expect((await node.ask()).reason).toBe('bad_response');
    await new Promise((resolve) => setTimeout(resolve, 120));
    node.setMode('hang');
    const hangUp = new AbortController();
    setTimeout(() => hangUp.abort(), 20);
    expect((await node.ask(hangUp.signal)).reason).toBe('ABANDONED');
    const next = await node.ask();
    expect(next.reason).toBe('circuit_open');
    expect(node.calls()).toBe(2);
  });
});

describe('a rogue node cannot make the gateway drop or misplace the others', () => {
  it('drops a value whose __typename lies, keeping the rest', async () => {
    const { run } = federation({
      INTERPOL: () => ({ data: { notices: [{ __typename: 'Notice', id: 'INTERPOL:N-1' }] } }),
      EUROPOL: () => ({
        data: {
          notices: [
            { __typename: 5, id: 'EUROPOL:N-1' },
            { __typename: 'Subject', id: 'EUROPOL:N-2' },
            { __typename: 'Notice', id: 'EUROPOL:N-3' },
          ],
        },
      }),
    });
    const result = await run('{ notices { __typename id } }');
    expect(result.data!.notices).toEqual([
      { __typename: 'Notice', id: 'INTERPOL:N-1' },
      { __typename: 'Notice', id: 'EUROPOL:N-3' },
    ]);
    expect(result.errors).toEqual([expect.objectContaining({ extensions: { code: 'MALFORMED_ANSWER', agency: 'EUROPOL' } })]);
  });

  it("keeps a node to the contract's default page when the partner left `first` out, and stops walking there", async () => {
    const { run } = federation({
      LMLECC: () => ({ data: { notices: Array.from({ length: 200_000 }, (_, i) => ({ id: `LMLECC:N-${i}` })) } }),
    });
    const result = await run('query Q($n: Int) { notices(first: $n, agencies: ["LMLECC"]) { id } }');
    expect(result.data!.notices).toHaveLength(20);
    expect(result.errors![0]!.message).toMatch(/sent 199980 values that do not fit/);
  });

  it('refuses an answer of more values than the gateway checks (that node fails, wrong_answer)', async () => {
    const { run } = federation({
      LMLECC: () => ({
        data: { subjects: [{ id: 'LMLECC:S-1', names: Array.from({ length: 400_000 }, () => ({})) }] },
      }),
    });
    const result = await run('{ subjects(agencies: ["LMLECC"]) { id names { full } } }');
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'LMLECC', reason: 'wrong_answer' });
  });

  it('drops an agency the directory does not know (its name could not be resolved) and a hit ranked apart from its score', async () => {
    const { run } = federation({
      LMLECC: (request) =>
        request.query.includes('screen')
          ? {
              data: {
                screen: [
                  { score: 0.81, sovereignRank__: 0.99, record: { id: 'LMLECC:S-1' } },
                  { score: 0.97, sovereignRank__: 0.97, record: { id: 'LMLECC:S-2' } },
                ],
              },
            }
          : { data: { notices: [{ id: 'LMLECC:N-1', recipients: [{ code: 'ZZZ' }, { code: 'INTERPOL' }] }] } },
    });
    const notices = await run('{ notices(agencies: ["LMLECC"]) { id recipients { code } } }');
    expect(notices.data!.notices).toEqual([{ id: 'LMLECC:N-1', recipients: [{ code: 'INTERPOL' }] }]);
    const hits = await run('{ screen(person: { name: "Ann Lee" }, agencies: ["LMLECC"]) { score record { ... on Subject { id } } } }');
    expect(hits.data!.screen).toEqual([{ score: 0.97, record: { id: 'LMLECC:S-2' } }]);
  });

  it('ignores what a node says about fields it was not asked, errors included', async () => {
    const { run } = federation({
      INTERPOL: (request) => ({ data: listOf('INTERPOL', 2)(request).data }),
      EUROPOL: (request) =>
        request.query.includes('notices')
          ? listOf('EUROPOL', 1)(request)
          : {
              data: { subjects: [], notices: [{ id: 'EUROPOL:FORGED-1' }] },
              errors: [{ message: 'This notice was issued on forged grounds', path: ['notices', 1], extensions: { code: 'NOT_FOUND' } }],
            },
    });
    const result = await run('{ notices(agencies: ["INTERPOL"]) { id } subjects(agencies: ["EUROPOL"]) { id } }');
    expect(result.data).toEqual({ notices: [{ id: 'INTERPOL:X-0' }, { id: 'INTERPOL:X-1' }], subjects: [] });
    expect(JSON.stringify(result.errors ?? [])).not.toMatch(/forged/);
  });
});
