import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate, makeCertificateAuthority, type CertificateAuthority } from '../../../lib/tls/certificates.js';
import { Agent, fetch } from 'undici';
import type { LinkFetch } from '../../../lib/tls/links.js';
import { DEFAULT_CALLER, postGraphQL, startTestFederation, type TestFederation } from '../../helpers/federation.js';
import { federationAuthority, installCertificate } from '../../helpers/tls.js';

// A node whose certificate the gateway must not trust: expired, for another name, from
// another CA. Each such agency is AGENCY_UNAVAILABLE "certificate refused", the others
// answer, the gateway's log says why, and the partner learns nothing about the certificate.

const DAY = 24 * 60 * 60 * 1000;
const LOCAL_NAMES = ['localhost', '127.0.0.1', '::1'];

describe('nodes whose server certificate is refused', () => {
  let fed: TestFederation;

  beforeAll(async () => {
    fed = await startTestFederation({
      tls: true,
      logLevel: 'info',
      async prepare(config) {
        const ca = await federationAuthority(config);
        const stranger = await makeCertificateAuthority('Someone Else CA');
        await installCertificate(
          config,
          'interpol',
          await issueCertificate(ca, {
            commonName: 'interpol',
            names: LOCAL_NAMES,
            notBefore: new Date(Date.now() - 30 * DAY),
            notAfter: new Date(Date.now() - DAY),
          }),
        );
        await installCertificate(
          config,
          'europol',
          await issueCertificate(ca, { commonName: 'europol', names: ['europol.elsewhere.example'] }),
        );
        await installCertificate(config, 'aseanapol', await issueCertificate(stranger, { commonName: 'aseanapol', names: LOCAL_NAMES }));
      },
    });
  });

  afterAll(async () => {
    await fed?.stop();
  });

  it('makes each of them AGENCY_UNAVAILABLE with the reason, and answers with the agency whose certificate is good', async () => {
    const { data, errors, status } = await fed.query<{ notices: { id: string }[] }>('{ notices(first: 3) { id } }');
    expect(status).toBe(200);
    expect(data!.notices.length).toBeGreaterThan(0);
    expect(data!.notices.every((notice) => notice.id.startsWith('LMLECC:'))).toBe(true);
    const refused = (errors ?? []).filter((error) => error.extensions?.code === 'AGENCY_UNAVAILABLE');
    expect(refused.map((error) => error.extensions?.agency).sort()).toEqual(['ASEANAPOL', 'EUROPOL', 'INTERPOL']);
    for (const error of refused) {
      expect(error.extensions?.reason).toBe('certificate_refused');
      expect(error.message).toContain('certificate refused');
    }
  });

  it('tells the partner nothing about the certificates, the nodes or their addresses', async () => {
    const { errors } = await fed.query('{ notices(first: 3) { id } }');
    const text = JSON.stringify(errors);
    const ports = fed.config.federation.agencies.map((node) => String(node.port));
    for (const secret of [
      'localhost',
      '127.0.0.1',
      'https:',
      'CERT_',
      'expired',
      'ALTNAME',
      'elsewhere',
      'Someone Else',
      'UNABLE',
      ...ports,
    ]) {
      expect(text, secret).not.toContain(secret);
    }
  });

  it("names the agency and the certificate's fault in the gateway's log", async () => {
    await fed.query('{ notices(first: 1) { id } }');
    const gatewayLines = fed.logs.filter((line) => line.startsWith('[gateway]')).join('\n');
    expect(gatewayLines).toMatch(/INTERPOL[^\n]*CERT_HAS_EXPIRED|CERT_HAS_EXPIRED[^\n]*INTERPOL/);
    expect(gatewayLines).toMatch(/EUROPOL[^\n]*ERR_TLS_CERT_ALTNAME_INVALID|ERR_TLS_CERT_ALTNAME_INVALID[^\n]*EUROPOL/);
    expect(gatewayLines).toMatch(
      /ASEANAPOL[^\n]*(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED)|(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED)[^\n]*ASEANAPOL/,
    );
  });

  it('reports those nodes as refused, not as down, in the readiness check', async () => {
    const response = await fed.fetch(new URL('/ready', fed.gatewayUrl));
    const body = (await response.json()) as { checks: Record<string, string> };
    expect(body.checks).toMatchObject({
      INTERPOL: 'certificate_refused',
      EUROPOL: 'certificate_refused',
      ASEANAPOL: 'certificate_refused',
      LMLECC: 'ready',
      directory: 'ready',
    });
  });

  it('warns at the node that starts with an expired certificate', () => {
    expect(fed.logs.some((line) => line.startsWith('[INTERPOL]') && line.includes('TLS certificate has expired'))).toBe(true);
  });
});

describe('a gateway whose client certificate the nodes refuse', () => {
  let fed: TestFederation;
  let impostor: CertificateAuthority;

  beforeAll(async () => {
    // A certificate for the right names from a CA the nodes do not trust.
    impostor = await makeCertificateAuthority('Impostor CA');
    fed = await startTestFederation({
      tls: true,
      logLevel: 'info',
      async prepare(config) {
        await installCertificate(config, 'gateway', await issueCertificate(impostor, { commonName: 'gateway', names: LOCAL_NAMES }));
      },
    });
  });

  afterAll(async () => {
    await fed?.stop();
  });

  it('gets no record from any node: every agency is unavailable with the certificate refused', async () => {
    // The gateway serves with the same impostor certificate: this partner trusts its CA to reach it.
    const trusting = new Agent({ connect: { ca: impostor.cert } });
    const viaGateway: LinkFetch = (url, init) => fetch(url, { ...(init as object), dispatcher: trusting }) as unknown as Promise<Response>;
    const headers = { authorization: `Bearer ${await fed.token(DEFAULT_CALLER)}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' };
    const { errors, data } = await postGraphQL<{ notices: unknown[] | null }>(
      fed.gatewayUrl,
      '{ notices(first: 2) { id } }',
      {},
      headers,
      viaGateway,
    );
    await trusting.close();
    expect(data?.notices ?? []).toEqual([]);
    const refused = (errors ?? []).filter((error) => error.extensions?.code === 'AGENCY_UNAVAILABLE');
    expect(refused.map((error) => error.extensions?.agency).sort()).toEqual(['ASEANAPOL', 'EUROPOL', 'INTERPOL', 'LMLECC']);
    for (const error of refused) expect(error.extensions?.reason).toBe('certificate_refused');
  });

  it('logs the refusal at each node with the reason', () => {
    for (const agency of ['INTERPOL', 'EUROPOL', 'ASEANAPOL', 'LMLECC']) {
      const line = fed.logs.find((entry) => entry.startsWith(`[${agency}]`) && entry.includes('client certificate refused'));
      expect(line, agency).toBeDefined();
      expect(line).toContain('untrusted_certificate');
      expect(line).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    }
  });
});
