import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { buildSchema, graphql, type GraphQLObjectType } from 'graphql';
import { Deadline, DEADLINE_HEADER, stopPastDeadline } from '../../../lib/limits/deadline.js';

// The deadline a node gives each request: the caller may shorten the node's budget, never
// lengthen it, and a caller that hangs up ends it at once.

describe('request deadlines', () => {
  it('take the shorter of the caller’s time and the node’s own budget', async () => {
    const asked = Deadline.fromHeaders({ [DEADLINE_HEADER]: '20' }, 10_000);
    expect(asked.passed).toBe(false);
    await sleep(40);
    expect(asked.passed).toBe(true);
    expect(asked.reason).toBe('deadline');

    const greedy = Deadline.fromHeaders({ [DEADLINE_HEADER]: '999999999' }, 30);
    await sleep(60);
    expect(greedy.passed).toBe(true);
  });

  it('ignore a header that is not a positive number of milliseconds', async () => {
    for (const value of ['0', '-5', 'soon', '', 'Infinity']) {
      const deadline = Deadline.fromHeaders({ [DEADLINE_HEADER]: value }, 10_000);
      expect(deadline.passed, value).toBe(false);
    }
  });

  it('end when the caller hangs up', () => {
    const hangUp = new AbortController();
    const deadline = Deadline.fromHeaders({}, 10_000, hangUp.signal);
    expect(deadline.passed).toBe(false);
    hangUp.abort();
    expect(deadline.passed).toBe(true);
    expect(deadline.reason).toBe('abandoned');
  });
});

describe('fields past the deadline', () => {
  const build = (onExceeded: (context: { deadline: Deadline }) => void) => {
    const schema = buildSchema('type Query { items: [Item!]! } type Item { name: String! work: String! }');
    const resolved: string[] = [];
    schema.getQueryType()!.getFields().items!.resolve = () => [{ name: 'a' }, { name: 'b' }];
    (schema.getType('Item') as GraphQLObjectType).getFields().work!.resolve = (item: { name: string }) => {
      resolved.push(item.name);
      return `worked on ${item.name}`;
    };
    return { schema: stopPastDeadline(schema, onExceeded), resolved };
  };

  it('resolve as they would before it', async () => {
    const { schema, resolved } = build(() => expect.fail('not past its deadline'));
    const result = await graphql({ schema, source: '{ items { name work } }', contextValue: { deadline: new Deadline(10_000) } });
    expect(result).toEqual({
      data: {
        items: [
          { name: 'a', work: 'worked on a' },
          { name: 'b', work: 'worked on b' },
        ],
      },
    });
    expect(resolved).toEqual(['a', 'b']);
  });

  it('fail at once past it, without running their resolvers, and are counted once per request', async () => {
    const exceeded: unknown[] = [];
    const { schema, resolved } = build((context) => exceeded.push(context));
    const hangUp = new AbortController();
    const contextValue = { deadline: new Deadline(10_000, hangUp.signal) };
    hangUp.abort();
    const result = await graphql({ schema, source: '{ items { name work } } ', contextValue });
    expect(result.data).toBeNull();
    expect(result.errors?.map((error) => error.extensions.code)).toEqual(['DEADLINE_EXCEEDED']);
    expect(resolved).toEqual([]);
    expect(exceeded).toEqual([contextValue]);
  });

  it('stop a request whose time runs out between fields', async () => {
    const exceeded: unknown[] = [];
    const { schema, resolved } = build((context) => exceeded.push(context));
    const hangUp = new AbortController();
    const contextValue = { deadline: new Deadline(10_000, hangUp.signal) };
    // The list resolves; the caller hangs up before the items' own resolvers run.
    schema.getQueryType()!.getFields().items!.resolve = () => {
      hangUp.abort();
      return [{ name: 'a' }, { name: 'b' }];
    };
    const result = await graphql({ schema, source: '{ items { name work } }', contextValue });
    expect(result.errors?.map((error) => error.extensions.code)).toEqual(['DEADLINE_EXCEEDED']);
    expect(resolved).toEqual([]);
    expect(exceeded).toHaveLength(1);
  });
});
