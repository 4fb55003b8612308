import { Agent, fetch as undiciFetch, request, type Dispatcher } from 'undici';
import { readAtMost, readStreamAtMost } from '../http/read-at-most.js';
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

/** An answer whose body is read only when asked, and never more than `maxBytes` of it. */
export interface LinkAnswer {
  status: number;
  /** The body as text; AnswerTooLargeError past `maxBytes` (nothing more is downloaded). */
  read(maxBytes: number): Promise<string>;
}

/**
 * The gateway's calls to nodes, on the same links as `fetch` but through undici's request API:
 * no web streams, Request and Response objects per call, a third of fetch's CPU per call on
 * this machine (docs/performance.md). Resolves when the status arrives; redirects are not followed.
 */
export type LinkPost = (url: string, init: { headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<LinkAnswer>;

export interface Links {
  fetch: LinkFetch;
  post: LinkPost;
  /** Closes the connections this service keeps open to the others. */
  close(): Promise<void>;
}

function postWith(dispatcher: () => Dispatcher): LinkPost {
  return async (url, init) => {
    const response = await request(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      signal: init.signal,
      dispatcher: dispatcher(),
    });
    return {
      status: response.statusCode,
      read: (maxBytes) => readStreamAtMost(response.body, Number(response.headers['content-length'] ?? 0), maxBytes),
    };
  };
}

/** Plain links' connections to nodes, kept alive between calls like fetch's. */
let plainAgent: Agent | undefined;

// Redirects are never followed: a node answering 3xx would otherwise send the gateway's
// question (and its client certificate) wherever it likes, plain HTTP included. A 3xx is
// returned as it is, an answer that is not GraphQL.
export const PLAIN_LINKS: Links = {
  fetch: (url, init) => fetch(url, { ...init, redirect: 'manual' }),
  post: postWith(() => (plainAgent ??= new Agent())),
  close: async () => {},
};

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
    post: postWith(() => agent),
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
  // fetch wraps the socket's error (cause); undici's request API throws it as it is.
  const failed = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = failed?.cause?.code ?? failed?.code;
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
