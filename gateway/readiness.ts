import type { FederationConfig } from '../lib/config/index.js';
import type { Readiness } from '../lib/http/serve.js';
import { certificateRefusal, isTlsFailure, type LinkFetch } from '../lib/tls/links.js';

// The gateway is ready when it can answer: the directory answers and at least one agency
// node is ready (partial availability is normal: a missing agency is named in each
// answer). The body says which nodes answer, for an operator.

const PROBE_TIMEOUT_MS = 1000;
/** /ready is open to anyone: one answer serves every probe for this long, so probes do not fan out. */
const REUSE_MS = 1000;

/** The gateway's readiness check, asking the nodes at most once a second however often it is probed. */
export function federationReadinessCheck(federation: FederationConfig, fetch: LinkFetch): () => Promise<Readiness> {
  let last: { at: number; answer: Promise<Readiness> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > REUSE_MS) last = { at: Date.now(), answer: federationReadiness(federation, fetch) };
    return last.answer;
  };
}

async function federationReadiness(federation: FederationConfig, fetch: LinkFetch): Promise<Readiness> {
  const targets = [
    { name: 'directory', url: federation.directory.url },
    ...federation.agencies.map((node) => ({ name: node.code, url: node.url })),
  ];
  const outcomes = await Promise.all(targets.map(async ({ name, url }) => [name, await probe(url, fetch)] as const));
  const checks = Object.fromEntries(outcomes);
  const nodesReady = federation.agencies.some((node) => checks[node.code] === 'ready');
  return { ready: checks.directory === 'ready' && nodesReady, checks };
}

async function probe(serviceUrl: string, fetch: LinkFetch): Promise<string> {
  try {
    const response = await fetch(new URL('/ready', serviceUrl), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    // The node did not admit the gateway's certificate (lib/tls/server.ts).
    if (await certificateRefusal(response)) return 'certificate_refused';
    await response.body?.cancel();
    return response.ok ? 'ready' : 'unready';
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return 'timeout';
    return isTlsFailure(error) ? 'certificate_refused' : 'unreachable';
  }
}
