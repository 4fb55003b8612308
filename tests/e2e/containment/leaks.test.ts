import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphQLResult, type TestFederation, startTestFederation } from '../../helpers/federation.js';

// Nothing internal leaks to a caller, in production mode: no schema (introspection off, no
// "Did you mean" suggestions), and no error answer, at the gateway or at a node called
// directly, carries a stack, a host, a port, SQL, a database's name or a file path — not
// even when the directory or a node is down. Each error answer below goes through
// expectNoLeak, which looks at the whole body as the caller receives it.

type Answer = GraphQLResult & { status: number };

/** The only extensions a caller may see (lib/errors.ts). */
const CALLER_EXTENSIONS = ['code', 'agency', 'agencies', 'reason', 'limit'];

let fed: TestFederation;
/** What must never appear in an answer: the federation's ports and its data directory. */
let ports: number[];

beforeAll(async () => {
  fed = await startTestFederation({ env: { NODE_ENV: 'production' } });
  const { gateway, directory, agencies } = fed.config.federation;
  ports = [gateway.port, directory.port, ...agencies.map((agency) => agency.port)];
});

afterAll(async () => {
  await fed?.stop();
});

function expectNoLeak(answer: unknown): void {
  const body = JSON.stringify(answer);
  const forbidden: [string, RegExp][] = [
    ['an exception', /exception/i],
    ['a stack trace', /stacktrace/i],
    // A stack frame, raw or JSON-escaped, or a source position.
    ['a stack frame', /(\n|\\n)\s*at |\.[cm]?[jt]s:\d+/],
    ['a host', /localhost|127\.0\.0\.1|\[::1\]|https?:\/\//i],
    ['SQL', /\bSELECT\b|\bINSERT\b|\bFROM\s+\w+\s+WHERE\b/],
    ['a database', /sqlite|postgres/i],
    ['a file path', /\/tmp\/|\/work\/|node_modules/],
    ['the data directory', new RegExp(fed.config.federation.dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))],
    ...ports.map((port): [string, RegExp] => [`port ${port}`, new RegExp(`\\b${port}\\b`)]),
  ];
  for (const [what, pattern] of forbidden) expect(body, `${what} in ${body}`).not.toMatch(pattern);
  const errors = (answer as Answer).errors ?? [];
  for (const error of errors) {
    expect(
      Object.keys(error.extensions ?? {}).filter((key) => !CALLER_EXTENSIONS.includes(key)),
      body,
    ).toEqual([]);
    expect(error.message, `one line: ${body}`).not.toMatch(/[\r\n]/);
  }
}

