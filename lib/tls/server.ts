import type { Server as HttpsServer, ServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { Counter, Gauge } from 'prom-client';
import type { ClientCertificateMode } from '../config/tls.js';
import { metricsRegistry } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import type { TlsMaterial, TlsWatch } from './material.js';

// The HTTPS side of a service: its certificate, and at nodes and the directory the client
// certificates it asks for. A connection refused in the handshake (no certificate, one from
// another CA, an expired one) is logged with the reason and counted; whoever connects never
// learns more than TLS itself says. Each admitted request is known as a federation link
// (certificate from the federation's CA: the gateway, another node), a partner's link (from
// tls.partnerCa) or an anonymous one (no certificate, where tls.clientCertificates is optional).

export interface ServerTls {
  watch: TlsWatch;
  /** Nodes and the directory ask for client certificates; the gateway does not ('none': partners bring tokens). */
  clientCertificates: ClientCertificateMode | 'none';
}

export type LinkKind = 'federation' | 'partner' | 'anonymous';

/** Why a connection was refused, as a bounded metric label. */
const REFUSAL_REASONS = ['no_certificate', 'untrusted_certificate', 'expired_certificate', 'handshake'] as const;
type RefusalReason = (typeof REFUSAL_REASONS)[number];

const refusals = new Counter({
  name: 'tls_connections_refused_total',
  help: 'TLS connections refused before any request was read, by reason (a client certificate missing, untrusted or expired; any other handshake failure).',
  labelNames: ['reason'],
  registers: [metricsRegistry],
});
// Every reason shows from the start (at 0), so an alert on its rate has a series to watch.
for (const reason of REFUSAL_REASONS) refusals.inc({ reason }, 0);
const expiry = new Gauge({
  name: 'tls_certificate_expiry_timestamp_seconds',
  help: "When this service's own TLS certificate expires (Unix time): alert well before it.",
  registers: [metricsRegistry],
});

/** Node's HTTPS options for the material in force. */
export function httpsOptions(material: TlsMaterial, mode: ServerTls['clientCertificates']): ServerOptions {
  return {
    cert: material.cert,
    key: material.key,
    minVersion: 'TLSv1.2',
    ...(mode === 'none' ? {} : { ca: [...material.ca, ...material.partnerCa], requestCert: true, rejectUnauthorized: mode === 'required' }),
  };
}

/** Follows certificate rotation and logs refused handshakes. */
export function attachTls(server: HttpsServer, tls: ServerTls, logger: Logger): void {
  expiry.set(Date.parse(tls.watch.current().certificate.validTo) / 1000);
  tls.watch.onChange((material) => {
    // New connections get the new certificate and CA bundle; open ones keep theirs.
    server.setSecureContext(httpsOptions(material, tls.clientCertificates));
    expiry.set(Date.parse(material.certificate.validTo) / 1000);
  });
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
    const reason = refusalReason(error);
    refusals.inc({ reason });
    // A port scan or a dropped connection is not worth a warning; a refused certificate is.
    const level = reason === 'handshake' ? 'debug' : 'warn';
    logger[level]({ remote: socket.remoteAddress, reason, detail: error.code ?? error.message }, 'TLS connection refused');
  });
}

function refusalReason(error: NodeJS.ErrnoException): RefusalReason {
  const text = `${error.code ?? ''} ${error.message}`;
  if (/PEER_DID_NOT_RETURN_A_CERTIFICATE|CERTIFICATE_REQUIRED/i.test(text)) return 'no_certificate';
  if (/EXPIRED/i.test(text)) return 'expired_certificate';
  if (/CERT|UNKNOWN_CA|ISSUER|SELF_SIGNED|VERIFY/i.test(text)) return 'untrusted_certificate';
  return 'handshake';
}

export interface AdmittedLink {
  kind: LinkKind;
  /** The common name of the caller's certificate (e.g. "gateway"), when it presented one. */
  peer?: string;
}

const linkOfSocket = new WeakMap<TLSSocket, AdmittedLink | null>();

/**
 * What link a request came over; null when a certificate was presented that does not verify
 * (only possible where client certificates are optional: a required one is refused in the handshake).
 */
export function admittedLink(socket: TLSSocket, material: TlsMaterial): AdmittedLink | null {
  if (linkOfSocket.has(socket)) return linkOfSocket.get(socket)!;
  const link = classify(socket, material);
  linkOfSocket.set(socket, link);
  return link;
}

function classify(socket: TLSSocket, material: TlsMaterial): AdmittedLink | null {
  const peer = socket.getPeerCertificate(true);
  if (!peer || Object.keys(peer).length === 0) return { kind: 'anonymous' };
  if (!socket.authorized) return null;
  let root = peer;
  // The chain Node built ends at the trusted root, which names itself as its issuer.
  while (root.issuerCertificate && root.issuerCertificate !== root && root.issuerCertificate.fingerprint256 !== root.fingerprint256) {
    root = root.issuerCertificate;
  }
  const commonName = typeof peer.subject?.CN === 'string' ? peer.subject.CN : undefined;
  return { kind: material.federationCaFingerprints.has(root.fingerprint256) ? 'federation' : 'partner', peer: commonName };
}
