import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { listRootFields } from '../../../gateway/datasources/list-fields.js';
import { routeOperation, type RoutingTable } from '../../../gateway/datasources/routing.js';
import { requestFor, ShareTexts } from '../../../gateway/datasources/split.js';
import { readSdl } from '../../../schema/supergraph.js';

// What a node is sent is printed once per way of splitting an operation and kept within a
// budget of characters: partners' documents cannot make the gateway hold more.

const TABLE: RoutingTable = {
  agencies: ['INTERPOL', 'EUROPOL', 'ASEANAPOL', 'LMLECC'],
  listFields: listRootFields(readSdl('records')),
  rankedFields: new Map([['screen', 'score']]),
};

function routed(source: string, variables: Record<string, unknown> = {}) {
  return { ...routeOperation(parse(source, { noLocation: true }), undefined, variables, TABLE), source };
}

describe('the texts a gateway keeps of what nodes are sent', () => {
  it('stay within their budget of characters, however many large documents partners send', () => {
    const budget = 64_000;
    const texts = new ShareTexts(budget);
    for (let i = 0; i < 200; i++) {
      // Each a different document of about 240 characters (its share kept as about 550): distinct aliases, as a partner may vary them.
      const fields = Array.from({ length: 20 }, (_, j) => `f${i}_${j}: id`).join(' ');
      const request = requestFor('EUROPOL', routed(`{ notices(first: 1) { ${fields} } }`), {}, undefined, texts);
      expect(request.query).toContain(`f${i}_19: id`);
      expect(texts.characters).toBeLessThanOrEqual(budget);
    }
    expect(texts.characters).toBeGreaterThan(budget / 2);
  });

  it('keep no share larger than a sixty-fourth of the budget, and still send it right', () => {
    const texts = new ShareTexts(6_400);
    const fields = Array.from({ length: 40 }, (_, j) => `a${j}: id`).join(' ');
    const request = requestFor('INTERPOL', routed(`{ notices(first: 2) { ${fields} } }`), {}, undefined, texts);
    expect(request.query).toContain('a39: id');
    expect(texts.characters).toBe(0);
  });

  it('send the same text for the same split, and only the variables of the request', () => {
    const texts = new ShareTexts();
    const source = 'query Q($n: Int, $id: ID!) { notices(first: $n) { id } notice(id: $id) { id } }';
    const first = requestFor('EUROPOL', routed(source, { n: 1, id: 'EUROPOL:N-1' }), {}, undefined, texts);
    const kept = texts.characters;
    const second = requestFor('EUROPOL', routed(source, { n: 2, id: 'INTERPOL:N-2' }), {}, undefined, texts);
    expect(first.query).toMatch(/notice\(id: \$id\)/);
    expect(first.variables).toEqual({ n: 1, id: 'EUROPOL:N-1' });
    expect(second.query).not.toMatch(/notice\(/);
    expect(second.variables).toEqual({ n: 2 });
    const third = requestFor('EUROPOL', routed(source, { n: 3, id: 'EUROPOL:N-3' }), {}, undefined, texts);
    expect(third.query).toBe(first.query);
    expect(third.variables).toEqual({ n: 3, id: 'EUROPOL:N-3' });
    expect(texts.characters).toBeGreaterThan(kept);
    const afterTwo = texts.characters;
    requestFor('EUROPOL', routed(source, { n: 4, id: 'EUROPOL:N-4' }), {}, undefined, texts);
    expect(texts.characters).toBe(afterTwo);
  });

  it('keep a variable named __proto__ a variable of its own, and take nothing from Object.prototype', () => {
    const source =
      'query Q($__proto__: Int, $n: Int, $toString: Int) { notices(first: $__proto__) { id } subjects(first: $n) { id } cases(first: $toString) { id } }';
    const variables = JSON.parse('{"__proto__": 3, "n": 4}') as Record<string, unknown>;
    const request = requestFor('EUROPOL', routed(source, variables), {}, undefined, new ShareTexts());
    expect(Object.hasOwn(request.variables, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(request.variables))).toEqual(JSON.parse('{"__proto__": 3, "n": 4}'));
    expect(Object.keys(request.variables).sort()).toEqual(['__proto__', 'n']);
    expect(Object.getPrototypeOf(request.variables)).toBe(Object.prototype);
  });
});
