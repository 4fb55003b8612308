import type { ApolloServerPlugin, BaseContext, HeaderMap } from '@apollo/server';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import type { Caller } from './caller.js';
import { isPurpose, PURPOSES } from './purposes.js';
import { TokenRejectedError, type TokenVerifier } from './verify.js';

// Every request that reaches records carries a verified caller and a purpose; anything else
// is refused before execution: 401 for the token, 400 for the purpose, one line each.

export interface AuthenticatedContext extends BaseContext {
  caller: Caller | null;
}

const PURPOSE_LIST = Object.keys(PURPOSES).join(', ');

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } },
  });
}

export async function authenticate(headers: HeaderMap, verifier: TokenVerifier): Promise<Caller> {
  const authorization = headers.get('authorization');
  if (!authorization) {
    throw unauthenticated(
      'Missing bearer token: send "Authorization: Bearer <JWT>" (for development, `npm run token -- --agency TH-RTP --roles officer` prints one).',
    );
  }
  const match = /^Bearer +([^\s]+)$/i.exec(authorization.trim());
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <JWT>".');
  const token = match[1]!;
  let claims;
  try {
    claims = await verifier.verify(token);
  } catch (error) {
    if (error instanceof TokenRejectedError) throw unauthenticated(error.message);
    throw error;
  }
  const purpose = headers.get('x-purpose')?.trim();
  if (!purpose) {
    throw badRequest(`The X-Purpose header is required; accepted purposes: ${PURPOSE_LIST}.`);
  }
  if (!isPurpose(purpose)) {
    throw badRequest(`Unknown purpose ${JSON.stringify(purpose.slice(0, 64))}; accepted purposes: ${PURPOSE_LIST}.`);
  }
  return { ...claims, purpose, token };
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

/** Introspection alone reaches no record, so Apollo Sandbox can load the schema without a token. */
export function isIntrospectionOnly(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith('__'));
}

export function authenticationPlugin<TContext extends AuthenticatedContext>(verifier: TokenVerifier): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, contextValue, operation }) {
          if (operation && isIntrospectionOnly(operation)) return;
          contextValue.caller = await authenticate(request.http!.headers, verifier);
        },
      };
    },
  };
}
