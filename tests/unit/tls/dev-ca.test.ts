import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config/index.js';
import type { FederationConfig } from '../../../lib/config/federation.js';
import { issueCertificate, makeCertificateAuthority } from '../../../lib/tls/certificates.js';
import { devCaKeyFile, ensureDevCertificates } from '../../../lib/tls/dev-ca.js';
import { DAY_MS, tempDir } from './pki.js';

// The development CA `FEDERATION_TLS=true npm start` makes under DATA_DIR/tls: a CA and one
// certificate per service, made once, made again only where one is missing or expired, and
// never where federation.json names its own certificates.

const SERVICES = ['gateway', 'directory', 'interpol', 'europol', 'lmlecc'];

/** A federation with the dev section, whose directory and two nodes have URLs of their own. */
function devFederation(env: Record<string, string> = { FEDERATION_TLS: 'true' }, tls?: unknown): FederationConfig {
  const dataDir = tempDir('dev-ca');
  const file = path.join(dataDir, 'federation.json');
  writeFileSync(
    file,
    JSON.stringify({
      directory: { port: 4001, url: 'https://directory.federation.internal:4001/' },
      agencies: [
        { code: 'INTERPOL', port: 4101, url: 'https://interpol.federation.internal:4101/' },
        { code: 'EUROPOL', port: 4102, url: 'https://10.20.30.40:4102/' },
        { code: 'LMLECC', port: 4104 },
      ],
      ...(tls ? { tls } : {}),
    }),
  );
  return loadConfig({ FEDERATION_CONFIG: file, DATA_DIR: dataDir, ...env }).federation;
}

const tlsDir = (federation: FederationConfig) => path.join(federation.dataDir, 'tls');
const read = (federation: FederationConfig, name: string) => readFileSync(path.join(tlsDir(federation), name), 'utf8');
const certificate = (federation: FederationConfig, service: string) => new X509Certificate(read(federation, `${service}.crt`));
const mode = (file: string) => statSync(file).mode & 0o777;

/** Every file of DATA_DIR/tls with its text and modification time: what "made nothing" compares. */
function snapshot(federation: FederationConfig): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(tlsDir(federation)).sort()) {
    const file = path.join(tlsDir(federation), name);
    files[name] = `${statSync(file).mtimeMs} ${readFileSync(file, 'utf8')}`;
  }
  return files;
}

const lowerCase = (services: string[]) => services.map((service) => service.toLowerCase()).sort();

