import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import path from 'node:path';
import { ConfigError } from '../config/config-error.js';
import { serviceName, type TlsConfig } from '../config/tls.js';
import type { Logger } from '../logger.js';

// One service's TLS files (its certificate and key, the federation's CA bundle, the
// partners' CA bundle) read and checked as a whole, and read again when they change:
// certificates are rotated by replacing the files (or a Kubernetes secret's symlink), and
// the service picks them up without a restart, at the latest after RELOAD_CHECK_MS, at
// once on SIGHUP. A half-written or mismatched set is refused with a log line and the
// service keeps the material it has.

export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
  partnerCa?: string;
}

export interface TlsMaterial {
  files: TlsFiles;
  /** PEM text, as Node's TLS options take them. */
  cert: string;
  key: string;
  /** The federation's CA certificates (PEM, one per entry). */
  ca: string[];
  partnerCa: string[];
  /** This service's own certificate, for logs and the expiry metric. */
  certificate: X509Certificate;
  /** The CA certificates parsed: a client certificate's issuer is looked up among them (lib/tls/server.ts). */
  federationCas: readonly X509Certificate[];
  partnerCas: readonly X509Certificate[];
}

/** The files of one service: `<certificates>/<service>.crt` and `.key` unless TLS_CERT_FILE / TLS_KEY_FILE name others. */
export function serviceTlsFiles(tls: TlsConfig, service: string, overrides: { cert?: string; key?: string } = {}): TlsFiles {
  return {
    cert: path.resolve(overrides.cert ?? path.join(tls.certificates, `${serviceName(service)}.crt`)),
    key: path.resolve(overrides.key ?? path.join(tls.certificates, `${serviceName(service)}.key`)),
    ca: tls.ca,
    ...(tls.partnerCa ? { partnerCa: tls.partnerCa } : {}),
  };
}

/** Reads and checks the files; refuses a set that cannot work with one line naming the file. */
export function loadTlsMaterial(files: TlsFiles): TlsMaterial {
  const cert = readPem(files.cert, 'certificate');
  const key = readPem(files.key, 'private key');
  const ca = splitPem(readPem(files.ca, 'CA bundle'), files.ca);
  const partnerCa = files.partnerCa ? splitPem(readPem(files.partnerCa, 'partner CA bundle'), files.partnerCa) : [];
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new ConfigError(`TLS certificate ${files.cert} is not a PEM certificate.`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new ConfigError(`TLS key ${files.key} is not a PEM private key (encrypted keys are not supported).`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new ConfigError(`TLS key ${files.key} does not belong to the certificate ${files.cert}.`);
  }
  try {
    // What OpenSSL itself will refuse (a key too small, a digest it no longer accepts) is refused
    // here too, with the file named: a rotation to such a pair must not take the service down.
    createSecureContext({ cert, key, ca: [...ca, ...partnerCa] });
  } catch (error) {
    throw new ConfigError(
      `TLS certificate ${files.cert} with key ${files.key} is refused by OpenSSL: ${(error as Error).message.split('\n')[0]}.`,
    );
  }
  return {
    files,
    cert,
    key,
    ca,
    partnerCa,
    certificate,
    federationCas: ca.map((pem) => new X509Certificate(pem)),
    partnerCas: partnerCa.map((pem) => new X509Certificate(pem)),
  };
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? "permission denied (the service's user must be able to read it)"
          : (code ?? 'unreadable');
    throw new ConfigError(`Cannot read the TLS ${what} ${file}: ${reason}.`);
  }
}

/** The certificates of a bundle, each checked. */
function splitPem(bundle: string, file: string): string[] {
  const certificates = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certificates.length === 0) throw new ConfigError(`TLS CA bundle ${file} holds no PEM certificate.`);
  for (const pem of certificates) {
    try {
      new X509Certificate(pem);
    } catch {
      throw new ConfigError(`TLS CA bundle ${file} holds a certificate that cannot be read.`);
    }
  }
  return certificates;
}

