import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

// A request whose operationName names no operation of its document (or that leaves the
// choice open among several) is the caller's mistake: HTTP 400, OPERATION_RESOLUTION_FAILURE,
// as Apollo Server answers it for a subgraph. Without this the gateway's executor throws
// on it first and Apollo Server answers HTTP 500, as if the gateway had failed.

export function knownOperationPlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const name = request.operationName;
          const message = name
            ? `Unknown operation named ${JSON.stringify(name.slice(0, 64))}.`
            : 'Must provide operation name if query contains multiple operations.';
          throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
        },
      };
    },
  };
}
