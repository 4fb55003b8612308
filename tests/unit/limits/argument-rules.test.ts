import fc from 'fast-check';
import { buildASTSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { argumentProblem } from '../../../lib/limits/arguments.js';
import { ARGUMENT_BOUNDS, ARGUMENT_RULES, MAX_PAGE } from '../../../schema/argument-rules.js';
import { readSdl } from '../../../schema/supergraph.js';

// The contract's argument ranges, found wherever the value comes from: a literal, a
// variable, a variable's default, the schema's default, a fragment, an input object.

const schema = buildASTSchema(parse(readSdl('records')), { assumeValidSDL: true });

function problemOf(query: string, variables: Record<string, unknown> = {}): string | undefined {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return argumentProblem(schema, document, operation, variables, ARGUMENT_RULES, ARGUMENT_BOUNDS);
}

describe('argument rules', () => {
  it('name the field, the argument, its range and the value', () => {
    expect(problemOf('{ notices(first: 1000) { id } }')).toBe(
      "notices(first): must be between 0 and 100 (each agency's share of the list); got 1000.",
    );
  });

  it('find values in variables, variable defaults, fragments and inline fragments', () => {
    expect(problemOf('query($n: Int) { cases(first: $n) { id } }', { n: 101 })).toMatch(/^cases\(first\)/);
    expect(problemOf('query($n: Int = -1) { cases(first: $n) { id } }')).toMatch(/^cases\(first\).*got -1\./);
    expect(problemOf('query { ...q } fragment q on Query { subjects(first: 500) { id } }')).toMatch(/^subjects\(first\)/);
    expect(problemOf('query { ... on Query { subjects(first: 500) { id } } }')).toMatch(/^subjects\(first\)/);
  });

  it('read a default whatever its variable is named, never a property of every object', () => {
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
      expect(problemOf(`query($${name}: Int = 500) { cases(first: $${name}) { id } }`)).toMatch(/^cases\(first\).*got 500\./);
    }
    expect(problemOf('query($constructor: Int = 500) { cases(first: $constructor) { id } }', { constructor: 5 })).toBeUndefined();
  });

  it('check fields of input objects and mutations', () => {
    expect(problemOf('{ screen(person: { name: "x" }) { score } }')).toBe('screen(person.name): must be 2 to 200 characters; got 1.');
    expect(problemOf('query($p: PersonQuery!) { screen(person: $p) { score } }', { p: { name: 'A'.repeat(50_000_000 / 1000) } })).toMatch(
      /^screen\(person\.name\): must be 2 to 200 characters; got 50000\./,
    );
    expect(problemOf('{ screen(person: { name: "Ann Lee", nationality: "Thailand" }) { score } }')).toMatch(
      /^screen\(person\.nationality\): must be an ISO 3166-1 alpha-2 code such as AF; got "Thailand"\./,
    );
    expect(problemOf('{ screen(person: { name: "Ann Lee" }, minScore: 2) { score } }')).toMatch(/^screen\(minScore\)/);
    expect(
      problemOf(
        'mutation { requestAccess(recordId: "EUROPOL:N-1", purpose: BORDER_CONTROL, justification: "   ", idempotencyKey: "k") { id } }',
      ),
    ).toMatch(/^requestAccess\(justification\): must be 1 to 2000 characters; got 0\./);
  });

  it('never echo a long value back in full', () => {
    const problem = problemOf('query($p: PersonQuery!) { screen(person: $p) { score } }', {
      p: { name: 'Ann Lee', dateOfBirth: 'x'.repeat(10_000) },
    });
    expect(problem).toMatch(/^screen\(person\.dateOfBirth\)/);
    expect(problem!.length).toBeLessThan(200);
  });

  it('refuse lists of too many or malformed agency codes', () => {
    expect(problemOf('{ notices(agencies: ["interpol"]) { id } }')).toMatch(/^notices\(agencies\): agency codes are .*got "interpol"\./);
    const many = Array.from({ length: 65 }, (_, i) => `A${i}X`);
    expect(problemOf('query($a: [ID!]) { notices(agencies: $a) { id } }', { a: many })).toMatch(/at most 64 agencies; got 65\./);
  });

  it('let every question in range through, and leave wrong types to GraphQL', () => {
    expect(problemOf('{ notices { id } cases(first: 0) { id } subjects(first: 100, agencies: ["INTERPOL"]) { id } }')).toBeUndefined();
    expect(
      problemOf('{ screen(person: { name: "  Ann  ", dateOfBirth: "1961-03", nationality: "th" }, minScore: 0) { score } }'),
    ).toBeUndefined();
    expect(problemOf('query($n: Int) { notices(first: $n) { id } }', { n: 'ten' })).toBeUndefined();
    expect(problemOf('query($n: Int) { notices(first: $n) { id } }', { n: null })).toBeUndefined();
  });

  it('hold for every integer page size: refused exactly outside 0-100', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (first) => {
        const problem = problemOf('query($n: Int) { notices(first: $n) { id } }', { n: first });
        expect(problem === undefined).toBe(first >= 0 && first <= MAX_PAGE);
      }),
    );
  });

  it('bound every other list and string, wherever it is in an argument', () => {
    const colours = Array.from({ length: 40_000 }, () => 'RED');
    expect(problemOf('query($c: [NoticeColour!]) { notices(filter: { colours: $c }) { id } }', { c: colours })).toBe(
      'notices(filter.colours): must list at most 100 values; got 40000.',
    );
    expect(problemOf('query($id: ID!) { notice(id: $id) { id } }', { id: `INTERPOL:${'x'.repeat(1_000_000)}` })).toBe(
      'notice(id): must be at most 2000 characters; got 1000009.',
    );
    expect(problemOf('query($n: String) { subjects(filter: { name: $n }) { id } }', { n: 'a'.repeat(50_000) })).toMatch(
      /^subjects\(filter\.name\): must be 0 to 200 characters; got 50000\./,
    );
    // A list of one given as a single value is checked like the list.
    expect(problemOf('{ notices(agencies: "interpol") { id } }')).toMatch(/^notices\(agencies\): agency codes are/);
  });

  it("leave the gateway's own entity batches to their size", () => {
    const representations = Array.from({ length: 500 }, (_, i) => ({ __typename: 'Subject', id: `INTERPOL:S-${i}` }));
    const federated = buildASTSchema(
      parse(
        `${readSdl('records')}\nscalar _Any\nunion _Entity = Subject\nextend type Query { _entities(representations: [_Any!]!): [_Entity]! }`,
      ),
      { assumeValidSDL: true },
    );
    const document = parse('query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { id } } }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    expect(argumentProblem(federated, document, operation, { r: representations }, ARGUMENT_RULES, ARGUMENT_BOUNDS)).toBeUndefined();
  });
});
