import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCertificateMode } from '../../../lib/config/tls.js';
import { metricsRegistry } from '../../../lib/http/metrics.js';
import { makeCertificateAuthority, type CertificateAuthority, type IssuedCertificate } from '../../../lib/tls/certificates.js';
import { federationLinks, isTlsFailure, type Links } from '../../../lib/tls/links.js';
import { loadTlsMaterial, watchTlsMaterial, type TlsMaterial } from '../../../lib/tls/material.js';
import { admittedLink, attachTls, httpsOptions, type AdmittedLink, type RefusedLink } from '../../../lib/tls/server.js';
import { capturedLogger, DAY_MS, leaf, replaceFile, serviceFiles, sleep, tempDir, waitFor, WARN, type LogLine } from './pki.js';

// Real HTTPS servers on loopback built as the services build theirs (httpsOptions, attachTls,
// and admittedLink deciding each connection, refused ones answered 403 as lib/http/serve.ts
// does), called as the gateway calls them (federationLinks): who gets in, who is told apart,
// which server certificates the caller refuses, and certificate rotation.

let federationCa: CertificateAuthority;
let partnerCa: CertificateAuthority;
let rogueCa: CertificateAuthority;
let node: IssuedCertificate;
let gateway: IssuedCertificate;
let partner: IssuedCertificate;
let rogueGateway: IssuedCertificate;

beforeAll(async () => {
  [federationCa, partnerCa, rogueCa] = await Promise.all([
    makeCertificateAuthority('Federation CA'),
    makeCertificateAuthority('Partner CA'),
    makeCertificateAuthority('Federation CA'),
  ]);
  [node, gateway, partner, rogueGateway] = await Promise.all([
    leaf(federationCa, 'interpol'),
    leaf(federationCa, 'gateway'),
    leaf(partnerCa, 'partner-system'),
    leaf(rogueCa, 'gateway'),
  ]);
});

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
const pastDays = (days: number) => new Date(Date.now() - days * DAY_MS);

/** What the server saw of one request it admitted. */
interface Seen {
  link: AdmittedLink | undefined;
  fingerprint: string | null;
}

interface TestServer {
  url: string;
  port: number;
  server: Server;
  /** Requests admitted and served. */
  seen: Seen[];
  /** Connections refused for their client certificate. */
  refused: RefusedLink[];
  lines: LogLine[];
}

/**
 * A node's HTTPS server: its certificate, client certificates per `mode`, each connection
 * decided by admittedLink before anything is served (refused: 403, connection closed).
 */
