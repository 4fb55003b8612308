import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';

// Apollo Server runs every plugin's didResolveOperation at once (Promise.all), so which
// refusal a caller sees would depend on timing. Admission checks have an order: who you
// are (401), then how much you may ask (429), then whether the question is in range (400).
// This runs the didResolveOperation hooks of `plugins` one after the other, in the order
// given, and stops at the first refusal. Only that hook is forwarded: admission plugins
// have no other.

export function inOrder<Context extends object>(...plugins: ApolloServerPlugin<Context>[]): ApolloServerPlugin<Context> {
  return {
    async requestDidStart(requestContext) {
      const listeners = (await Promise.all(plugins.map((plugin) => plugin.requestDidStart?.(requestContext)))).filter(
        (listener): listener is GraphQLRequestListener<Context> => listener !== undefined && listener !== null,
      );
      return {
        async didResolveOperation(context) {
          for (const listener of listeners) await listener.didResolveOperation?.(context);
        },
      };
    },
  };
}
