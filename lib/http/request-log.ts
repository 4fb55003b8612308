import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../auth/caller.js';

// One structured log line per request at every service: the HTTP facts (id, method, path,
// status, duration) and what GraphQL learnt about the request (operation, caller, purpose,
// and at the gateway each agency's timing and outcome). The GraphQL context and the HTTP
// request share one RequestLogFields object, keyed by the raw request.

export interface RequestLogFields {
  operation?: string;
  callerAgency?: string;
  callerSubject?: string;
  purpose?: string;
  /** How many errors the GraphQL answer carried. */
  errors?: number;
  /** At the gateway: each agency node asked, how long it took and how it ended. */
  fetches?: readonly { agency: string; ms: number; outcome: string }[];
  /** Set when work stopped early: past the request's deadline, or because the caller hung up. */
  stopped?: 'deadline' | 'abandoned';
  /** On TLS at nodes and the directory: whose certificate opened the connection (lib/tls/server.ts) and its name. */
  link?: 'federation' | 'partner' | 'anonymous';
  peer?: string;
}

const fieldsOfRequest = new WeakMap<IncomingMessage, RequestLogFields>();

/** The log fields of one HTTP request (made on first use). */
export function logFieldsOf(request: IncomingMessage): RequestLogFields {
  let fields = fieldsOfRequest.get(request);
  if (!fields) {
    fields = {};
    fieldsOfRequest.set(request, fields);
  }
  return fields;
}

export function requestLogLine(request: FastifyRequest, reply: FastifyReply): Record<string, unknown> {
  return {
    reqId: request.id,
    method: request.method,
    // The path only: a GET query string can carry variables, and logs must not hold records.
    path: request.url.split('?')[0],
    status: reply.statusCode,
    ms: Math.round(reply.elapsedTime * 10) / 10,
    ...logFieldsOf(request.raw),
  };
}

/** A context whose request is logged with what GraphQL learnt about it. */
export interface LoggedContext extends BaseContext {
  requestLog: RequestLogFields;
}

/** Fills the request's log fields: operation name, caller and purpose, error count. */
export function requestLogPlugin<TContext extends LoggedContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, operation, contextValue }) {
          contextValue.requestLog.operation = request.operationName ?? operation?.name?.value ?? 'anonymous';
        },
        async willSendResponse({ contextValue, response }) {
          const log = contextValue.requestLog;
          // Set by the authentication plugin, where the service has callers.
          const caller = (contextValue as { caller?: Caller | null }).caller;
          if (caller) {
            log.callerAgency = caller.agency;
            log.callerSubject = caller.sub;
            log.purpose = caller.purpose;
          }
          if (response.body.kind === 'single') log.errors = response.body.singleResult.errors?.length ?? 0;
        },
      };
    },
  };
}
