import { Agent, request, type Dispatcher } from 'undici';
import { leakIn, textsOf } from './leaks.js';

// How the kit talks to the node under test: one POST per question, everything kept for the
// report (the token shown as whose it is, never as itself).

export interface ShownRequest {
  query: string;
  variables?: Record<string, unknown>;
  headers: Record<string, string>;
}

export interface Exchange {
  request: ShownRequest;
  status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: unknown;
  /** The body as it came, for the hygiene checks. */
  text: string;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message?: string; extensions?: Record<string, unknown>; path?: unknown[] }[];
}

export interface Credentials {
  /** The Authorization header, or none. */
  authorization?: string;
  /** How the report shows it, e.g. "Bearer <TH-RTP officer token>". */
  shownAs?: string;
  /** X-Purpose, or none. */
  purpose?: string;
  /** Accept-Language, or none. */
  acceptLanguage?: string;
}

/** The largest answer the kit reads: the data set's largest answer is about 100 kB; a node sending more is cut off. */
const MAX_BODY = 2 * 1024 * 1024;

/** PEM texts for a node on (mutual) TLS: the CA that signed its certificate, and the kit's client certificate. */
export interface ClientTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/** A leak found in an answer as it arrived (leaks.ts). */
export interface Finding {
  request: ShownRequest;
  status: number;
  leak: string;
  text: string;
}

/** The node's account of its own schema may hold documentation links and words like "select": it answers no question. */
const isSchemaQuestion = (query: string) => query.includes('_service') || query.includes('__schema');

export class NodeClient {
  private readonly dispatcher: Dispatcher | undefined;
  /** How many answers of the run were read for leaks, and what was found: each whole answer is read as it arrives, then let go. */
  scanned = 0;
  readonly leaks: Finding[] = [];

  constructor(
    readonly url: string,
    tls?: ClientTls,
    private readonly timeoutMs = 15_000,
  ) {
    this.dispatcher = tls ? new Agent({ connect: { ...tls } }) : undefined;
  }

  /** One question; `scan: false` for a question that is not part of the run (the reachability probe). */
  async post(query: string, variables: Record<string, unknown> | undefined, credentials: Credentials, scan = true): Promise<Exchange> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (credentials.authorization !== undefined) headers.authorization = credentials.authorization;
    if (credentials.purpose !== undefined) headers['x-purpose'] = credentials.purpose;
    if (credentials.acceptLanguage !== undefined) headers['accept-language'] = credentials.acceptLanguage;
    const shown: ShownRequest = {
      query,
      ...(variables ? { variables } : {}),
      headers: {
        ...headers,
        ...(credentials.authorization !== undefined ? { authorization: credentials.shownAs ?? credentials.authorization } : {}),
      },
    };
    // The whole exchange has a deadline: a node that trickles bytes does not hold the kit.
    const response = await request(this.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(variables ? { query, variables } : { query }),
      ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let cut = false;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) {
        cut = true;
        response.body.destroy();
        break;
      }
      chunks.push(chunk);
    }
    // Decoded once: a character split across chunks stays whole.
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = cut ? `${text.slice(0, 2000)}... (more than ${MAX_BODY} bytes: not read)` : text;
    if (!cut) {
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text: the check reports what came back
      }
    }
    if (scan && !isSchemaQuestion(query)) {
      this.scanned += 1;
      const found = leakIn(textsOf(body, text));
      if (found) this.leaks.push({ request: shown, status: response.statusCode, leak: found.leak, text: found.text.slice(0, 2000) });
    }
    return { request: shown, status: response.statusCode, body, text };
  }
}

export function graphqlBody(exchange: Exchange): GraphQLBody {
  return typeof exchange.body === 'object' && exchange.body !== null ? (exchange.body as GraphQLBody) : {};
}