/** How often the files' metadata is checked for a change. */
export const RELOAD_CHECK_MS = 1000;

export interface TlsWatch {
  /** The material in force. */
  current(): TlsMaterial;
  /** Called with the new material after each change that loaded cleanly. */
  onChange(listener: (material: TlsMaterial) => void): void;
  /** Reads the files again now (SIGHUP does this); true when the material changed. */
  reload(): boolean;
  stop(): void;
}

/** Loads the files (refusing to start on a bad set) and follows their changes. */
export function watchTlsMaterial(files: TlsFiles, logger: Logger): TlsWatch {
  let material = loadTlsMaterial(files);
  warnIfExpiring(material, logger);
  let signature = filesSignature(files);
  const listeners: ((material: TlsMaterial) => void)[] = [];
  const reload = (): boolean => {
    let next: TlsMaterial;
    try {
      next = loadTlsMaterial(files);
    } catch (error) {
      // Mid-rotation (a key written before its certificate) or a mistake: keep serving with what works.
      logger.warn({ reason: (error as Error).message }, 'TLS files changed but cannot be used; keeping the current certificate');
      return false;
    }
    if (
      next.cert === material.cert &&
      next.key === material.key &&
      sameList(next.ca, material.ca) &&
      sameList(next.partnerCa, material.partnerCa)
    ) {
      return false;
    }
    const previous = material;
    material = next;
    logger.info(
      {
        subject: next.certificate.subject.replace(/\n/g, ', '),
        notAfter: next.certificate.validTo,
        fingerprint: next.certificate.fingerprint256,
      },
      'TLS certificate reloaded',
    );
    warnIfExpiring(next, logger);
    try {
      for (const listener of listeners) listener(next);
    } catch (error) {
      // Nothing may be half switched: back to the material every listener took before.
      material = previous;
      for (const listener of listeners) listener(previous);
      logger.error({ reason: (error as Error).message }, 'TLS files changed but could not be applied; keeping the current certificate');
      return false;
    }
    return true;
  };
  const timer = setInterval(() => {
    const now = filesSignature(files);
    if (now === signature) return;
    signature = now;
    reload();
  }, RELOAD_CHECK_MS);
  timer.unref();
  const onHangUp = () => {
    signature = filesSignature(files);
    reload();
  };
  onSighup(onHangUp);
  return {
    current: () => material,
    onChange: (listener) => listeners.push(listener),
    reload,
    stop() {
      clearInterval(timer);
      hangUpListeners.delete(onHangUp);
    },
  };
}

/** One SIGHUP handler per process for every watch in it (a process would otherwise collect one listener per watch). */
const hangUpListeners = new Set<() => void>();
let sighupInstalled = false;

function onSighup(listener: () => void): void {
  hangUpListeners.add(listener);
  if (sighupInstalled) return;
  sighupInstalled = true;
  // A service's SIGHUP means "read your certificate files again", never "stop".
  process.on('SIGHUP', () => {
    for (const hangUp of hangUpListeners) hangUp();
  });
}

/** A certificate past its end (or within a week of it) is used (rotation may be on its way) but said loudly. */
function warnIfExpiring(material: TlsMaterial, logger: Logger): void {
  const left = Date.parse(material.certificate.validTo) - Date.now();
  if (left > EXPIRY_WARNING_MS) return;
  logger.warn(
    { file: material.files.cert, notAfter: material.certificate.validTo },
    left <= 0 ? 'TLS certificate has expired: the other services refuse it' : 'TLS certificate expires within a week',
  );
}

const EXPIRY_WARNING_MS = 7 * 24 * 60 * 60 * 1000;

/** Size, change time and inode of every file (following symlinks): any replacement changes it. */
function filesSignature(files: TlsFiles): string {
  return [files.cert, files.key, files.ca, files.partnerCa]
    .filter((file): file is string => file !== undefined)
    .map((file) => {
      try {
        const stat = statSync(file);
        return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      } catch {
        return 'missing';
      }
    })
    .join('|');
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((entry, i) => entry === b[i]);
}
