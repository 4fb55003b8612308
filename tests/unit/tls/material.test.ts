import { X509Certificate } from 'node:crypto';
import { unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../lib/config/index.js';
import type { TlsConfig } from '../../../lib/config/tls.js';
import { makeCertificateAuthority, type CertificateAuthority, type IssuedCertificate } from '../../../lib/tls/certificates.js';
import { loadTlsMaterial, serviceTlsFiles, watchTlsMaterial, type TlsFiles } from '../../../lib/tls/material.js';
import { serviceTls } from '../../../lib/tls/service-tls.js';
import { capturedLogger, DAY_MS, leaf, replaceFile, serviceFiles, sleep, tempDir, waitFor, WARN, writePair } from './pki.js';

// One service's TLS files read and checked as a whole (a bad set refused with one line naming
// the file), and followed when they are replaced, keeping what works when the new set does not.

let ca: CertificateAuthority;
let otherCa: CertificateAuthority;
let first: IssuedCertificate;
let second: IssuedCertificate;

beforeAll(async () => {
  [ca, otherCa] = await Promise.all([makeCertificateAuthority('Test Federation CA'), makeCertificateAuthority('Other CA')]);
  [first, second] = await Promise.all([leaf(ca, 'interpol'), leaf(ca, 'interpol')]);
});

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

/** The ConfigError loading refuses with: one line, naming `file`. */
function refusal(files: TlsFiles, file: string): string {
  let error: unknown;
  try {
    loadTlsMaterial(files);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).toContain(file);
  expect(message).not.toMatch(/\n/);
  expect(message).not.toMatch(/\bat .*:\d+:\d+/);
  return message;
}

describe('loadTlsMaterial', () => {
  it('reads a good set: the PEM texts, the certificate, the CA bundle split, the CA fingerprints', () => {
    const dir = tempDir('material');
    const files = serviceFiles(dir, 'interpol', first, [ca, otherCa], [otherCa]);
    const material = loadTlsMaterial(files);
    expect(material.files).toEqual(files);
    expect(material.cert).toBe(first.cert);
    expect(material.key).toBe(first.key);
    expect(material.certificate.fingerprint256).toBe(fingerprint(first.cert));
    expect(material.ca.map(fingerprint)).toEqual([fingerprint(ca.cert), fingerprint(otherCa.cert)]);
    expect(material.partnerCa.map(fingerprint)).toEqual([fingerprint(otherCa.cert)]);
    expect(material.federationCas.map((certificate) => certificate.fingerprint256)).toEqual([
      fingerprint(ca.cert),
      fingerprint(otherCa.cert),
    ]);
    expect(material.partnerCas.map((certificate) => certificate.fingerprint256)).toEqual([fingerprint(otherCa.cert)]);
  });

  it('refuses a missing certificate, key, CA bundle or partner CA bundle, naming the file', () => {
    const dir = tempDir('missing');
    const files = serviceFiles(dir, 'interpol', first, [ca], [otherCa]);
    for (const which of ['cert', 'key', 'ca', 'partnerCa'] as const) {
      const missing = path.join(dir, `no-such-${which}.pem`);
      expect(refusal({ ...files, [which]: missing }, missing)).toMatch(/no such file/);
    }
  });

  it('refuses a certificate file that is not a PEM certificate, naming it', () => {
    const dir = tempDir('not-pem');
    const files = serviceFiles(dir, 'interpol', first, [ca]);
    writeFileSync(files.cert, 'this is not a certificate\n');
    refusal(files, files.cert);
    // A key where the certificate should be is not a certificate either.
    writeFileSync(files.cert, first.key);
    refusal(files, files.cert);
  });

  it('refuses a key that is not a PEM key, naming it', () => {
    const dir = tempDir('bad-key');
    const files = serviceFiles(dir, 'interpol', first, [ca]);
    writeFileSync(files.key, 'garbage');
    refusal(files, files.key);
  });

  it('refuses a key that does not belong to the certificate, naming the key file', () => {
    const dir = tempDir('mismatch');
    const files = serviceFiles(dir, 'interpol', first, [ca]);
    writeFileSync(files.key, second.key);
    refusal(files, files.key);
  });

  it('refuses an empty CA bundle, or one without a certificate, naming it', () => {
    const dir = tempDir('empty-ca');
    const files = serviceFiles(dir, 'interpol', first, [ca], [otherCa]);
    writeFileSync(files.ca, '');
    refusal(files, files.ca);
    writeFileSync(files.ca, first.key);
    refusal(files, files.ca);
    writeFileSync(files.ca, ca.cert);
    writeFileSync(files.partnerCa!, '\n');
    refusal(files, files.partnerCa!);
  });

  it('refuses a CA bundle holding a damaged certificate, naming it', () => {
    const dir = tempDir('damaged-ca');
    const files = serviceFiles(dir, 'interpol', first, [ca]);
    writeFileSync(files.ca, `${ca.cert}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`);
    refusal(files, files.ca);
  });
});

describe('serviceTlsFiles', () => {
  const tls: TlsConfig = {
    ca: '/pki/ca.pem',
    certificates: '/pki/certs',
    clientCertificates: 'required',
    partnerCa: undefined,
    dev: false,
  };

  it('names <certificates>/<service in lower case>.crt and .key, and the CA bundles', () => {
    expect(serviceTlsFiles(tls, 'INTERPOL')).toEqual({
      cert: '/pki/certs/interpol.crt',
      key: '/pki/certs/interpol.key',
      ca: '/pki/ca.pem',
    });
    expect(serviceTlsFiles({ ...tls, partnerCa: '/pki/partners.pem' }, 'gateway')).toEqual({
      cert: '/pki/certs/gateway.crt',
      key: '/pki/certs/gateway.key',
      ca: '/pki/ca.pem',
      partnerCa: '/pki/partners.pem',
    });
  });

  it('takes TLS_CERT_FILE / TLS_KEY_FILE style overrides, each on its own', () => {
    expect(serviceTlsFiles(tls, 'directory', { cert: '/run/secrets/tls.crt', key: '/run/secrets/tls.key' })).toMatchObject({
      cert: '/run/secrets/tls.crt',
      key: '/run/secrets/tls.key',
    });
    expect(serviceTlsFiles(tls, 'directory', { key: '/run/secrets/tls.key' })).toMatchObject({
      cert: '/pki/certs/directory.crt',
      key: '/run/secrets/tls.key',
    });
  });

  it('is what a service loads, with TLS_CERT_FILE and TLS_KEY_FILE from its environment', () => {
    const dataDir = tempDir('service-env');
    const secrets = tempDir('service-secrets');
    const federationFile = path.join(dataDir, 'federation.json');
    writeFileSync(federationFile, JSON.stringify({ agencies: [{ code: 'INTERPOL', port: 4101 }] }));
    writeFileSync(path.join(dataDir, 'ca.pem'), ca.cert);
    // <certificates>/interpol.* hold a pair; the overrides name another one, which must be the one loaded.
    writePair(dataDir, 'interpol', first);
    const overridden = writePair(secrets, 'mounted', second);
    const env = { FEDERATION_CONFIG: federationFile, DATA_DIR: dataDir, FEDERATION_TLS: 'true' };
    const { logger } = capturedLogger();
    writeFileSync(
      federationFile,
      JSON.stringify({ agencies: [{ code: 'INTERPOL', port: 4101 }], tls: { ca: 'ca.pem', certificates: '.' } }),
    );

    const plain = serviceTls(loadConfig(env), 'INTERPOL', logger)!;
    const withOverrides = serviceTls(
      loadConfig({ ...env, TLS_CERT_FILE: overridden.cert, TLS_KEY_FILE: overridden.key }),
      'INTERPOL',
      logger,
    )!;
    try {
      expect(plain.current().certificate.fingerprint256).toBe(fingerprint(first.cert));
      expect(withOverrides.current().files).toMatchObject(overridden);
      expect(withOverrides.current().certificate.fingerprint256).toBe(fingerprint(second.cert));
    } finally {
      plain.stop();
      withOverrides.stop();
    }
    // One without the other would pair a certificate with a key that is not its own: refused, naming both.
    for (const half of [{ TLS_CERT_FILE: overridden.cert }, { TLS_KEY_FILE: overridden.key }]) {
      const config = loadConfig({ ...env, ...half });
      expect(() => serviceTls(config, 'INTERPOL', logger)).toThrow(ConfigError);
      expect(() => serviceTls(config, 'INTERPOL', logger)).toThrow(/TLS_CERT_FILE.*TLS_KEY_FILE/);
    }
    // Without TLS there is nothing to load.
    expect(serviceTls(loadConfig({ ...env, FEDERATION_TLS: 'false' }), 'INTERPOL', logger)).toBeUndefined();
  });
});

describe('watchTlsMaterial', () => {
  function watch(files: TlsFiles, onTestFinished: (stop: () => void) => void) {
    const { logger, lines } = capturedLogger();
    const watched = watchTlsMaterial(files, logger);
    onTestFinished(() => watched.stop());
    const changes: string[] = [];
    watched.onChange((material) => changes.push(material.certificate.fingerprint256));
    return { watched, lines, changes };
  }

  it('refuses to start on a bad set, with the same one line', () => {
    const dir = tempDir('watch-bad');
    const files = serviceFiles(dir, 'interpol', first, [ca]);
    writeFileSync(files.key, second.key);
    const { logger } = capturedLogger();
    expect(() => watchTlsMaterial(files, logger)).toThrow(ConfigError);
    expect(() => watchTlsMaterial(files, logger)).toThrow(files.key);
  });

  it('reload() is true when the files changed and false when they did not', ({ onTestFinished }) => {
    const dir = tempDir('watch-reload');
    const files = serviceFiles(dir, 'interpol', first, [ca]);
    const { watched, changes } = watch(files, onTestFinished);
    expect(watched.reload()).toBe(false);
    expect(changes).toEqual([]);
    replaceFile(files.key, second.key);
    replaceFile(files.cert, second.cert);
    expect(watched.reload()).toBe(true);
    expect(changes).toEqual([fingerprint(second.cert)]);
    expect(watched.current().certificate.fingerprint256).toBe(fingerprint(second.cert));
    expect(watched.reload()).toBe(false);
    expect(changes).toHaveLength(1);
    // A new CA bundle alone is a change too.
    writeFileSync(files.ca, ca.cert + otherCa.cert);
    expect(watched.reload()).toBe(true);
    expect(watched.current().ca).toHaveLength(2);
  });

  it('SIGHUP reads the files again at once, through one process listener however many watches; a stopped watch no longer follows', ({
    onTestFinished,
  }) => {
    const files = serviceFiles(tempDir('watch-hup'), 'interpol', first, [ca]);
    const otherFiles = serviceFiles(tempDir('watch-hup-2'), 'europol', first, [ca]);
    const before = process.listenerCount('SIGHUP');
    const { watched, changes } = watch(files, onTestFinished);
    const other = watch(otherFiles, onTestFinished);
    expect(process.listenerCount('SIGHUP')).toBeLessThanOrEqual(Math.max(before, 1));
    for (const set of [files, otherFiles]) {
      replaceFile(set.key, second.key);
      replaceFile(set.cert, second.cert);
    }
    process.emit('SIGHUP', 'SIGHUP');
    expect(changes).toEqual([fingerprint(second.cert)]);
    expect(other.changes).toEqual([fingerprint(second.cert)]);
    expect(watched.current().certificate.fingerprint256).toBe(fingerprint(second.cert));
    watched.stop();
    replaceFile(files.key, first.key);
    replaceFile(files.cert, first.cert);
    process.emit('SIGHUP', 'SIGHUP');
    expect(changes).toEqual([fingerprint(second.cert)]);
  });

  it('warns when the certificate it starts with has expired or expires within days, naming the file; not otherwise', async ({
    onTestFinished,
  }) => {
    const warningsFor = async (notAfter: Date) => {
      const pair = await leaf(ca, 'interpol', { notBefore: new Date(notAfter.getTime() - 30 * DAY_MS), notAfter });
      const files = serviceFiles(tempDir('watch-expiry'), 'interpol', pair, [ca]);
      const { lines } = watch(files, onTestFinished);
      return { files, warnings: lines.filter((line) => line.level === WARN) };
    };
    const expired = await warningsFor(new Date(Date.now() - DAY_MS));
    expect(expired.warnings).toHaveLength(1);
    expect(expired.warnings[0]).toMatchObject({ file: expired.files.cert, msg: expect.stringMatching(/expired/) });
    const soon = await warningsFor(new Date(Date.now() + 2 * DAY_MS));
    expect(soon.warnings).toHaveLength(1);
    expect(soon.warnings[0]).toMatchObject({ file: soon.files.cert, msg: expect.stringMatching(/expire/) });
    expect((await warningsFor(new Date(Date.now() + 200 * DAY_MS))).warnings).toEqual([]);
  });

  it('warns when a reloaded certificate expires within days', async ({ onTestFinished }) => {
    const files = serviceFiles(tempDir('watch-expiring-reload'), 'interpol', first, [ca]);
    const { watched, lines } = watch(files, onTestFinished);
    const expiring = await leaf(ca, 'interpol', { notAfter: new Date(Date.now() + 3 * DAY_MS) });
    replaceFile(files.key, expiring.key);
    replaceFile(files.cert, expiring.cert);
    expect(watched.reload()).toBe(true);
    expect(lines.filter((line) => line.level === WARN)).toEqual([expect.objectContaining({ file: files.cert })]);
  });

  // On the 1 s timer: run side by side.
  describe.concurrent('following the files', () => {
    it('picks up files replaced in place within a few seconds and calls onChange once with the new certificate', async ({
      onTestFinished,
    }) => {
      const dir = tempDir('watch-change');
      const files = serviceFiles(dir, 'interpol', first, [ca]);
      const { watched, lines, changes } = watch(files, onTestFinished);
      expect(watched.current().certificate.fingerprint256).toBe(fingerprint(first.cert));

      // Overwritten in place (same inode, very likely the same size): only the change time tells.
      writeFileSync(files.key, second.key);
      writeFileSync(files.cert, second.cert);
      await waitFor(() => changes.length > 0, 'the new certificate', 4000);
      expect(changes).toEqual([fingerprint(second.cert)]);
      expect(watched.current().cert).toBe(second.cert);
      expect(watched.current().key).toBe(second.key);
      expect(lines.some((line) => line.msg === 'TLS certificate reloaded' && line.fingerprint === fingerprint(second.cert))).toBe(true);
      // Two more checks of the files: nothing changed, no second call.
      await sleep(2200);
      expect(changes).toHaveLength(1);
    });

    it('refuses a half-rotated set (new key, old certificate) with a warning and keeps the old material, then takes the whole new set', async ({
      onTestFinished,
    }) => {
      const dir = tempDir('watch-half');
      const files = serviceFiles(dir, 'interpol', first, [ca]);
      const { watched, lines, changes } = watch(files, onTestFinished);

      replaceFile(files.key, second.key);
      await waitFor(() => lines.some((line) => line.level === WARN), 'a warning', 4000);
      const warning = lines.find((line) => line.level === WARN)!;
      expect(warning.msg).toMatch(/cannot be used/);
      expect(String(warning.reason)).toContain(files.key);
      expect(String(warning.reason)).not.toMatch(/\n/);
      expect(changes).toEqual([]);
      expect(watched.current().cert).toBe(first.cert);
      expect(watched.current().key).toBe(first.key);
      expect(watched.reload()).toBe(false);
      expect(watched.current().certificate.fingerprint256).toBe(fingerprint(first.cert));

      // The certificate follows: the whole set is taken.
      replaceFile(files.cert, second.cert);
      await waitFor(() => changes.length > 0, 'the completed rotation', 4000);
      expect(changes).toEqual([fingerprint(second.cert)]);
      expect(watched.current().key).toBe(second.key);
    });

    it('keeps the old material when a file disappears, and warns naming it', async ({ onTestFinished }) => {
      const dir = tempDir('watch-gone');
      const files = serviceFiles(dir, 'interpol', first, [ca]);
      const { watched, lines, changes } = watch(files, onTestFinished);
      unlinkSync(files.ca);
      await waitFor(() => lines.some((line) => line.level === WARN), 'a warning', 4000);
      expect(String(lines.find((line) => line.level === WARN)!.reason)).toContain(files.ca);
      expect(watched.current().ca).toEqual([ca.cert]);
      expect(changes).toEqual([]);
    });

    it('after stop() replaced files are no longer picked up', async ({ onTestFinished }) => {
      const dir = tempDir('watch-stop');
      const files = serviceFiles(dir, 'interpol', first, [ca]);
      const { watched, lines, changes } = watch(files, onTestFinished);
      watched.stop();
      replaceFile(files.key, second.key);
      replaceFile(files.cert, second.cert);
      await sleep(2300);
      expect(changes).toEqual([]);
      expect(lines).toEqual([]);
      expect(watched.current().certificate.fingerprint256).toBe(fingerprint(first.cert));
    });
  });
});
