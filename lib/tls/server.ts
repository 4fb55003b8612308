import type { Server as HttpsServer, ServerOptions } from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
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

/** The error code of a request refused for its connection's certificate: the gateway reads it as "certificate refused". */
export const CLIENT_CERTIFICATE_REFUSED = 'CLIENT_CERTIFICATE_REFUSED';

/** Why a connection was refused, as a bounded metric label. */
const REFUSAL_REASONS = ['no_certificate', 'untrusted_certificate', 'expired_certificate', 'handshake'] as const;
type RefusalReason = (typeof REFUSAL_REASONS)[number];

const refusals = new Counter({
  name: 'tls_connections_refused_total',
  help: 'TLS connections refused before any request was served, by reason (a client certificate missing, untrusted or expired; a failed handshake).',
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

/**
 * Node's HTTPS options for the material in force. Client certificates are asked for but
 * checked here, per connection, rather than by OpenSSL in the handshake: under TLS 1.3 a
 * refusal in the handshake reaches neither side as a reason (both see a reset), while a
 * refusal here is logged with its reason and answered with an error the caller can read.
 * Nothing of the request is read before it (the check is the first hook, before the body).
 */
export function httpsOptions(material: TlsMaterial, mode: ServerTls['clientCertificates']): ServerOptions {
  return {
    cert: material.cert,
    key: material.key,
    minVersion: 'TLSv1.2',
    ...(mode === 'none' ? {} : { ca: [...material.ca, ...material.partnerCa], requestCert: true, rejectUnauthorized: false }),
  };
}

/** Follows certificate rotation and counts handshakes that fail. */
export function attachTls(server: HttpsServer, tls: ServerTls, logger: Logger): void {
  expiry.set(Date.parse(tls.watch.current().certificate.validTo) / 1000);
  tls.watch.onChange((material) => {
    // New connections get the new certificate and CA bundle; open ones keep theirs.
    server.setSecureContext(httpsOptions(material, tls.clientCertificates));
    expiry.set(Date.parse(material.certificate.validTo) / 1000);
  });
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
    refusals.inc({ reason: 'handshake' });
    // A port scan, a dropped connection or a client that does not trust us: worth a debug line only.
    logger.debug({ remote: socket.remoteAddress, detail: error.code ?? error.message }, 'TLS handshake failed');
  });
}

export interface AdmittedLink {
  kind: LinkKind;
  /** The common name of the caller's certificate (e.g. "gateway"), when it presented one. */
  peer?: string;
}

export interface RefusedLink {
  refused: Exclude<RefusalReason, 'handshake'>;
  /** OpenSSL's reason (CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE...), for the log. */
  detail: string;
  peer?: string;
}

/** What the caller is told, in words it can act on; its own certificate's faults are no secret to it. */
export const REFUSAL_MESSAGES: Record<RefusedLink['refused'], string> = {
  no_certificate: 'This node admits only callers with a client certificate; none was presented.',
  untrusted_certificate: 'The client certificate was refused: it is not issued by a CA this node trusts, or not for client use.',
  expired_certificate: 'The client certificate was refused: it has expired or is not valid yet.',
};

/** A connection's decision, and what it was decided against: new CA bundles or a passing expiry decide again. */
interface Decision {
  link: AdmittedLink | RefusedLink;
  material: TlsMaterial;
  /** When the client certificate stops being valid (ms); Infinity without one. */
  validUntil: number;
}

const decisions = new WeakMap<TLSSocket, Decision>();

/**
 * What link a connection is: a federation link (certificate from the federation's CA), a
 * partner's (from tls.partnerCa), anonymous (no certificate, admitted only where certificates
 * are optional), or refused. Decided once per connection (and counted and logged once when
 * refused), and again on a connection kept open past a reload of the CA bundles (a partner's
 * CA removed cuts its open connections off) or past its certificate's expiry.
 */
export function admittedLink(
  socket: TLSSocket,
  material: TlsMaterial,
  mode: ClientCertificateMode,
  logger: Logger,
): AdmittedLink | RefusedLink {
  const known = decisions.get(socket);
  if (known && 'refused' in known.link) return known.link;
  if (known && known.material === material && Date.now() <= known.validUntil) return known.link;
  const decision = decide(socket, material, mode);
  decisions.set(socket, decision);
  const { link } = decision;
  if ('refused' in link) {
    refusals.inc({ reason: link.refused });
    logger.warn({ remote: socket.remoteAddress, reason: link.refused, detail: link.detail, peer: link.peer }, 'client certificate refused');
  }
  return link;
}

function decide(socket: TLSSocket, material: TlsMaterial, mode: ClientCertificateMode): Decision {
  const refused = (link: RefusedLink): Decision => ({ link, material, validUntil: Infinity });
  const peer = socket.getPeerCertificate(true);
  if (!peer || Object.keys(peer).length === 0) {
    return mode === 'optional'
      ? { link: { kind: 'anonymous' }, material, validUntil: Infinity }
      : refused({ refused: 'no_certificate', detail: 'no client certificate' });
  }
  const commonName = typeof peer.subject?.CN === 'string' ? peer.subject.CN : undefined;
  if (!socket.authorized) {
    const detail = String((socket.authorizationError as unknown as { code?: string })?.code ?? socket.authorizationError);
    return refused({
      refused: /EXPIRED|NOT_YET_VALID/.test(detail) ? 'expired_certificate' : 'untrusted_certificate',
      detail,
      peer: commonName,
    });
  }
  // OpenSSL verified the chain at the handshake; which bundle anchors it, and whether it still
  // does after a reload, is checked here, signature by signature (the chain Node reports is
  // built by name, partly from what the peer sent).
  const chain = presentedChain(peer);
  const leaf = chain[0]!;
  const validUntil = Date.parse(leaf.validTo);
  if (Date.now() > validUntil) return refused({ refused: 'expired_certificate', detail: 'CERT_HAS_EXPIRED', peer: commonName });
  if (anchoredIn(leaf, chain.slice(1), material.federationCas))
    return { link: { kind: 'federation', peer: commonName }, material, validUntil };
  if (anchoredIn(leaf, chain.slice(1), material.partnerCas)) return { link: { kind: 'partner', peer: commonName }, material, validUntil };
  return refused({ refused: 'untrusted_certificate', detail: 'issuer no longer trusted', peer: commonName });
}

/** The leaf and the certificates above it as Node reports them (at most a few: chains are short). */
function presentedChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  for (let entry: DetailedPeerCertificate | undefined = peer; entry && chain.length < MAX_CHAIN; entry = entry.issuerCertificate) {
    chain.push(new X509Certificate(entry.raw));
    if (entry.issuerCertificate === entry || entry.issuerCertificate?.fingerprint256 === entry.fingerprint256) break;
  }
  return chain;
}

const MAX_CHAIN = 5;

/** Whether `certificate` is signed by one of `anchors`, directly or through the intermediates. */
function anchoredIn(
  certificate: X509Certificate,
  intermediates: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  depth = 0,
): boolean {
  const signedBy = (issuer: X509Certificate) => certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
  if (anchors.some(signedBy)) return true;
  if (depth >= MAX_CHAIN) return false;
  return intermediates.some(
    (issuer) =>
      issuer.ca &&
      issuer.fingerprint256 !== certificate.fingerprint256 &&
      signedBy(issuer) &&
      anchoredIn(issuer, intermediates, anchors, depth + 1),
  );
}