async function startServer(
  material: TlsMaterial | (() => TlsMaterial),
  mode: ClientCertificateMode | 'none',
  register: (close: () => void) => void,
): Promise<TestServer> {
  const current = typeof material === 'function' ? material : () => material;
  const { logger, lines } = capturedLogger();
  const seen: Seen[] = [];
  const refused: RefusedLink[] = [];
  const server = createServer(httpsOptions(current(), mode), (request, response) => {
    const socket = request.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    const link = mode === 'none' ? undefined : admittedLink(socket, current(), mode, logger);
    if (link && 'refused' in link) {
      refused.push(link);
      response.writeHead(403, { 'content-type': 'application/json', connection: 'close' });
      response.end(JSON.stringify({ refused: link.refused }));
      return;
    }
    const entry: Seen = { link, fingerprint: peer && 'fingerprint256' in peer ? peer.fingerprint256 : null };
    seen.push(entry);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(entry));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  register(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `https://127.0.0.1:${port}/`, port, server, seen, refused, lines };
}

/** The gateway's side: its files followed, its links. */
function gatewayLinks(pair: IssuedCertificate, register: (close: () => void) => void, ca = [federationCa]) {
  const dir = tempDir('gateway');
  const files = serviceFiles(dir, 'gateway', pair, ca);
  const { logger, lines } = capturedLogger();
  const watch = watchTlsMaterial(files, logger);
  const links = federationLinks(watch);
  register(() => {
    watch.stop();
    void links.close();
  });
  return { files, watch, links, lines };
}

/** A caller that is not the gateway: plain undici trusting the federation CA, with whatever certificate it has. */
function otherCaller(register: (close: () => void) => void, options: { cert?: string; key?: string } = {}) {
  const agent = new Agent({ connect: { ca: [federationCa.cert], ...options } });
  register(() => void agent.close());
  return (url: string) => undiciFetch(url, { dispatcher: agent });
}

/** The error a refused fetch ends with, and its cause's code. */
async function failureOf(request: Promise<unknown>): Promise<{ error: Error; code: string | undefined }> {
  let error: unknown;
  try {
    await request;
  } catch (caught) {
    error = caught;
  }
  expect(error, 'the request should have failed').toBeInstanceOf(Error);
  const cause = (error as Error & { cause?: NodeJS.ErrnoException }).cause;
  return { error: error as Error, code: cause?.code };
}

function nodeMaterial(pair: IssuedCertificate = node, withPartners = true): TlsMaterial {
  const dir = tempDir('node');
  return loadTlsMaterial(serviceFiles(dir, 'interpol', pair, [federationCa], withPartners ? [partnerCa] : undefined));
}

async function refusalCount(reason: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('tls_connections_refused_total')!.get();
  return metric.values.find((value) => value.labels.reason === reason)?.value ?? 0;
}

/** A caller refused for its certificate: 403, nothing served, one warning with the reason (and the peer's name, if any). */
async function expectRefused(
  server: TestServer,
  response: Promise<{ status: number; json(): Promise<unknown> }>,
  reason: RefusedLink['refused'],
  detail?: RegExp,
) {
  const answer = await response;
  expect(answer.status).toBe(403);
  expect(await answer.json()).toEqual({ refused: reason });
  expect(server.seen).toEqual([]);
  expect(server.refused.map((link) => link.refused)).toEqual([reason]);
  if (detail) expect(server.refused[0]!.detail).toMatch(detail);
  const warnings = server.lines.filter((line) => line.level === WARN);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatchObject({ msg: 'client certificate refused', reason, remote: '127.0.0.1' });
}

describe.concurrent('a node requiring client certificates', () => {
  it('admits the gateway through federationLinks, as a federation link named by its certificate', async ({ onTestFinished }) => {
    const server = await startServer(nodeMaterial(), 'required', onTestFinished);
    const { links } = gatewayLinks(gateway, onTestFinished);
    const response = await links.fetch(server.url);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ link: { kind: 'federation', peer: 'gateway' }, fingerprint: fingerprint(gateway.cert) });
    expect(server.refused).toEqual([]);
    // Many requests, one connection: decided once.
    for (let i = 0; i < 3; i++) expect((await links.fetch(server.url)).status).toBe(200);
    expect(server.lines.filter((line) => line.level >= WARN)).toEqual([]);
  });

  it('refuses a caller without a certificate', async ({ onTestFinished }) => {
    const server = await startServer(nodeMaterial(), 'required', onTestFinished);
    await expectRefused(server, otherCaller(onTestFinished)(server.url), 'no_certificate');
  });

  it('refuses a caller whose certificate comes from another CA (even one of the same name)', async ({ onTestFinished }) => {
    const server = await startServer(nodeMaterial(), 'required', onTestFinished);
    await expectRefused(server, otherCaller(onTestFinished, rogueGateway)(server.url), 'untrusted_certificate');
    expect(server.refused[0]!.peer).toBe('gateway');
  });

  it("refuses the gateway's links when they present a certificate from another CA", async ({ onTestFinished }) => {
    const server = await startServer(nodeMaterial(), 'required', onTestFinished);
    const { links } = gatewayLinks(rogueGateway, onTestFinished);
    await expectRefused(server, links.fetch(server.url), 'untrusted_certificate');
  });

  it('refuses an expired client certificate from the federation CA, as expired', async ({ onTestFinished }) => {
    const server = await startServer(nodeMaterial(), 'required', onTestFinished);
    const expired = await leaf(federationCa, 'gateway', { notBefore: pastDays(10), notAfter: pastDays(1) });
    await expectRefused(server, otherCaller(onTestFinished, expired)(server.url), 'expired_certificate', /CERT_HAS_EXPIRED/);
  });

  it('refuses a client certificate not valid yet', async ({ onTestFinished }) => {
    const server = await startServer(nodeMaterial(), 'required', onTestFinished);
    const early = await leaf(federationCa, 'gateway', { notBefore: pastDays(-1), notAfter: pastDays(-30) });
    await expectRefused(server, otherCaller(onTestFinished, early)(server.url), 'expired_certificate', /CERT_NOT_YET_VALID/);
  });

  it('counts each refusal by its reason', async ({ onTestFinished }) => {
    const server = await startServer(nodeMaterial(node, false), 'required', onTestFinished);
    const before = await refusalCount('untrusted_certificate');
    // A partner's certificate where no partner CA is configured is from an unknown CA.
    await expectRefused(server, otherCaller(onTestFinished, partner)(server.url), 'untrusted_certificate');
    // Concurrent tests refuse too: at least this one.
    expect(await refusalCount('untrusted_certificate')).toBeGreaterThanOrEqual(before + 1);
  });

  it("admits a partner's system with a certificate from tls.partnerCa, as a partner link", async ({ onTestFinished }) => {
    const server = await startServer(nodeMaterial(), 'required', onTestFinished);
    const response = await otherCaller(onTestFinished, partner)(server.url);
    expect(await response.json()).toEqual({ link: { kind: 'partner', peer: 'partner-system' }, fingerprint: fingerprint(partner.cert) });
  });
});