describe('ensureDevCertificates', () => {
  it('makes the CA and one certificate and key per service, keys readable by the owner only', async () => {
    const federation = devFederation();
    const made = await ensureDevCertificates(federation);
    expect(lowerCase(made)).toEqual([...SERVICES].sort());
    const expected = ['ca.crt', ...SERVICES.flatMap((service) => [`${service}.crt`, `${service}.key`])].sort();
    expect(readdirSync(tlsDir(federation)).sort()).toEqual(expected);
    for (const name of expected.filter((file) => file.endsWith('.key'))) {
      expect(mode(path.join(tlsDir(federation), name)), name).toBe(0o600);
    }
    // The CA the config names is the one made.
    expect(federation.tls!.ca).toBe(path.join(tlsDir(federation), 'ca.crt'));
    const ca = new X509Certificate(read(federation, 'ca.crt'));
    expect(ca.ca).toBe(true);
    expect(ca.checkPrivateKey(createPrivateKey(readFileSync(devCaKeyFile(federation.tls!), 'utf8')))).toBe(true);
    // The CA's key is kept outside the folder handed to services.
    expect(devCaKeyFile(federation.tls!).startsWith(tlsDir(federation) + path.sep)).toBe(false);
    expect(mode(devCaKeyFile(federation.tls!))).toBe(0o600);
  });

  it('gives each certificate its service as common name and the names it is reached by', async () => {
    const federation = devFederation();
    await ensureDevCertificates(federation);
    for (const service of SERVICES) {
      const cert = certificate(federation, service);
      expect(cert.subject, service).toBe(`CN=${service}`);
      expect(cert.checkHost('localhost'), service).toBe('localhost');
      expect(cert.checkIP('127.0.0.1'), service).toBe('127.0.0.1');
      // The compose service name.
      expect(cert.checkHost(service), service).toBe(service);
      expect(cert.checkHost('elsewhere.example'), service).toBeUndefined();
      expect(cert.checkPrivateKey(createPrivateKey(read(federation, `${service}.key`))), service).toBe(true);
    }
    // The host of each configured URL.
    expect(certificate(federation, 'directory').checkHost('directory.federation.internal')).toBe('directory.federation.internal');
    expect(certificate(federation, 'interpol').checkHost('interpol.federation.internal')).toBe('interpol.federation.internal');
    expect(certificate(federation, 'europol').checkIP('10.20.30.40')).toBe('10.20.30.40');
    // ...and not another service's.
    expect(certificate(federation, 'europol').checkHost('interpol.federation.internal')).toBeUndefined();
    expect(certificate(federation, 'interpol').checkHost('europol')).toBeUndefined();
  });

  it('makes leaves that verify against the CA, for serving and for calling', async () => {
    const federation = devFederation();
    await ensureDevCertificates(federation);
    const ca = new X509Certificate(read(federation, 'ca.crt'));
    const stranger = new X509Certificate((await makeCertificateAuthority('Records Federation Development CA')).cert);
    for (const service of SERVICES) {
      const cert = certificate(federation, service);
      expect(cert.checkIssued(ca), service).toBe(true);
      expect(cert.verify(ca.publicKey), service).toBe(true);
      // A CA of the same name but other keys does not sign them.
      expect(cert.verify(stranger.publicKey), service).toBe(false);
      expect(cert.ca, service).toBe(false);
      expect(cert.keyUsage ?? [], service).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
      expect(Date.parse(cert.validTo), service).toBeGreaterThan(Date.now() + 30 * DAY_MS);
    }
  });

  it('makes nothing on a second call', async () => {
    const federation = devFederation();
    await ensureDevCertificates(federation);
    const before = snapshot(federation);
    expect(await ensureDevCertificates(federation)).toEqual([]);
    expect(snapshot(federation)).toEqual(before);
  });

  it('makes a deleted service certificate again, and only that one, from the same CA', async () => {
    const federation = devFederation();
    await ensureDevCertificates(federation);
    const before = snapshot(federation);
    unlinkSync(path.join(tlsDir(federation), 'interpol.crt'));
    expect(lowerCase(await ensureDevCertificates(federation))).toEqual(['interpol']);
    const after = snapshot(federation);
    for (const name of Object.keys(before).filter((file) => !file.startsWith('interpol.'))) expect(after[name], name).toBe(before[name]);
    expect(after['interpol.key']).not.toBe(before['interpol.key']);
    const cert = certificate(federation, 'interpol');
    expect(cert.verify(new X509Certificate(read(federation, 'ca.crt')).publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(read(federation, 'interpol.key')))).toBe(true);
    expect(mode(path.join(tlsDir(federation), 'interpol.key'))).toBe(0o600);
  });

  it('makes an expired service certificate again, and only that one', async () => {
    const federation = devFederation();
    await ensureDevCertificates(federation);
    const authority = { name: 'dev', cert: read(federation, 'ca.crt'), key: readFileSync(devCaKeyFile(federation.tls!), 'utf8') };
    const expired = await issueCertificate(authority, {
      commonName: 'europol',
      names: ['localhost', '127.0.0.1', 'europol', '10.20.30.40'],
      notBefore: new Date(Date.now() - 30 * DAY_MS),
      notAfter: new Date(Date.now() - DAY_MS),
    });
    writeFileSync(path.join(tlsDir(federation), 'europol.crt'), expired.cert);
    writeFileSync(path.join(tlsDir(federation), 'europol.key'), expired.key, { mode: 0o600 });
    const before = snapshot(federation);

    expect(lowerCase(await ensureDevCertificates(federation))).toEqual(['europol']);
    const after = snapshot(federation);
    for (const name of Object.keys(before).filter((file) => !file.startsWith('europol.'))) expect(after[name], name).toBe(before[name]);
    const cert = certificate(federation, 'europol');
    expect(cert.fingerprint256).not.toBe(new X509Certificate(expired.cert).fingerprint256);
    expect(Date.parse(cert.validTo)).toBeGreaterThan(Date.now());
    expect(cert.verify(new X509Certificate(authority.cert).publicKey)).toBe(true);
  });

  it('makes a certificate that expires within days again (renewed ahead of expiry)', async () => {
    const federation = devFederation();
    await ensureDevCertificates(federation);
    const authority = { name: 'dev', cert: read(federation, 'ca.crt'), key: readFileSync(devCaKeyFile(federation.tls!), 'utf8') };
    const expiring = await issueCertificate(authority, {
      commonName: 'lmlecc',
      names: ['localhost', '127.0.0.1', 'lmlecc'],
      notAfter: new Date(Date.now() + 2 * DAY_MS),
    });
    writeFileSync(path.join(tlsDir(federation), 'lmlecc.crt'), expiring.cert);
    writeFileSync(path.join(tlsDir(federation), 'lmlecc.key'), expiring.key, { mode: 0o600 });
    expect(lowerCase(await ensureDevCertificates(federation))).toEqual(['lmlecc']);
    expect(Date.parse(certificate(federation, 'lmlecc').validTo)).toBeGreaterThan(Date.now() + 30 * DAY_MS);
  });

  it('makes a certificate whose key was replaced by another again', async () => {
    const federation = devFederation();
    await ensureDevCertificates(federation);
    writeFileSync(path.join(tlsDir(federation), 'directory.key'), read(federation, 'gateway.key'), { mode: 0o600 });
    expect(lowerCase(await ensureDevCertificates(federation))).toEqual(['directory']);
    expect(certificate(federation, 'directory').checkPrivateKey(createPrivateKey(read(federation, 'directory.key')))).toBe(true);
  });

  it('makes a new CA and every certificate again when the CA is deleted', async () => {
    const federation = devFederation();
    await ensureDevCertificates(federation);
    const oldCa = read(federation, 'ca.crt');
    unlinkSync(path.join(tlsDir(federation), 'ca.crt'));
    expect(lowerCase(await ensureDevCertificates(federation))).toEqual([...SERVICES].sort());
    const ca = new X509Certificate(read(federation, 'ca.crt'));
    expect(ca.fingerprint256).not.toBe(new X509Certificate(oldCa).fingerprint256);
    for (const service of SERVICES) expect(certificate(federation, service).verify(ca.publicKey), service).toBe(true);
  });

  // Otherwise a certificate lacking the new name makes every call to the node fail with
  // ERR_TLS_CERT_ALTNAME_INVALID until the file is deleted by hand.
  it('makes a certificate again when the host of its configured URL changed', async () => {
    const federation = devFederation();
    await ensureDevCertificates(federation);
    const moved: FederationConfig = {
      ...federation,
      agencies: federation.agencies.map((node) =>
        node.code === 'INTERPOL' ? { ...node, url: 'https://interpol.moved.internal:4101/' } : node,
      ),
    };
    expect(lowerCase(await ensureDevCertificates(moved))).toEqual(['interpol']);
    expect(certificate(federation, 'interpol').checkHost('interpol.moved.internal')).toBe('interpol.moved.internal');
  });

  it('makes a service certificate from another CA again', async () => {
    const federation = devFederation();
    await ensureDevCertificates(federation);
    const foreign = await issueCertificate(await makeCertificateAuthority('Another CA'), { commonName: 'gateway', names: ['localhost'] });
    writeFileSync(path.join(tlsDir(federation), 'gateway.crt'), foreign.cert);
    writeFileSync(path.join(tlsDir(federation), 'gateway.key'), foreign.key);
    expect(lowerCase(await ensureDevCertificates(federation))).toEqual(['gateway']);
    expect(certificate(federation, 'gateway').verify(new X509Certificate(read(federation, 'ca.crt')).publicKey)).toBe(true);
  });

  it('does nothing when federation.json names its own certificates (not the dev section)', async () => {
    const federation = devFederation({}, { ca: 'tls/ca.crt', certificates: 'tls' });
    expect(federation.tls?.dev).toBe(false);
    expect(await ensureDevCertificates(federation)).toEqual([]);
    expect(existsSync(tlsDir(federation))).toBe(false);
    // FEDERATION_TLS=true does not make a file's section the dev one.
    const withVariable = devFederation({ FEDERATION_TLS: 'true' }, { ca: 'tls/ca.crt', certificates: 'tls' });
    expect(await ensureDevCertificates(withVariable)).toEqual([]);
    expect(existsSync(tlsDir(withVariable))).toBe(false);
  });

  it('does nothing when TLS is off', async () => {
    for (const env of [{}, { FEDERATION_TLS: 'false' }] as Record<string, string>[]) {
      const federation = devFederation(env);
      expect(federation.tls).toBeUndefined();
      expect(await ensureDevCertificates(federation)).toEqual([]);
      expect(existsSync(tlsDir(federation))).toBe(false);
    }
  });
});
