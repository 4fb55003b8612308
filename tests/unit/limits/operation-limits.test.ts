import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildASTSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../lib/config/index.js';
import { DEFAULT_LIMITS, operationLimits, type OperationLimits } from '../../../lib/limits/operation-limits.js';
import { readSdl } from '../../../schema/supergraph.js';

// The shape limits as the gateway (fan-out 4) and a node (fan-out 1) apply them: the
// attacks of issue 10 are refused with one line naming the limit, the README's and
// Sandbox's questions pass.

// The contract as graphql-js reads it (federation's directives taken as given).
const schema: GraphQLSchema = buildASTSchema(parse(readSdl('records')), { assumeValidSDL: true });

function errorsOf(query: string, fanOut = 4, limits: OperationLimits = DEFAULT_LIMITS): string[] {
  const { validationRules, parseOptions } = operationLimits(limits, fanOut);
  let document;
  try {
    document = parse(query, parseOptions);
  } catch (error) {
    return [(error as Error).message];
  }
  return validate(schema, document, validationRules).map((error) => error.message);
}

function nested(levels: number, narrowed = true): string {
  let selection = '{ id }';
  for (let i = 0; i < levels; i++) selection = i % 2 === 0 ? `{ id subjects ${selection} }` : `{ id cases ${selection} }`;
  return `{ cases(first: 100${narrowed ? ', agencies: ["LMLECC"]' : ''}) ${selection} }`;
}

describe('operation limits', () => {
  it('refuse the ten-level nested question, naming the limit and the value', () => {
    const errors = errorsOf(nested(10));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join(' ')).toMatch(/limit of \d+ exceeded, found \d+/);
    for (const message of errors) expect(message).not.toMatch(/\n/);
  });

  it('refuse a question whose lists multiply past the cost limit even within the depth limit', () => {
    const errors = errorsOf(nested(5, false));
    expect(errors).toEqual([expect.stringMatching(/^Query cost limit of 1000000 exceeded, found \d+/)]);
    // The same question at one node costs a quarter: the gateway's fan-out is part of the cost,
    // and a question narrowed to one agency costs at the gateway what it costs at that node.
    const found = (messages: string[]) => Number(/found (\d+)/.exec(messages[0] ?? 'found 0')![1]);
    expect(found(errors)).toBe(found(errorsOf(nested(5, false), 1)) * 4);
    expect(found(errorsOf(nested(5)))).toBe(found(errorsOf(nested(5, false), 1)));
  });

  it('refuse ten thousand aliases before they are counted one by one', () => {
    const aliases = Array.from({ length: 10_000 }, (_, i) => `a${i}: id`).join(' ');
    const errors = errorsOf(`{ notices(first: 100) { ${aliases} } }`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/more th\w+ 3000 tokens/);
  });

  it('refuse too many aliases, directives and root fields', () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ');
    expect(errorsOf(`{ notices(first: 1) { ${aliases} } }`)).toEqual([expect.stringMatching(/Aliases limit of 30 exceeded, found 31/)]);
    const directives = Array.from({ length: 21 }, () => '@include(if: true)').join(' ');
    expect(errorsOf(`{ notices(first: 1) { id ${directives} } }`)).toEqual([
      expect.stringMatching(/Directives limit of 20 exceeded, found 21/),
    ]);
    const roots = Array.from({ length: 21 }, (_, i) => `n${i}: notice(id: "INTERPOL:N-${i}") { id }`).join(' ');
    expect(errorsOf(`{ ${roots} }`)).toEqual([expect.stringMatching(/Root field limit of 20 exceeded, found 21/)]);
  });

  it('let every GraphQL question of the README and docs through, at the gateway and at a node', () => {
    const files = [
      'README.md',
      ...['disclosure.md', 'screening.md', 'un-import.md', 'audit.md', 'routing.md', 'records.md'].map((f) => path.join('docs', f)),
    ];
    let checked = 0;
    for (const file of files) {
      const text = readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
      for (const [, block] of text.matchAll(/```graphql\n([\s\S]*?)```/g)) {
        const query = block!.trim();
        if (!query.startsWith('{') && !/^(query|mutation)\b/.test(query)) continue;
        for (const fanOut of [4, 1]) {
          const limitErrors = errorsOf(query, fanOut).filter((m) => /limit of/.test(m));
          expect(limitErrors, `${file}: ${query.slice(0, 60)}`).toEqual([]);
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(2);
  });

  it('let the largest ordinary page through: a hundred cases with their subjects and names from every agency', () => {
    expect(errorsOf('{ cases(first: 100) { id reference title { text } subjects { id names { full script } } } }')).toEqual([]);
    expect(errorsOf('{ notices(first: 100) { id colour subject { id names { full } cases { id reference } } } }')).toEqual([]);
  });
});
