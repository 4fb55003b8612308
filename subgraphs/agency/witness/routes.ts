import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Witness } from './witness.js';

// The witness's two doors, beside GraphQL on the node's own HTTP server (so behind the same
// client-certificate admission): owners offer heads, and ask what this node holds of theirs.
// Neither needs a partner token: every statement carries its own owner's signature.

/** An offer of MAX_HASHES_PER_OFFER hashes is about 70 KB. */
const MAX_OFFER_BYTES = 128 * 1024;

export const OFFER_PATH = '/audit/heads';
export const QUESTION_PATH = '/audit/witnessed';

/** `ready`: false while the node prepares its store (migrations): offers wait for it. */
export function witnessRoutes(witness: Witness, ready: () => boolean): (app: FastifyInstance) => void {
  const notYet = { error: { code: 'NOT_READY', message: 'This node is preparing its store; offer the head again shortly.' } };
  // On the two routes only: nothing is added to any other request.
  const preHandler = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (!ready()) return reply.code(503).send(notYet);
  };
  return (app) => {
    app.post(OFFER_PATH, { bodyLimit: MAX_OFFER_BYTES, preHandler }, async (request, reply) => {
      const answer = await witness.receive(request.body);
      return reply.code(answer.status).send(answer.body);
    });
    app.post(QUESTION_PATH, { bodyLimit: 8 * 1024, preHandler }, async (request, reply) => {
      const answer = await witness.answer(request.body);
      return reply.code(answer.status).send(answer.body);
    });
  };
}
