import { writeFile } from 'node:fs/promises';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate, makeCertificateAuthority, type IssuedCertificate } from '../../../lib/tls/certificates.js';
import { DEFAULT_CALLER, metric, startTestFederation, type TestFederation } from '../../helpers/federation.js';
import { federationAuthority } from '../../helpers/tls.js';

// Who may open a connection to an agency node on TLS: the federation's own services with
// certificates from its CA, partners with certificates from the CA the node is configured
// to admit, and, where certificates are optional, anyone (their token decides). Everyone
// else is refused before their question is read, with a line they can act on, and the node
// logs and counts why.

const DAY = 24 * 60 * 60 * 1000;
const NAMES = ['localhost', '127.0.0.1'];
const QUESTION = '{ notices(first: 1) { id } }';

interface Caller {
  ca: string;
  client?: IssuedCertificate;
}

/** One call to a node as a caller with (or without) a client certificate; a fresh connection each time. */
async function ask(url: string, caller: Caller, headers: Record<string, string> = {}, requestPath = '/') {
  const agent = new Agent({ connect: { ca: caller.ca, ...(caller.client ?? {}) } });
  try {
    const response = await fetch(new URL(requestPath, url), {
      method: requestPath === '/' ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json', ...headers },
      ...(requestPath === '/' ? { body: JSON.stringify({ query: QUESTION }) } : {}),
      dispatcher: agent,
    });
    const text = await response.text();
    return { status: response.status, connection: response.headers.get('connection'), text, body: safeJson(text) };
  } finally {
    await agent.close();
  }
}

