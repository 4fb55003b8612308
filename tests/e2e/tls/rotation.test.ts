import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate, type CertificateAuthority, type IssuedCertificate } from '../../../lib/tls/certificates.js';
import { startTestFederation, type TestFederation } from '../../helpers/federation.js';
import { federationAuthority, installCertificate } from '../../helpers/tls.js';

// Certificates are rotated by replacing their files: every service picks the new ones up
// without a restart (at once on SIGHUP), and not one request fails while it happens.

const NAMES = ['localhost', '127.0.0.1', '::1'];

describe('certificate rotation without restart', () => {
  let fed: TestFederation;
  let authority: CertificateAuthority;
  let folder: string;

  beforeAll(async () => {
    fed = await startTestFederation({ tls: true, logLevel: 'info' });
    folder = fed.config.federation.tls!.certificates;
    authority = await federationAuthority(fed.config);
  });

  afterAll(async () => {
    await fed?.stop();
  });

  const install = (service: string, issued: IssuedCertificate) => installCertificate(fed.config, service, issued);

  /** The fingerprint of the certificate a service presents to a new connection now. */
  async function servedFingerprint(url: string): Promise<string> {
    const gateway = { cert: await readFile(path.join(folder, 'gateway.crt')), key: await readFile(path.join(folder, 'gateway.key')) };
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port), ca: authority.cert, servername: 'localhost', ...gateway }, () => {
        const fingerprint = socket.getPeerCertificate().fingerprint256;
        socket.end();
        resolve(fingerprint);
      });
      socket.once('error', reject);
    });
  }

  /** Partners asking all the time through the gateway; every failure is kept. */
  function steadyLoad(workers: number) {
    let running = true;
    const failures: string[] = [];
    let answered = 0;
    const loops = Array.from({ length: workers }, async () => {
      while (running) {
        try {
          const { data, errors } = await fed.query<{ notices: { id: string }[] }>('{ notices(first: 2) { id } }');
          if (errors?.length || data?.notices.length !== 8) failures.push(JSON.stringify(errors ?? data));
          else answered += 1;
        } catch (error) {
          failures.push(String(error));
        }
      }
    });
    return {
      answered: () => answered,
      async stop() {
        running = false;
        await Promise.all(loops);
        return { failures, answered };
      },
    };
  }

  it("serves a node's new certificate and presents the gateway's new client certificate, with no request failing", async () => {
    const load = steadyLoad(3);
    // Under way before anything is rotated.
    await expect.poll(() => load.answered(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    const interpolUrl = fed.nodeUrl('INTERPOL');
    const before = await servedFingerprint(interpolUrl);

    const node = await issueCertificate(authority, { commonName: 'interpol', names: NAMES });
    await install('interpol', node);
    const expected = new X509Certificate(node.cert).fingerprint256;
    expect(expected).not.toBe(before);
    await expect.poll(() => servedFingerprint(interpolUrl), { timeout: 5000, interval: 100 }).toBe(expected);

    // The gateway's own certificate, under a new name the nodes log as the caller's.
    await install('gateway', await issueCertificate(authority, { commonName: 'gateway-rotated', names: NAMES }));
    await expect
      .poll(() => fed.logs.some((line) => line.startsWith('[EUROPOL]') && line.includes('"peer":"gateway-rotated"')), {
        timeout: 5000,
        interval: 100,
      })
      .toBe(true);

    // And still answering afterwards, over the new certificates.
    const rotated = load.answered();
    await expect.poll(() => load.answered(), { timeout: 10_000 }).toBeGreaterThanOrEqual(rotated + 3);
    const { failures } = await load.stop();
    expect(failures).toEqual([]);
    expect(fed.logs.some((line) => line.startsWith('[INTERPOL]') && line.includes('TLS certificate reloaded'))).toBe(true);
  });

  it('keeps serving with the current certificate when the new files do not fit together, and says so', async () => {
    const directoryUrl = fed.federation.url('directory');
    const current = await servedFingerprint(directoryUrl);
    // A key for another certificate: a rotation half done, or a mistake.
    const other = await issueCertificate(authority, { commonName: 'directory', names: NAMES });
    await writeFile(path.join(folder, 'directory.key'), other.key);
    await expect
      .poll(() => fed.logs.some((line) => line.startsWith('[directory]') && line.includes('cannot be used')), {
        timeout: 5000,
        interval: 100,
      })
      .toBe(true);
    expect(await servedFingerprint(directoryUrl)).toBe(current);
    const { errors } = await fed.query('{ notices(first: 1) { id agency { name } } }');
    expect(errors).toBeUndefined();
    // The certificate that goes with the key completes the rotation.
    await writeFile(path.join(folder, 'directory.crt'), other.cert);
    await expect
      .poll(() => servedFingerprint(directoryUrl), { timeout: 5000, interval: 100 })
      .toBe(new X509Certificate(other.cert).fingerprint256);
  });

  it('reloads on SIGHUP instead of stopping', async () => {
    const lmleccUrl = fed.nodeUrl('LMLECC');
    const next = await issueCertificate(authority, { commonName: 'lmlecc', names: NAMES });
    await install('lmlecc', next);
    fed.federation.children.get('LMLECC')!.process.kill('SIGHUP');
    await expect
      .poll(() => servedFingerprint(lmleccUrl), { timeout: 5000, interval: 100 })
      .toBe(new X509Certificate(next.cert).fingerprint256);
    const { data, errors } = await fed.query<{ notices: { id: string }[] }>('{ notices(first: 1) { id } }');
    expect(errors).toBeUndefined();
    expect(data!.notices.map((notice) => notice.id.split(':')[0])).toContain('LMLECC');
  });
});
