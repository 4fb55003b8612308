import { randomBytes } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_LABEL_LIMIT, requestMetricsPlugin } from '../../../lib/metrics/request-metrics.js';
import { labelValues, scrapeThisProcess, valueOf } from '../../helpers/prometheus.js';

// graphql_request_duration_seconds: one observation per request, labelled by service,
// operation and status; and an operation label that a caller cannot blow up.

const COUNT = 'graphql_request_duration_seconds_count';

const typeDefs = `type Query { hello: String, broken: String, secret: String, unauthenticated: String }`;
const resolvers = {
  Query: {
    hello: () => 'hello',
    broken: () => {
      throw new Error('the store is gone');
    },
    secret: () => {
      throw new GraphQLError('Only the owner may see this.', { extensions: { code: 'FORBIDDEN' } });
    },
    unauthenticated: () => {
      throw new GraphQLError('No token.', { extensions: { code: 'UNAUTHENTICATED' } });
    },
  },
};

function serverFor(service: string): ApolloServer {
  return new ApolloServer({ typeDefs, resolvers, plugins: [requestMetricsPlugin(service)] });
}

const servers: ApolloServer[] = [];
async function started(service: string): Promise<ApolloServer> {
  const server = serverFor(service);
  await server.start();
  servers.push(server);
  return server;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

async function count(labels: Record<string, string>): Promise<number> {
  return valueOf(await scrapeThisProcess(), COUNT, labels);
}

describe('graphql_request_duration_seconds', () => {
  let server: ApolloServer;
  beforeAll(async () => {
    server = await started('statuses');
  });

  it('observes a successful request under its operation name with status ok, and its duration', async () => {
    const sumBefore = valueOf(await scrapeThisProcess(), 'graphql_request_duration_seconds_sum', { service: 'statuses' });
    const before = await count({ service: 'statuses', operation: 'Greeting', status: 'ok' });
    await server.executeOperation({ query: 'query Greeting { hello }' });
    expect(await count({ service: 'statuses', operation: 'Greeting', status: 'ok' })).toBe(before + 1);
    const sumAfter = valueOf(await scrapeThisProcess(), 'graphql_request_duration_seconds_sum', { service: 'statuses' });
    expect(sumAfter).toBeGreaterThan(sumBefore);
  });

  it('says error when the answer carries an error', async () => {
    const before = await count({ service: 'statuses', operation: 'Broken', status: 'error' });
    await server.executeOperation({ query: 'query Broken { hello broken }' });
    expect(await count({ service: 'statuses', operation: 'Broken', status: 'error' })).toBe(before + 1);
    expect(await count({ service: 'statuses', operation: 'Broken', status: 'ok' })).toBe(0);
  });

  it('says refused for FORBIDDEN and UNAUTHENTICATED, even next to other errors', async () => {
    await server.executeOperation({ query: 'query Greeting { hello }' });
    const before = await count({ service: 'statuses', operation: 'Greeting', status: 'refused' });
    await server.executeOperation({ query: 'query Greeting { hello secret }' });
    await server.executeOperation({ query: 'query Greeting { broken unauthenticated }' });
    expect(await count({ service: 'statuses', operation: 'Greeting', status: 'refused' })).toBe(before + 2);
  });

  it('labels an operation without a name "anonymous"', async () => {
    const before = await count({ service: 'statuses', operation: 'anonymous', status: 'ok' });
    await server.executeOperation({ query: '{ hello }' });
    expect(await count({ service: 'statuses', operation: 'anonymous', status: 'ok' })).toBe(before + 1);
  });

  it('counts a document that does not parse as an error, without admitting its claimed name', async () => {
    const before = await count({ service: 'statuses', operation: 'other', status: 'error' });
    await server.executeOperation({ query: 'query NeverParsed { hello', operationName: 'NeverParsed' });
    expect(await count({ service: 'statuses', operation: 'other', status: 'error' })).toBe(before + 1);
    expect(labelValues(await scrapeThisProcess(), COUNT, 'operation', { service: 'statuses' })).not.toContain('NeverParsed');
  });
});

describe('the operation label', () => {
  it('keeps 1000 random operation names to at most the limit of label values, and names admitted before the flood', async () => {
    const server = await started('flooded');
    await server.executeOperation({ query: 'query KnownBeforeTheFlood { hello }' });
    const names = Array.from({ length: 1000 }, () => `Op_${randomBytes(8).toString('hex')}`);
    for (const name of names) await server.executeOperation({ query: `query ${name} { hello }` });
    await server.executeOperation({ query: 'query KnownBeforeTheFlood { hello }' });

    const samples = await scrapeThisProcess();
    const values = labelValues(samples, COUNT, 'operation', { service: 'flooded' });
    expect(values.size).toBeLessThanOrEqual(OPERATION_LABEL_LIMIT + 1);
    expect(values).toContain('other');
    expect(valueOf(samples, COUNT, { service: 'flooded' })).toBe(1002);
    expect(valueOf(samples, COUNT, { service: 'flooded', operation: 'other' })).toBe(1000 - (OPERATION_LABEL_LIMIT - 1));
    expect(valueOf(samples, COUNT, { service: 'flooded', operation: 'KnownBeforeTheFlood' })).toBe(2);
  });

  it('lets a refused request claim no slot; the same name is admitted once a request is not refused', async () => {
    const server = await started('refusals');
    await server.executeOperation({ query: 'query Probe { secret }' });
    let values = labelValues(await scrapeThisProcess(), COUNT, 'operation', { service: 'refusals' });
    expect([...values]).toEqual(['other']);
    await server.executeOperation({ query: 'query Probe { hello }' });
    values = labelValues(await scrapeThisProcess(), COUNT, 'operation', { service: 'refusals' });
    expect(values).toContain('Probe');
  });

  it('turns a name too long to be worth a series into "other"', async () => {
    const server = await started('long-names');
    await server.executeOperation({ query: `query ${'A'.repeat(200)} { hello }` });
    expect([...labelValues(await scrapeThisProcess(), COUNT, 'operation', { service: 'long-names' })]).toEqual(['other']);
  });
});
