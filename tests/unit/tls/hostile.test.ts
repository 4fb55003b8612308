import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { HttpAgencyClient } from '../../../gateway/datasources/agency-client.js';
import { makeCertificateAuthority, type CertificateAuthority, type IssuedCertificate } from '../../../lib/tls/certificates.js';
import { federationLinks } from '../../../lib/tls/links.js';
import { loadTlsMaterial, watchTlsMaterial, type TlsMaterial } from '../../../lib/tls/material.js';
import { admittedLink, httpsOptions } from '../../../lib/tls/server.js';
import { capturedLogger, leaf, replaceFile, serviceFiles, tempDir, waitFor } from './pki.js';

// What a rogue node, a departing partner and a careless operator would try against the
// links: a redirect out of mutual TLS, a kept-alive connection after its CA was removed, and
// a rotation to a certificate OpenSSL will not load.

let federationCa: CertificateAuthority;
let partnerCa: CertificateAuthority;
let node: IssuedCertificate;
let gateway: IssuedCertificate;
let partner: IssuedCertificate;

beforeAll(async () => {
  [federationCa, partnerCa] = await Promise.all([makeCertificateAuthority('Federation CA'), makeCertificateAuthority('Partner CA')]);
  [node, gateway, partner] = await Promise.all([
    leaf(federationCa, 'interpol'),
    leaf(federationCa, 'gateway'),
    leaf(partnerCa, 'partner-system'),
  ]);
});

async function listen(server: Server | HttpServer, register: (close: () => void) => void): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  register(() => {
    server.closeAllConnections();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

function gatewayLinks(register: (close: () => void) => void) {
  const watch = watchTlsMaterial(serviceFiles(tempDir('gateway'), 'gateway', gateway, [federationCa]), capturedLogger().logger);
  const links = federationLinks(watch);
  register(() => {
    watch.stop();
    void links.close();
  });
  return links;
}

describe('a rogue node answering with a redirect', () => {
  it('does not take the gateway anywhere: the 3xx comes back as it is and nothing reaches the target', async ({ onTestFinished }) => {
    const reached: string[] = [];
    const target = createHttpServer((request, response) => {
      reached.push(`${request.method} ${request.url}`);
      response.end('{"data":{"notices":[]}}');
    });
    const targetPort = await listen(target, onTestFinished);
    const material = loadTlsMaterial(serviceFiles(tempDir('node'), 'interpol', node, [federationCa]));
    const rogue = createServer(httpsOptions(material, 'required'), (_request, response) => {
      response.writeHead(307, { location: `http://127.0.0.1:${targetPort}/steal` });
      response.end();
    });
    const port = await listen(rogue, onTestFinished);
    const links = gatewayLinks(onTestFinished);
    const response = await links.fetch(`https://localhost:${port}/`, { method: 'POST', body: '{"query":"{ notices { id } }"}' });
    expect(response.status).toBe(307);
    const client = new HttpAgencyClient('INTERPOL', `https://localhost:${port}/`, links.post);
    await expect(
      client.send({ query: '{ notices { id } }', variables: {}, headers: {} }, new AbortController().signal),
    ).rejects.toMatchObject({
      reason: 'http_error',
    });
    expect(reached).toEqual([]);
  });
});

describe('a partner whose CA is removed while its connection stays open', () => {
  it('is refused on that same connection from the next request on', async ({ onTestFinished }) => {
    const dir = tempDir('offboarding');
    const files = serviceFiles(dir, 'interpol', node, [federationCa], [partnerCa]);
    const { logger } = capturedLogger();
    const watch = watchTlsMaterial(files, logger);
    onTestFinished(() => watch.stop());
    const sockets = new Set<TLSSocket>();
    const server = createServer(httpsOptions(watch.current(), 'required'), (request, response) => {
      const socket = request.socket as TLSSocket;
      sockets.add(socket);
      const link = admittedLink(socket, watch.current(), 'required', logger);
      response.writeHead('refused' in link ? 403 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(link));
    });
    const port = await listen(server, onTestFinished);
    // One connection, kept alive: the partner's.
    const agent = new Agent({ connect: { ca: [federationCa.cert], cert: partner.cert, key: partner.key }, connections: 1 });
    onTestFinished(() => void agent.close());
    const ask = async () => {
      const response = await undiciFetch(`https://localhost:${port}/`, { dispatcher: agent });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await ask()).toMatchObject({ status: 200, body: { kind: 'partner', peer: 'partner-system' } });
    // The partner CA is dropped (an empty partner bundle is not allowed: it becomes another CA).
    const otherPartners = await makeCertificateAuthority('Another Partner CA');
    replaceFile(files.partnerCa!, otherPartners.cert);
    watch.reload();
    expect(await ask()).toMatchObject({ status: 403, body: { refused: 'untrusted_certificate' } });
    expect(sockets.size).toBe(1);
  });
});

describe('a rotation to a certificate OpenSSL will not load', () => {
  it('is refused with a line naming the file, and the service keeps serving with what it has', async ({ onTestFinished }) => {
    const dir = tempDir('weak');
    const files = serviceFiles(dir, 'interpol', node, [federationCa]);
    const { logger, lines } = capturedLogger();
    const watch = watchTlsMaterial(files, logger);
    onTestFinished(() => watch.stop());
    let material: TlsMaterial = watch.current();
    const server = createServer(httpsOptions(material, 'none'), (_request, response) => response.end('ok'));
    watch.onChange((next) => {
      material = next;
      server.setSecureContext(httpsOptions(next, 'none'));
    });
    await listen(server, onTestFinished);
    const weak = await weakRsaPair();
    replaceFile(files.key, weak.key);
    replaceFile(files.cert, weak.cert);
    expect(() => watch.reload()).not.toThrow();
    expect(watch.current().cert).toBe(node.cert);
    expect(material.cert).toBe(node.cert);
    await waitFor(
      () => lines.some((line) => /refused by OpenSSL/.test(String(line.reason)) && String(line.reason).includes(files.cert)),
      'a warning',
    );
  });
});

/** A self-signed RSA-512 pair: parses, and its key fits, but OpenSSL's security level refuses it. */
async function weakRsaPair(): Promise<IssuedCertificate> {
  const { execFileSync } = await import('node:child_process');
  const dir = tempDir('rsa512');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:512', '-nodes', '-keyout', `${dir}/k.pem`, '-out', `${dir}/c.pem`, '-days', '1', '-subj', '/CN=weak'],
    {
      stdio: 'ignore',
    },
  );
  const { readFileSync } = await import('node:fs');
  return { cert: readFileSync(`${dir}/c.pem`, 'utf8'), key: readFileSync(`${dir}/k.pem`, 'utf8') };
}
