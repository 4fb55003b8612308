import { readAtMost } from '../../../lib/http/read-at-most.js';
import type { LinkFetch } from '../../../lib/tls/links.js';

// How a node reaches the other nodes as witnesses: directly, node to node (on mutual TLS
// when the federation runs on it), never through the gateway. One method per call.

export interface Peer {
  code: string;
  /** The node's base URL (federation.json). */
  url: string;
}

/** What a call to a witness came back with; `status: 0` when it did not answer. */
export interface PeerAnswer {
  status: number;
  body: unknown;
  /** Why it did not answer (a one-line reason for logs). */
  failure?: string;
}

/** A witness's answers are small: a receipt, or an error with the head it holds. */
const MAX_ANSWER_BYTES = 64 * 1024;

export async function callPeer(
  fetchWith: LinkFetch,
  peer: Peer,
  path: string,
  body: unknown,
  timeoutMs: number,
  stop?: AbortSignal,
): Promise<PeerAnswer> {
  try {
    const response = await fetchWith(new URL(path, peer.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: stop ? AbortSignal.any([AbortSignal.timeout(timeoutMs), stop]) : AbortSignal.timeout(timeoutMs),
    });
    const text = await readAtMost(response, MAX_ANSWER_BYTES);
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      return { status: 0, body: null, failure: `answered ${response.status} with a body that is not JSON` };
    }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: 0, body: null, failure: cause ?? (error as Error).name ?? 'unreachable' };
  }
}

export function errorOf(answer: PeerAnswer): { code?: string; message?: string; held?: { sequence?: unknown } } | undefined {
  const body = answer.body !== null && typeof answer.body === 'object' ? (answer.body as { error?: unknown }) : undefined;
  const error = body?.error;
  return error && typeof error === 'object' ? (error as never) : undefined;
}