/** A raw POST to `url` with a valid token; the body as given (it may not be JSON at all). */
async function post(url: string, body: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await fed.token({ agency: 'TH-RTP', roles: ['officer'] })}`,
      'x-purpose': 'CRIMINAL_INVESTIGATION',
    },
    body,
  });
  return { ...((await response.json()) as GraphQLResult), status: response.status };
}

function expectRefused(answer: Answer, status: number, code: string, says: RegExp): void {
  // A leak first: a wrong status must not hide one.
  expectNoLeak(answer);
  const body = JSON.stringify(answer);
  expect(answer.status, body).toBe(status);
  expect(answer.errors?.length, body).toBeGreaterThan(0);
  expect(answer.errors![0]!.extensions?.code, body).toBe(code);
  expect(answer.errors![0]!.message, body).toMatch(says);
}

const ENDPOINTS: [string, () => string][] = [
  ['gateway', () => fed.gatewayUrl],
  ['EUROPOL node', () => fed.nodeUrl('EUROPOL')],
];

describe.each(ENDPOINTS)('at the %s', (_where, urlOf) => {
  it('refuses introspection even with a valid token', async () => {
    const answer = await fed.query('{ __schema { types { name } } }', {}, { url: urlOf() });
    expectRefused(answer, 400, 'GRAPHQL_VALIDATION_FAILED', /^Introspection is off here;/);
    // Apollo Server's own wording would name the server software and how to turn it on.
    expect(JSON.stringify(answer)).not.toMatch(/Apollo|introspection: true/);
    expect(answer.data ?? null).toBeNull();
    // __type is introspection too: no type names by another way.
    const type = await fed.query('{ __type(name: "Notice") { fields { name } } }', {}, { url: urlOf() });
    expectRefused(type, 400, 'GRAPHQL_VALIDATION_FAILED', /^Introspection is off here;/);
    // Nor without a token (what Apollo Sandbox would send to load the schema outside production).
    const anonymous = await fed.query('{ __schema { types { name } } }', {}, { url: urlOf(), as: null });
    expectNoLeak(anonymous);
    expect(anonymous.status, JSON.stringify(anonymous)).toBeGreaterThanOrEqual(400);
    expect(anonymous.data ?? null, JSON.stringify(anonymous)).toBeNull();
  });

  it('names a misspelt field without suggesting the right one', async () => {
    const answer = await fed.query('{ notices { idd } }', {}, { url: urlOf() });
    expectRefused(answer, 400, 'GRAPHQL_VALIDATION_FAILED', /Cannot query field "idd" on type "Notice"/);
    // Outside production the message would go on: Did you mean "id"?
    for (const error of answer.errors!) expect(error.message).not.toMatch(/Did you mean|"id"/);
  });

  it('refuses a body that is not JSON with one line', async () => {
    expectRefused(await post(urlOf(), '{"query": '), 400, 'BAD_REQUEST', /not valid JSON/);
  });

  it('refuses a query that is not a string', async () => {
    const answer = await post(urlOf(), JSON.stringify({ query: { notices: 1 } }));
    expectRefused(answer, 400, 'BAD_REQUEST', /must be strings/);
  });

  it('refuses a query that does not parse', async () => {
    expectRefused(await fed.query('{ notices { id }', {}, { url: urlOf() }), 400, 'GRAPHQL_PARSE_FAILED', /Syntax Error/);
  });

  it('refuses an unknown operation name', async () => {
    const answer = await post(urlOf(), JSON.stringify({ query: 'query Known { notices(first: 1) { id } }', operationName: 'Unknown' }));
    // A caller's mistake: 400 and Apollo Server's code for it, as a node answers (not a 500).
    expectRefused(answer, 400, 'OPERATION_RESOLUTION_FAILURE', /^Unknown operation named "Unknown"\.$/);
  });

  it('refuses a malformed record id, saying what ids look like', async () => {
    const answer = await fed.query('{ notice(id: "no colon here") { id } }', {}, { url: urlOf() });
    expectNoLeak(answer);
    expect(answer.errors?.length, JSON.stringify(answer)).toBeGreaterThan(0);
    expect(answer.errors![0]!.extensions?.code, JSON.stringify(answer)).toBe('BAD_USER_INPUT');
    expect(answer.errors![0]!.message).toMatch(/<AGENCY>:<local id>/);
  });

  it('refuses an argument out of range, naming the range', async () => {
    expectRefused(
      await fed.query('{ notices(first: 1000) { id } }', {}, { url: urlOf() }),
      400,
      'BAD_USER_INPUT',
      /^notices\(first\): must be between 0 and 100\b/,
    );
  });
});

describe('at a node called directly', () => {
  it("says nothing internal when asked for another agency's record", async () => {
    const owned = await fed.query<{ notices: { id: string }[] }>('{ notices(first: 1, agencies: ["INTERPOL"]) { id } }');
    const id = owned.data!.notices[0]!.id;
    expect(id).toMatch(/^INTERPOL:/);
    const answer = await fed.query<{ notice: unknown }>(
      'query Foreign($id: ID!) { notice(id: $id) { id } }',
      { id },
      { url: fed.nodeUrl('EUROPOL') },
    );
    expectNoLeak(answer);
    // EUROPOL holds no INTERPOL record: it says whose the id is, and where to ask.
    expect(answer.data?.notice ?? null, JSON.stringify(answer)).toBeNull();
    expect(answer.errors?.[0]?.extensions?.code, JSON.stringify(answer)).toBe('BAD_USER_INPUT');
    expect(answer.errors![0]!.message).toMatch(/belongs to INTERPOL/);
  });
});

// Last, and in this order: each takes a process away for good. A node first (the directory
// is not needed to fan out notices), then the directory.
describe('with parts of the federation down', () => {
  it('reports a crashed node as AGENCY_UNAVAILABLE without its URL or port, and answers with the others', async () => {
    await fed.federation.kill('LMLECC', 'SIGKILL');
    const answer = await fed.query<{ notices: { id: string }[] }>('{ notices { id } }');
    const body = JSON.stringify(answer);
    expect(answer.status, body).toBe(200);
    expect(answer.errors, body).toHaveLength(1);
    expect(answer.errors![0]!.extensions, body).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'LMLECC' });
    expect(answer.data!.notices.length, body).toBeGreaterThan(0);
    expect(
      answer.data!.notices.some((notice) => notice.id.startsWith('LMLECC:')),
      body,
    ).toBe(false);
    expectNoLeak(answer);
  });

  it('says nothing internal when the directory is down: the cause stays in the gateway log', async () => {
    await fed.federation.kill('directory', 'SIGKILL');
    const answer = await fed.query<{ agencies: unknown }>('{ agencies { code name } }');
    const body = JSON.stringify(answer);
    expect(answer.errors?.length, body).toBeGreaterThan(0);
    expect(answer.data?.agencies ?? null, body).toBeNull();
    expectNoLeak(answer);
    // The failure did carry the directory's URL and port: it was kept from the caller, not absent.
    const port = String(fed.config.federation.directory.port);
    // The gateway's log line may follow the answer by a moment.
    await expect
      .poll(() => fed.logs.some((line) => line.startsWith('[gateway] ') && line.includes('ECONNREFUSED') && line.includes(port)))
      .toBe(true);
  });
});