describe.concurrent('a node with optional client certificates', () => {
  it('admits a caller without a certificate as anonymous', async ({ onTestFinished }) => {
    const server = await startServer(nodeMaterial(), 'optional', onTestFinished);
    const response = await otherCaller(onTestFinished)(server.url);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ link: { kind: 'anonymous' }, fingerprint: null });
  });

  it("tells a partner's certificate from the federation's", async ({ onTestFinished }) => {
    const server = await startServer(nodeMaterial(), 'optional', onTestFinished);
    expect(await (await otherCaller(onTestFinished, partner)(server.url)).json()).toEqual({
      link: { kind: 'partner', peer: 'partner-system' },
      fingerprint: fingerprint(partner.cert),
    });
    const { links } = gatewayLinks(gateway, onTestFinished);
    expect(await (await links.fetch(server.url)).json()).toEqual({
      link: { kind: 'federation', peer: 'gateway' },
      fingerprint: fingerprint(gateway.cert),
    });
  });

  it('still refuses a certificate presented that does not verify', async ({ onTestFinished }) => {
    const server = await startServer(nodeMaterial(), 'optional', onTestFinished);
    await expectRefused(server, otherCaller(onTestFinished, rogueGateway)(server.url), 'untrusted_certificate');
  });

  it('still refuses an expired certificate', async ({ onTestFinished }) => {
    const server = await startServer(nodeMaterial(), 'optional', onTestFinished);
    const expired = await leaf(partnerCa, 'partner-system', { notBefore: pastDays(10), notAfter: pastDays(1) });
    await expectRefused(server, otherCaller(onTestFinished, expired)(server.url), 'expired_certificate');
  });
});

