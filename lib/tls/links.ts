import { Agent, fetch as undiciFetch } from 'undici';
import { readAtMost } from '../http/read-at-most.js';
import { oneLine } from '../text.js';
import type { TlsWatch } from './material.js';
import { CLIENT_CERTIFICATE_REFUSED } from './server.js';

// How a service calls the federation's other services: the gateway its nodes and the
// directory (and, with witnessing, a node another node). On TLS every connection presents
// this service's certificate and accepts only a server certificate from the federation's CA
// for the name in its URL (Node's own host name check); without TLS, plain fetch.
// Rotated files take effect for new connections at once; connections in use finish first.

/** One-method seam: what a caller needs to reach another service. */
export type LinkFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface Links {
  fetch: LinkFetch;
  /** Closes the connections this service keeps open to the others. */
  close(): Promise<void>;
}

// Redirects are never followed: a node answering 3xx would otherwise send the gateway's
// question (and its client certificate) wherever it likes, plain HTTP included. A 3xx is
// returned as it is, an answer that is not GraphQL.
export const PLAIN_LINKS: Links = { fetch: (url, init) => fetch(url, { ...init, redirect: 'manual' }), close: async () => {} };

export function federationLinks(tls: TlsWatch | undefined): Links {
  if (!tls) return PLAIN_LINKS;
  let agent = agentFor(tls);
  tls.onChange(() => {
    const previous = agent;
    agent = agentFor(tls);
    // Requests in flight on the old connections finish; then they close.
    void previous.close().catch(() => {});
  });
  return {
    fetch: (url, init) => undiciFetch(url, { ...(init as object), redirect: 'manual', dispatcher: agent }) as unknown as Promise<Response>,
    close: () => agent.close(),
  };
}

/**
 * A failed call whose cause is TLS: a certificate check (CERT_HAS_EXPIRED,
 * ERR_TLS_CERT_ALTNAME_INVALID, UNABLE_TO_VERIFY_LEAF_SIGNATURE...) or a handshake the other
 * end refused (ERR_SSL_..., e.g. our client certificate was not accepted).
 */
const TLS_FAILURE = /CERT|^UNABLE_TO_|SELF_SIGNED|^INVALID_(CA|PURPOSE)$|^PATH_LENGTH_EXCEEDED$|^HOSTNAME_MISMATCH$|^ERR_TLS_|^ERR_SSL_/;

export function isTlsFailure(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' && TLS_FAILURE.test(code);
}

/** How much of a 403 body is read to tell a certificate refusal from anything else. */
const REFUSAL_BODY_BYTES = 4096;

/**
 * The message of a service that did not admit this service's client certificate (a 403 with
 * CLIENT_CERTIFICATE_REFUSED, lib/tls/server.ts); undefined for any other answer. Reads at most
 * a few KiB of a 403's body and nothing of any other.
 */
export async function certificateRefusal(response: Response): Promise<string | undefined> {
  if (response.status !== 403) return undefined;
  try {
    return refusalIn(response.status, JSON.parse(await readAtMost(response, REFUSAL_BODY_BYTES)));
  } catch {
    return undefined;
  }
}

/** The same, for an answer already read: its status and parsed body. */
export function refusalIn(status: number, body: unknown): string | undefined {
  if (status !== 403) return undefined;
  const first = (body as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null)?.errors?.[0];
  return first?.extensions?.code === CLIENT_CERTIFICATE_REFUSED ? oneLine(String(first.message), 200) : undefined;
}

function agentFor(tls: TlsWatch): Agent {
  const { ca, cert, key } = tls.current();
  return new Agent({ connect: { ca, cert, key, minVersion: 'TLSv1.2' } });
}
