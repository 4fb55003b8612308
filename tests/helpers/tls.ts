import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../lib/config/index.js';
import type { CertificateAuthority, IssuedCertificate } from '../../lib/tls/certificates.js';
import { devCaKeyFile } from '../../lib/tls/dev-ca.js';

// The test federation's CA (the dev CA its helper made) and putting a service's certificate
// in place, for suites that need a certificate the federation would not issue itself.

export async function federationAuthority(config: Config): Promise<CertificateAuthority> {
  const tls = config.federation.tls!;
  return { name: 'federation', cert: await readFile(tls.ca, 'utf8'), key: await readFile(devCaKeyFile(tls), 'utf8') };
}

/** Replaces a service's files the way an operator's tooling does: each written aside, then renamed in place, the key first. */
export async function installCertificate(config: Config, service: string, issued: IssuedCertificate): Promise<void> {
  for (const [extension, text] of [
    ['key', issued.key],
    ['crt', issued.cert],
  ] as const) {
    const file = path.join(config.federation.tls!.certificates, `${service}.${extension}`);
    await writeFile(`${file}.new`, text, { mode: 0o600 });
    await rename(`${file}.new`, file);
  }
}