function safeJson(text: string): { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } | undefined {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

describe('a node that requires client certificates', () => {
  let fed: TestFederation;
  let ca: string;
  let partner: IssuedCertificate;
  let stranger: IssuedCertificate;
  let expired: IssuedCertificate;
  let headers: Record<string, string>;

  beforeAll(async () => {
    const partners = await makeCertificateAuthority('Partner Police CA');
    partner = await issueCertificate(partners, { commonName: 'th-rtp-records', names: ['th-rtp.example'] });
    stranger = await issueCertificate(await makeCertificateAuthority('Stranger CA'), { commonName: 'stranger', names: NAMES });
    fed = await startTestFederation({
      tls: { clientCertificates: 'required', partnerCa: 'tls/partners-ca.crt' },
      logLevel: 'info',
      async prepare(config) {
        await writeFile(config.federation.tls!.partnerCa!, partners.cert);
        const federation = await federationAuthority(config);
        ca = federation.cert;
        expired = await issueCertificate(federation, {
          commonName: 'gateway',
          names: NAMES,
          notBefore: new Date(Date.now() - 10 * DAY),
          notAfter: new Date(Date.now() - DAY),
        });
      },
    });
    headers = { authorization: `Bearer ${await fed.token(DEFAULT_CALLER)}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' };
  });

  afterAll(async () => {
    await fed?.stop();
  });

  const refusals = (reason: string) => metric(fed.nodeUrl('INTERPOL'), `tls_connections_refused_total{reason="${reason}"}`, fed.fetch);
  const questions = () => metric(fed.nodeUrl('INTERPOL'), 'agency_graphql_requests_total', fed.fetch);

  it('refuses a caller without a certificate before reading its question, in one line, and closes the connection', async () => {
    const [refusedBefore, askedBefore] = [await refusals('no_certificate'), await questions()];
    const answer = await ask(fed.nodeUrl('INTERPOL'), { ca }, headers);
    expect(answer.status).toBe(403);
    expect(answer.connection).toBe('close');
    expect(answer.body?.data).toBeUndefined();
    expect(answer.body?.errors).toEqual([
      { message: expect.stringMatching(/client certificate/), extensions: { code: 'CLIENT_CERTIFICATE_REFUSED' } },
    ]);
    expect(answer.body!.errors![0]!.message).not.toMatch(/\n|\//);
    expect(await refusals('no_certificate')).toBe(refusedBefore + 1);
    expect(await questions()).toBe(askedBefore);
  });

  it('refuses a certificate from a CA it does not trust, and an expired one from the federation CA', async () => {
    const [untrustedBefore, expiredBefore] = [await refusals('untrusted_certificate'), await refusals('expired_certificate')];
    const fromStranger = await ask(fed.nodeUrl('INTERPOL'), { ca, client: stranger }, headers);
    expect(fromStranger.status).toBe(403);
    expect(fromStranger.body?.errors?.[0]?.message).toMatch(/not issued by a CA this node trusts/);
    const outOfDate = await ask(fed.nodeUrl('INTERPOL'), { ca, client: expired }, headers);
    expect(outOfDate.status).toBe(403);
    expect(outOfDate.body?.errors?.[0]?.message).toMatch(/expired/);
    expect(await refusals('untrusted_certificate')).toBe(untrustedBefore + 1);
    expect(await refusals('expired_certificate')).toBe(expiredBefore + 1);
  });

  it('logs each refusal with the reason and who tried', () => {
    const lines = fed.logs.filter((line) => line.startsWith('[INTERPOL]') && line.includes('client certificate refused'));
    const reasons = lines.map(
      (line) => JSON.parse(line.slice('[INTERPOL] '.length)) as { reason: string; detail: string; peer?: string; remote: string },
    );
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'no_certificate', remote: '127.0.0.1' }),
        expect.objectContaining({ reason: 'untrusted_certificate', peer: 'stranger', detail: expect.stringMatching(/UNABLE_TO|CERT/) }),
        expect.objectContaining({ reason: 'expired_certificate', detail: 'CERT_HAS_EXPIRED' }),
      ]),
    );
  });

  it("admits a partner with a certificate from its configured partner CA; the partner's token still decides", async () => {
    const answered = await ask(fed.nodeUrl('INTERPOL'), { ca, client: partner }, headers);
    expect(answered.status).toBe(200);
    expect((answered.body?.data as { notices: { id: string }[] }).notices[0]!.id).toMatch(/^INTERPOL:/);
    const tokenless = await ask(fed.nodeUrl('INTERPOL'), { ca, client: partner });
    expect(tokenless.body?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const partnerLine = () => fed.logs.find((entry) => entry.startsWith('[INTERPOL]') && entry.includes('"link":"partner"'));
    await expect.poll(partnerLine).toBeDefined();
    expect(partnerLine()).toContain('"peer":"th-rtp-records"');
  });

  it("knows the gateway's calls as federation links", async () => {
    const { errors } = await fed.query(QUESTION);
    expect(errors).toBeUndefined();
    const federationLine = () =>
      fed.logs.find((entry) => entry.startsWith('[EUROPOL]') && entry.includes('"link":"federation"') && entry.includes('"operation"'));
    await expect.poll(federationLine).toBeDefined();
    expect(federationLine()).toContain('"peer":"gateway"');
  });

  it('keeps /health open to probes without a certificate and everything else closed, /metrics included', async () => {
    expect((await ask(fed.nodeUrl('INTERPOL'), { ca }, {}, '/health')).status).toBe(200);
    for (const closed of ['/metrics', '/ready']) {
      const answer = await ask(fed.nodeUrl('INTERPOL'), { ca }, {}, closed);
      expect(answer.status, closed).toBe(403);
      expect(answer.text, closed).not.toMatch(/agency_|store/);
    }
    // A browser's CORS preflight from an allowed origin is no way around it either.
    const agent = new Agent({ connect: { ca } });
    const preflight = await fetch(fed.nodeUrl('INTERPOL'), {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' },
      dispatcher: agent,
    });
    await agent.close();
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    // The directory is one of the federation's services too.
    expect((await ask(fed.federation.url('directory'), { ca }, {}, '/metrics')).status).toBe(403);
  });
});

describe('a node where client certificates are optional', () => {
  let fed: TestFederation;
  let ca: string;
  let stranger: IssuedCertificate;

  beforeAll(async () => {
    stranger = await issueCertificate(await makeCertificateAuthority('Stranger CA'), { commonName: 'stranger', names: NAMES });
    fed = await startTestFederation({
      tls: { clientCertificates: 'optional' },
      logLevel: 'info',
      async prepare(config) {
        ca = (await federationAuthority(config)).cert;
      },
    });
  });

  afterAll(async () => {
    await fed?.stop();
  });

  it('admits a partner without a certificate on its token alone, and refuses one without a token', async () => {
    const headers = { authorization: `Bearer ${await fed.token(DEFAULT_CALLER)}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' };
    const answered = await ask(fed.nodeUrl('LMLECC'), { ca }, headers);
    expect(answered.status).toBe(200);
    expect((answered.body?.data as { notices: { id: string }[] }).notices[0]!.id).toMatch(/^LMLECC:/);
    // The request's log line is written once its answer is sent.
    await expect.poll(() => fed.logs.some((line) => line.startsWith('[LMLECC]') && line.includes('"link":"anonymous"'))).toBe(true);
    const tokenless = await ask(fed.nodeUrl('LMLECC'), { ca });
    expect(tokenless.body?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('still refuses a certificate that does not verify', async () => {
    const answer = await ask(fed.nodeUrl('LMLECC'), { ca, client: stranger });
    expect(answer.status).toBe(403);
    expect(answer.body?.errors?.[0]?.extensions?.code).toBe('CLIENT_CERTIFICATE_REFUSED');
  });

  it('answers through the gateway as before', async () => {
    const { data, errors } = await fed.query<{ notices: { id: string }[] }>('{ notices(first: 1) { id } }');
    expect(errors).toBeUndefined();
    expect(data!.notices).toHaveLength(4);
  });
});
