import type { FastifyRequest } from 'fastify';

// Requests in a shape GraphQL over HTTP does not take get an answer that says how to send
// them right, instead of Apollo's CSRF text about `apollo-require-preflight`.

const HOW =
  'Send GraphQL as POST with "content-type: application/json" and a body {"query": "..."}, ' +
  'or as GET with ?query=... and the header "apollo-require-preflight: true".';

export interface Guidance {
  status: number;
  message: string;
}

/** Why this request cannot be GraphQL, and how to send it; null when it is well formed. */
export function wrongShape(request: FastifyRequest): Guidance | null {
  if (request.method === 'POST') {
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/(graphql-response\+)?json\b/i.test(type)) {
      return { status: 415, message: `This POST has content-type ${JSON.stringify(type || 'none')}. ${HOW}` };
    }
    return null;
  }
  const url = new URL(request.url, 'http://service');
  if (!url.searchParams.has('query')) return { status: 400, message: `This GET carries no query. ${HOW}` };
  // Apollo's CSRF prevention: a GET must prove it is not a simple cross-site request.
  const preflighted = request.headers['apollo-require-preflight'] || request.headers['x-apollo-operation-name'];
  const typed = /^application\/json\b/i.test(request.headers['content-type'] ?? '');
  if (!preflighted && !typed) return { status: 400, message: `This GET lacks the header "apollo-require-preflight: true". ${HOW}` };
  return null;
}
