import { Agent, fetch as undiciFetch } from 'undici';
import type { TlsWatch } from './material.js';

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

export const PLAIN_LINKS: Links = { fetch: (url, init) => fetch(url, init), close: async () => {} };

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
    fetch: (url, init) => undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>,
    close: () => agent.close(),
  };
}

function agentFor(tls: TlsWatch): Agent {
  const { ca, cert, key } = tls.current();
  return new Agent({ connect: { ca, cert, key, minVersion: 'TLSv1.2' } });
}
