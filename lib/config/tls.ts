import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error.js';

// The federation's own links on TLS (federation.json "tls", or FEDERATION_TLS=true for the
// demo federation): every service serves HTTPS with its own certificate, the gateway (and
// any node calling another) presents that certificate as a client certificate and checks
// the other end against the federation's CA bundle. Partners' tokens are checked as before:
// TLS authenticates the link, the token the caller.

/** Who may open a connection to a node or the directory. */
export const CLIENT_CERTIFICATE_MODES = ['required', 'optional'] as const;
export type ClientCertificateMode = (typeof CLIENT_CERTIFICATE_MODES)[number];

export interface TlsConfig {
  /** The federation's CA bundle (PEM): checks every service's certificate and the federation's client certificates. */
  ca: string;
  /** The folder of each service's `<service>.crt` and `<service>.key` (service: gateway, directory, or an agency code in lower case). */
  certificates: string;
  /**
   * At nodes and the directory. required: no connection without a client certificate from the
   * federation's CA (or `partnerCa`); optional: callers without a certificate are admitted (their
   * token decides), a certificate presented must verify.
   */
  clientCertificates: ClientCertificateMode;
  /** Partners' CA bundle: their systems may call a node directly with certificates it issued. */
  partnerCa: string | undefined;
  /** FEDERATION_TLS=true without a "tls" section: `npm start` makes the dev CA and certificates under DATA_DIR/tls. */
  dev: boolean;
}

/** What FEDERATION_TLS=true means without a "tls" section: the dev CA made under DATA_DIR (lib/tls/dev-ca.ts). */
export const DEV_TLS_SECTION: TlsSection = { ca: 'tls/ca.crt', certificates: 'tls', clientCertificates: 'required' };

const MODE = `tls.clientCertificates must be one of ${CLIENT_CERTIFICATE_MODES.map((m) => `"${m}"`).join(', ')}.`;
const FILE = (key: string) => `tls.${key} must name a file (a path relative to DATA_DIR, or absolute).`;

const KEYS = 'tls takes only "ca", "certificates", "clientCertificates" and "partnerCa"';

// Strict: a misspelt key ("partnerCA") would otherwise silently leave a default in force.
export const tlsSectionSchema = z.strictObject(
  {
    ca: z.string({ error: FILE('ca') }).min(1, { error: FILE('ca') }),
    certificates: z.string({ error: FILE('certificates') }).min(1, { error: FILE('certificates') }),
    // null, like a key left out, means "the default".
    clientCertificates: z
      .enum(CLIENT_CERTIFICATE_MODES, { error: MODE })
      .nullish()
      .transform((mode) => mode ?? 'required'),
    partnerCa: z.string({ error: FILE('partnerCa') }).nullish(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `${KEYS}; found ${issue.keys.map((key) => `"${key}"`).join(', ')}.` : undefined,
  },
);

export type TlsSection = z.output<typeof tlsSectionSchema>;

/**
 * The TLS settings in force: the file's section, or the dev section when FEDERATION_TLS=true
 * asks for TLS without one; FEDERATION_TLS=false turns a file's section off (development).
 */
export function tlsSettings(
  section: TlsSection | undefined,
  federationTls: string | undefined,
  dataDir: string,
  production: boolean,
): TlsConfig | undefined {
  const wanted = federationTls === undefined || federationTls === '' ? undefined : federationTls.toLowerCase();
  if (wanted !== undefined && wanted !== 'true' && wanted !== 'false') {
    throw new ConfigError(`FEDERATION_TLS must be "true" or "false", not ${JSON.stringify(federationTls)}.`);
  }
  if (wanted === 'false' && section && production) {
    // One variable must not quietly put production links in clear.
    throw new ConfigError(
      'FEDERATION_TLS=false cannot turn off the "tls" section of the federation config in production (NODE_ENV=production).',
    );
  }
  if (wanted === 'false') return undefined;
  const chosen = section ?? (wanted === 'true' ? DEV_TLS_SECTION : undefined);
  if (!chosen) return undefined;
  const file = (name: string) => path.resolve(dataDir, name);
  return {
    ca: file(chosen.ca),
    certificates: file(chosen.certificates),
    clientCertificates: chosen.clientCertificates,
    partnerCa: chosen.partnerCa ? file(chosen.partnerCa) : undefined,
    dev: !section,
  };
}

/** The name of a service's certificate files: gateway, directory, or the agency code in lower case. */
export function serviceName(service: string): string {
  return service.toLowerCase();
}
