import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readEnvironment } from '../lib/config/env.js';
import { readSupergraph } from '../schema/supergraph.js';

// The baseline the gateway is measured against on one-agency questions: a stock
// @apollo/gateway (default RemoteGraphQLDataSource, forwarding the partner's token and
// purpose) over the same directory and ONE agency node as its "records" subgraph. Started
// by bench/gateway.ts in its own process, so its CPU is read apart from everything else.

const { directoryUrl, recordsUrl, port } = readEnvironment().bench;
const supergraphSdl = readSupergraph()
  .replace('http://directory.federation.invalid/', directoryUrl!)
  .replace('http://records.federation.invalid/', recordsUrl!);

interface Context {
  headers: Record<string, string | string[] | undefined>;
}

const gateway = new ApolloGateway({
  supergraphSdl,
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource<Context>({
      url,
      willSendRequest({ request, context }) {
        for (const name of ['authorization', 'x-purpose']) {
          const value = context.headers?.[name];
          if (typeof value === 'string') request.http?.headers.set(name, value);
        }
      },
    }),
});
const server = new ApolloServer<Context>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(port), host: '127.0.0.1' },
  context: async ({ req }) => ({ headers: req.headers }),
});
process.send?.({ type: 'ready', url });