describe.concurrent('federationLinks refuses a server certificate', () => {
  async function serving(pair: IssuedCertificate, register: (close: () => void) => void): Promise<TestServer> {
    return startServer(loadTlsMaterial(serviceFiles(tempDir('server'), 'server', pair, [federationCa])), 'none', register);
  }

  /** The call fails with this TLS code as its cause, and is told apart as a TLS failure; nothing was served. */
  async function expectTlsFailure(server: TestServer, links: Links, code: string) {
    const failure = await failureOf(links.fetch(server.url));
    expect(failure.code).toBe(code);
    expect(isTlsFailure(failure.error)).toBe(true);
    expect(server.seen).toEqual([]);
  }

  it('for another name', async ({ onTestFinished }) => {
    const { links } = gatewayLinks(gateway, onTestFinished);
    const server = await serving(await leaf(federationCa, 'interpol', { names: ['interpol.example'] }), onTestFinished);
    await expectTlsFailure(server, links, 'ERR_TLS_CERT_ALTNAME_INVALID');
    // The name in the URL is the one checked: a certificate for localhost does not do for 127.0.0.1.
    const named = await serving(await leaf(federationCa, 'interpol', { names: ['localhost'] }), onTestFinished);
    await expectTlsFailure(named, links, 'ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('that has expired', async ({ onTestFinished }) => {
    const { links } = gatewayLinks(gateway, onTestFinished);
    const server = await serving(await leaf(federationCa, 'interpol', { notBefore: pastDays(10), notAfter: pastDays(1) }), onTestFinished);
    await expectTlsFailure(server, links, 'CERT_HAS_EXPIRED');
  });

  it('that is not valid yet', async ({ onTestFinished }) => {
    const { links } = gatewayLinks(gateway, onTestFinished);
    const server = await serving(await leaf(federationCa, 'interpol', { notBefore: pastDays(-1), notAfter: pastDays(-9) }), onTestFinished);
    await expectTlsFailure(server, links, 'CERT_NOT_YET_VALID');
  });

  it('from another CA (even one of the same name)', async ({ onTestFinished }) => {
    const { links } = gatewayLinks(gateway, onTestFinished);
    await expectTlsFailure(await serving(await leaf(rogueCa, 'interpol'), onTestFinished), links, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('from the partner CA (partners are not federation services)', async ({ onTestFinished }) => {
    const { links } = gatewayLinks(gateway, onTestFinished);
    await expectTlsFailure(await serving(await leaf(partnerCa, 'interpol'), onTestFinished), links, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('but accepts a good one; a closed port is not a TLS failure', async ({ onTestFinished }) => {
    const { links } = gatewayLinks(gateway, onTestFinished);
    const server = await serving(node, onTestFinished);
    expect((await links.fetch(server.url)).status).toBe(200);
    await new Promise<void>((resolve) => server.server.close(() => resolve()));
    server.server.closeAllConnections();
    const closed = await failureOf(links.fetch(server.url));
    expect(closed.code).toBe('ECONNREFUSED');
    expect(isTlsFailure(closed.error)).toBe(false);
  });
});

describe('attachTls', () => {
  /** A node's server as serve.ts builds it: httpsOptions, then attachTls. */
  async function attachedServer(register: (close: () => void) => void) {
    const files = serviceFiles(tempDir('attached'), 'interpol', node, [federationCa], [partnerCa]);
    const { logger, lines } = capturedLogger();
    const watch = watchTlsMaterial(files, logger);
    register(() => watch.stop());
    const server = await startServer(() => watch.current(), 'required', register);
    attachTls(server.server, { watch, clientCertificates: 'required' }, logger);
    return { server, watch, files, lines };
  }

  it('counts a handshake that fails (a caller that does not trust this node) and logs it at debug only', async ({ onTestFinished }) => {
    const { server, lines } = await attachedServer(onTestFinished);
    const before = await refusalCount('handshake');
    const distrustful = new Agent({ connect: { ca: [rogueCa.cert], ...gateway } });
    onTestFinished(() => void distrustful.close());
    const failure = await failureOf(undiciFetch(server.url, { dispatcher: distrustful }));
    expect(isTlsFailure(failure.error), String(failure.code)).toBe(true);
    await waitFor(() => lines.some((line) => line.msg === 'TLS handshake failed'), 'the handshake log line', 2000);
    expect(lines.filter((line) => line.level >= WARN)).toEqual([]);
    expect(await refusalCount('handshake')).toBe(before + 1);
    expect(server.seen).toEqual([]);
  });

  it('serves a rotated certificate to new connections, and sets the expiry gauge', async ({ onTestFinished }) => {
    const { server, watch, files } = await attachedServer(onTestFinished);
    const expiry = async () => (await metricsRegistry.getSingleMetric('tls_certificate_expiry_timestamp_seconds')!.get()).values[0]?.value;
    expect(await expiry()).toBe(Date.parse(new X509Certificate(node.cert).validTo) / 1000);
    const peerOf = () =>
      new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: [federationCa.cert], ...gateway });
        socket.once('secureConnect', () => {
          resolve(socket.getPeerCertificate().fingerprint256);
          socket.destroy();
        });
        socket.once('error', reject);
      });
    expect(await peerOf()).toBe(fingerprint(node.cert));

    const renewed = await leaf(federationCa, 'interpol', { notAfter: new Date(Date.now() + 90 * DAY_MS) });
    replaceFile(files.key, renewed.key);
    replaceFile(files.cert, renewed.cert);
    expect(watch.reload()).toBe(true);
    expect(await peerOf()).toBe(fingerprint(renewed.cert));
    expect(await expiry()).toBe(Date.parse(new X509Certificate(renewed.cert).validTo) / 1000);
    // Client certificates are still asked for and checked after the new context.
    await expectRefused(server, otherCaller(onTestFinished)(server.url), 'no_certificate');
    const { links } = gatewayLinks(gateway, onTestFinished);
    expect(await (await links.fetch(server.url)).json()).toMatchObject({ link: { kind: 'federation', peer: 'gateway' } });
  });
});

describe('rotation of the gateway client certificate', () => {
  it('presents the new certificate on new requests once the files are replaced, and no request fails meanwhile', async ({
    onTestFinished,
  }) => {
    const server = await startServer(nodeMaterial(), 'required', onTestFinished);
    const { files, watch, links } = gatewayLinks(gateway, onTestFinished);
    const changes: string[] = [];
    watch.onChange((material) => changes.push(material.certificate.fingerprint256));

    // Callers busy all along: four at a time, one request after another.
    const failures: unknown[] = [];
    let sent = 0;
    let running = true;
    const caller = async (links: Links) => {
      while (running) {
        sent += 1;
        try {
          const response = await links.fetch(server.url, { method: 'POST', body: '{"query":"{ __typename }"}' });
          if (response.status !== 200) failures.push(response.status);
          await response.arrayBuffer();
        } catch (error) {
          failures.push(error);
        }
        await sleep(5);
      }
    };
    const callers = Promise.all([caller(links), caller(links), caller(links), caller(links)]);
    await waitFor(() => server.seen.length >= 8, 'the first requests');
    expect(new Set(server.seen.map((entry) => entry.fingerprint))).toEqual(new Set([fingerprint(gateway.cert)]));

    // Rotation as the dev CA does it: the key first, then the certificate, each renamed in place.
    const renewed = await leaf(federationCa, 'gateway');
    replaceFile(files.key, renewed.key);
    await sleep(50);
    replaceFile(files.cert, renewed.cert);
    await waitFor(() => changes.length > 0, 'the rotation to be picked up', 4000);
    const seenAtChange = server.seen.length;
    await waitFor(() => server.seen.length >= seenAtChange + 20, 'requests after the rotation');
    running = false;
    await callers;

    expect(failures).toEqual([]);
    expect(changes).toEqual([fingerprint(renewed.cert)]);
    expect(sent).toBe(server.seen.length);
    // Only the two certificates, each as a federation link; the new one on new requests.
    expect(new Set(server.seen.map((entry) => entry.fingerprint))).toEqual(new Set([fingerprint(gateway.cert), fingerprint(renewed.cert)]));
    expect(server.seen.every((entry) => entry.link?.kind === 'federation' && entry.link.peer === 'gateway')).toBe(true);
    // A request sent now is sent after the change: the new certificate.
    await (await links.fetch(server.url)).arrayBuffer();
    expect(server.seen.at(-1)!.fingerprint).toBe(fingerprint(renewed.cert));
    // Requests settle on the new certificate (the last ones, sent well after the change).
    expect(server.seen.slice(-8).every((entry) => entry.fingerprint === fingerprint(renewed.cert))).toBe(true);
  });
});
