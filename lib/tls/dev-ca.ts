import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FederationConfig } from '../config/federation.js';
import { isIP } from 'node:net';
import { serviceName, type TlsConfig } from '../config/tls.js';
import { writeAtomically } from '../write-atomically.js';
import { issueCertificate, makeCertificateAuthority, type CertificateAuthority } from './certificates.js';

// The development CA: `FEDERATION_TLS=true npm start` makes a CA and one certificate per
// service of the federation under DATA_DIR/tls on first start (and again for any that is
// missing, expiring or no longer matches), so the demo runs on mutual TLS with no setup.
// Only for the dev section: certificates named in federation.json are the operator's, and
// are never made or replaced here.

const DAY_MS = 24 * 60 * 60 * 1000;
/** Made again this long before they expire. */
const CA_RENEW_DAYS = 30;
const LEAF_RENEW_DAYS = 7;
const CA_NAME = 'Records Federation Development CA';

/** Every service's certificate exists, is current and is issued by the dev CA; returns the services whose certificate was made. */
export async function ensureDevCertificates(federation: FederationConfig): Promise<string[]> {
  const tls = federation.tls;
  if (!tls?.dev) return [];
  // Only this user may change what the services trust.
  mkdirSync(tls.certificates, { recursive: true, mode: 0o700 });
  const caKeyFile = devCaKeyFile(tls);
  mkdirSync(path.dirname(caKeyFile), { recursive: true, mode: 0o700 });
  let authority = readAuthority(tls.ca, caKeyFile);
  const renewAll = !authority;
  if (!authority) {
    authority = await makeCertificateAuthority(CA_NAME);
    writeAtomically(caKeyFile, authority.key, 0o600);
    writeAtomically(tls.ca, authority.cert, 0o644);
  }
  const made: string[] = [];
  for (const { service, names } of servicesOf(federation)) {
    const certFile = path.join(tls.certificates, `${serviceName(service)}.crt`);
    const keyFile = path.join(tls.certificates, `${serviceName(service)}.key`);
    if (!renewAll && isCurrent(certFile, keyFile, authority, names)) continue;
    const issued = await issueCertificate(authority, { commonName: serviceName(service), names });
    // The key first: a service reloading between the two writes refuses the mismatch and keeps its old pair.
    writeAtomically(keyFile, issued.key, 0o600);
    writeAtomically(certFile, issued.cert, 0o644);
    made.push(service);
  }
  return made;
}

/**
 * Where the dev CA keeps its key: beside the certificates folder, not in it (DATA_DIR/tls-ca/ca.key),
 * so the folder can be handed to services without it.
 */
export function devCaKeyFile(tls: TlsConfig): string {
  return path.join(path.dirname(tls.certificates), 'tls-ca', 'ca.key');
}

/** The names each service's certificate must carry: this machine, its compose service name, its configured host. */
function servicesOf(federation: FederationConfig): { service: string; names: string[] }[] {
  const local = ['localhost', '127.0.0.1', '::1'];
  const withHost = (service: string, url?: string) => {
    const host = url ? new URL(url).hostname.replace(/^\[|\]$/g, '') : undefined;
    return { service, names: [...new Set([...local, serviceName(service), ...(host ? [host] : [])])] };
  };
  return [
    withHost('gateway'),
    withHost('directory', federation.directory.url),
    ...federation.agencies.map((node) => withHost(node.code, node.url)),
  ];
}

function readAuthority(certFile: string, keyFile: string): CertificateAuthority | undefined {
  try {
    const cert = readFileSync(certFile, 'utf8');
    const key = readFileSync(keyFile, 'utf8');
    const certificate = new X509Certificate(cert);
    if (!certificate.checkPrivateKey(createPrivateKey(key)) || expiresWithin(certificate, CA_RENEW_DAYS)) return undefined;
    return { name: CA_NAME, cert, key };
  } catch {
    return undefined;
  }
}

/** Issued by the dev CA, fits its key, not expiring within a week, and names every name the service is reached by now. */
function isCurrent(certFile: string, keyFile: string, authority: CertificateAuthority, names: readonly string[]): boolean {
  try {
    const certificate = new X509Certificate(readFileSync(certFile, 'utf8'));
    const ca = new X509Certificate(authority.cert);
    return (
      certificate.checkIssued(ca) &&
      certificate.verify(ca.publicKey) &&
      certificate.checkPrivateKey(createPrivateKey(readFileSync(keyFile, 'utf8'))) &&
      !expiresWithin(certificate, LEAF_RENEW_DAYS) &&
      names.every((name) => (isIP(name) ? certificate.checkIP(name) : certificate.checkHost(name, { wildcards: false })) !== undefined)
    );
  } catch {
    return false;
  }
}

function expiresWithin(certificate: X509Certificate, days: number): boolean {
  return new Date(certificate.validTo).getTime() - Date.now() < days * DAY_MS;
}
