import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { variablesWithDefaults } from '../variables.js';

// Argument values no store would accept (a page of 1000, a name of a megabyte) are refused
// once, where the question arrives, before anything is asked: at the gateway before it fans
// out to every node, and at a node for its direct callers. The rules are data (one table,
// schema/argument-rules.ts); this module only finds each argument's value in an operation,
// literal, variable or default, and asks the rule. Values of the wrong type are left to
// GraphQL's own coercion, which names the expected type.

/** A one-line description of what is wrong with `value` (naming the range), or undefined when it is fine. */
export type ArgumentRule = (value: unknown) => string | undefined;

/** `Type.field` → argument path (`first`, `person.name`) → rule. */
export type ArgumentRules = ReadonlyMap<string, Readonly<Record<string, ArgumentRule>>>;

/**
 * Bounds on every argument value a rule does not cover: no list longer than `maxList`, no
 * string longer than `maxString`, anywhere in an argument (a 40,000-value filter or a
 * megabyte id costs every node before any rule of theirs is asked). Fields in `exempt`
 * (the gateway's own `_entities` batches) are not bounded here.
 */
export interface ArgumentBounds {
  maxList: number;
  maxString: number;
  exempt: ReadonlySet<string>;
}

/** The first argument of `operation` that breaks a rule, as a caller-facing line; undefined when all hold. */
export function argumentProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  rules: ArgumentRules,
  bounds?: ArgumentBounds,
): string | undefined {
  const root =
    operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'query' ? schema.getQueryType() : null;
  if (!root) return undefined;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const effective = variablesWithDefaults(operation, variables);
  return walk(schema, operation.selectionSet, root.name, { fragments, variables: effective, rules, bounds, visited: new Set() });
}

interface Walk {
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  rules: ArgumentRules;
  bounds: ArgumentBounds | undefined;
  /** Fragment spreads already walked under a parent type: a fragment used twice is checked once. */
  visited: Set<string>;
}

// Types are read by shape, not by class: the gateway's schema comes from another copy of
// graphql-js than this module's in some loaders (instanceof would fail across them).
interface FieldShape {
  args: readonly { name: string; defaultValue?: unknown }[];
  type: TypeShape;
}
interface TypeShape {
  name?: string;
  ofType?: TypeShape;
  getFields?: () => Record<string, FieldShape>;
}

function walk(schema: GraphQLSchema, selectionSet: SelectionSetNode, typeName: string, state: Walk): string | undefined {
  const type = schema.getType(typeName) as TypeShape | undefined;
  for (const selection of selectionSet.selections) {
    let problem: string | undefined;
    if (selection.kind === Kind.FIELD) {
      const field = type?.getFields?.()[selection.name.value];
      if (!field) continue;
      const coordinate = `${typeName}.${selection.name.value}`;
      const rules = state.rules.get(coordinate);
      const bounds = state.bounds && !state.bounds.exempt.has(coordinate) ? state.bounds : undefined;
      if (rules || (bounds && selection.arguments?.length)) {
        problem = checkField(coordinate, field, selection.arguments ?? [], rules ?? {}, state.variables, bounds);
      }
      if (!problem && selection.selectionSet) problem = walk(schema, selection.selectionSet, namedType(field.type), state);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      problem = walk(schema, selection.selectionSet, selection.typeCondition?.name.value ?? typeName, state);
    } else {
      const fragment = state.fragments.get(selection.name.value);
      const key = `${selection.name.value}@${typeName}`;
      if (fragment && !state.visited.has(key)) {
        state.visited.add(key);
        problem = walk(schema, fragment.selectionSet, fragment.typeCondition.name.value, state);
      }
    }
    if (problem) return problem;
  }
  return undefined;
}

function checkField(
  coordinate: string,
  field: FieldShape,
  given: readonly { name: { value: string }; value: Parameters<typeof valueFromASTUntyped>[0] }[],
  rules: Readonly<Record<string, ArgumentRule>>,
  variables: Record<string, unknown>,
  bounds: ArgumentBounds | undefined,
): string | undefined {
  const values: Record<string, unknown> = {};
  for (const argument of field.args) {
    const node = given.find((arg) => arg.name.value === argument.name);
    const value = node ? valueFromASTUntyped(node.value, variables) : undefined;
    values[argument.name] = value === undefined ? argument.defaultValue : value;
  }
  for (const [path, rule] of Object.entries(rules)) {
    const value = path
      .split('.')
      .reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), values);
    // Absent and null take the schema's meaning (a default, or "not narrowed"); GraphQL checks required ones.
    if (value === undefined || value === null) continue;
    const problem = rule(value);
    if (problem) return `${coordinate.split('.')[1]}(${path}): ${problem}`;
  }
  for (const [name, value] of Object.entries(values)) {
    const problem = bounds && oversized(value, name, rules, bounds);
    if (problem) return `${coordinate.split('.')[1]}(${problem.path}): ${problem.what}`;
  }
  return undefined;
}

const MAX_NESTING = 16;

/** The first list or string past the bounds, where no rule of its own covers it. */
function oversized(
  value: unknown,
  path: string,
  rules: Readonly<Record<string, ArgumentRule>>,
  bounds: ArgumentBounds,
  depth = 0,
): { path: string; what: string } | undefined {
  if (path in rules) return undefined;
  // No input of the contract nests deeper than a few levels; raw variables could nest thousands.
  if (depth > MAX_NESTING) return { path, what: `nests deeper than ${MAX_NESTING} levels.` };
  if (typeof value === 'string') {
    return value.length > bounds.maxString
      ? { path, what: `must be at most ${bounds.maxString} characters; got ${value.length}.` }
      : undefined;
  }
  if (Array.isArray(value)) {
    if (value.length > bounds.maxList) return { path, what: `must list at most ${bounds.maxList} values; got ${value.length}.` };
    for (const item of value) {
      const problem = oversized(item, path, rules, bounds, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const problem = oversized(inner, `${path}.${key}`, rules, bounds, depth + 1);
      if (problem) return problem;
    }
  }
  return undefined;
}

function namedType(type: TypeShape): string {
  let named = type;
  while (named.ofType) named = named.ofType;
  return named.name ?? '';
}

/**
 * Refuses an operation with an argument out of range: HTTP 400, BAD_USER_INPUT, one line
 * naming the field, the argument and its range, before any resolver (or node) runs.
 */
export function argumentRulesPlugin<Context extends object>(rules: ArgumentRules, bounds?: ArgumentBounds): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const problem = argumentProblem(schema, document, operation, request.variables ?? {}, rules, bounds);
          if (problem) throw new GraphQLError(problem, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
        },
      };
    },
  };
}
