import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { MalformedIdError, parseRecordId } from '../../lib/ids.js';
import { clip } from '../../lib/text.js';
import { variablesWithDefaults } from '../../lib/variables.js';

// Decides, for each root field of a fetch the query planner sends to "records", which
// agency nodes must answer it (docs/routing.md has the table).

export type Route =
  | { kind: 'typename' }
  | { kind: 'owner'; agency: string }
  | { kind: 'broadcast'; agencies: string[]; list: boolean; rankBy?: string }
  | { kind: 'entities'; variable: string; groups: Map<string, number[]>; count: number; unrouted: Map<number, GraphQLError | null> }
  | { kind: 'rejected'; error: GraphQLError };

export interface RoutedField {
  responseKey: string;
  field: FieldNode;
  route: Route;
}

export interface RoutedOperation {
  operation: OperationDefinitionNode;
  fragments: Map<string, FragmentDefinitionNode>;
  fields: RoutedField[];
  /** The request's variables with the operation's defaults filled in. */
  variables: Record<string, unknown>;
  /** The document's text as the planner sent it, when known: what a node is sent is kept by it (split.ts). */
  source?: string;
}

const OWNER_ARGUMENTS = ['id', 'recordId', 'agency'] as const;

export interface RoutingTable {
  /** Agencies with a records node, in federation order. */
  agencies: readonly string[];
  /** Root fields (by name) whose type is a list: their broadcast answers are concatenated. */
  listFields: ReadonlySet<string>;
  /** List fields merged best first by a numeric field of their items (e.g. screen by score). */
  rankedFields?: ReadonlyMap<string, string>;
}

export function routeOperation(
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  table: RoutingTable,
): RoutedOperation {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((op) => op.name?.value === operationName) : operations[0];
  if (!operation || (!operationName && operations.length > 1)) {
    throw new Error(`Cannot pick the operation to route (name: ${operationName ?? 'none'})`);
  }
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  // The planner passes on only the variables the caller sent; defaults must route too.
  const effective = variablesWithDefaults(operation, variables);
  const isMutation = operation.operation === OperationTypeNode.MUTATION;
  const fields = rootFields(operation.selectionSet.selections, fragments).map((field) => {
    let route = routeField(field, effective, table);
    // A mutation changes one owner's store: it is never sent to every node.
    if (isMutation && route.kind === 'broadcast') {
      route = { kind: 'rejected', error: badInput(`${field.name.value} needs an id, recordId or agency argument naming the owner.`) };
    }
    return { responseKey: field.alias?.value ?? field.name.value, field, route };
  });
  return { operation, fragments, fields, variables: effective };
}

/** Root fields, with fragments at the root flattened (their directives move onto the fields). */
function rootFields(selections: readonly SelectionNode[], fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  return selections.flatMap((selection): FieldNode[] => {
    if (selection.kind === Kind.FIELD) return [selection];
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet.selections
        : (fragments.get(selection.name.value)?.selectionSet.selections ?? []);
    return rootFields(inner, fragments).map((field) => ({
      ...field,
      directives: [...(selection.directives ?? []), ...(field.directives ?? [])],
    }));
  });
}

function routeField(field: FieldNode, variables: Record<string, unknown>, table: RoutingTable): Route {
  const { agencies } = table;
  const known = new Set(agencies);
  const name = field.name.value;
  const list = table.listFields.has(name);
  const rankBy = table.rankedFields?.get(name);
  if (name === '__typename') return { kind: 'typename' };
  const args = new Map((field.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value, variables)]));
  if (name === '_entities') return routeEntities(field, args.get('representations'), known);

  for (const argument of OWNER_ARGUMENTS) {
    if (!args.has(argument)) continue;
    const raw = args.get(argument);
    // The planner prints an ID that looks numeric as an Int literal.
    const value = typeof raw === 'number' ? String(raw) : raw;
    if (typeof value !== 'string') {
      return { kind: 'rejected', error: badInput(`${name}: "${argument}" must be given; it names the record's owner.`) };
    }
    try {
      const agency = argument === 'agency' ? value : parseRecordId(value).agency;
      return known.has(agency) ? { kind: 'owner', agency } : { kind: 'rejected', error: unknownAgency(agency, argument, value, agencies) };
    } catch (error) {
      if (error instanceof MalformedIdError) return { kind: 'rejected', error: badInput(`${argument}: ${error.message}`) };
      throw error;
    }
  }
  const given = args.get('agencies');
  // GraphQL reads a single value where a list is expected as a list of one.
  const narrowed = typeof given === 'string' ? [given] : given;
  if (Array.isArray(narrowed)) {
    const unknown = narrowed.filter((code) => !known.has(code as string));
    if (unknown.length > 0) {
      return {
        kind: 'rejected',
        error: badInput(
          `agencies: ${unknown.map((code) => JSON.stringify(code)).join(', ')} ${unknown.length === 1 ? 'runs' : 'run'} no records node. ` +
            `Agencies with records: ${agencies.join(', ')}.`,
        ),
      };
    }
    return { kind: 'broadcast', agencies: agencies.filter((code) => narrowed.includes(code)), list, rankBy };
  }
  return { kind: 'broadcast', agencies: [...agencies], list, rankBy };
}

/** Each representation goes to its owner: the `code` of an Agency, the id prefix of a record. */
function routeEntities(field: FieldNode, representations: unknown, known: Set<string>): Route {
  const argument = field.arguments?.find((arg) => arg.name.value === 'representations');
  if (argument?.value.kind !== Kind.VARIABLE || !Array.isArray(representations)) {
    return { kind: 'rejected', error: new GraphQLError('_entities must take its representations from a variable.') };
  }
  const groups = new Map<string, number[]>();
  const unrouted = new Map<number, GraphQLError | null>();
  representations.forEach((representation: { __typename?: string; code?: unknown; id?: unknown }, index) => {
    let agency: string | undefined;
    if (representation.__typename === 'Agency' && typeof representation.code === 'string') {
      agency = representation.code;
      // A directory agency without a node holds nothing: a plain null, not an error.
      if (!known.has(agency)) return void unrouted.set(index, null);
    } else if (typeof representation.id === 'string') {
      try {
        agency = parseRecordId(representation.id).agency;
      } catch (error) {
        if (error instanceof MalformedIdError) return void unrouted.set(index, badInput(error.message));
        throw error;
      }
      if (!known.has(agency)) return void unrouted.set(index, badInput(`Unknown agency "${agency}" in id ${representation.id}.`));
    } else {
      return void unrouted.set(index, badInput('An entity reference carries neither an agency code nor a record id.'));
    }
    groups.set(agency, [...(groups.get(agency) ?? []), index]);
  });
  return { kind: 'entities', variable: argument.value.name.value, groups, count: representations.length, unrouted };
}

function unknownAgency(agency: string, argument: string, value: string, agencies: readonly string[]): GraphQLError {
  const shown = (text: string) => JSON.stringify(clip(text, 64));
  const where = argument === 'agency' ? `agency ${shown(agency)}` : `agency ${shown(agency)} in ${argument} ${shown(value)}`;
  return badInput(`Unknown ${where}: no records node is registered for it. Agencies with records: ${agencies.join(', ')}.`);
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** The agencies a routed query must call, in federation order. */
export function addressedAgencies(routed: RoutedOperation, agencies: readonly string[]): string[] {
  const wanted = new Set<string>();
  for (const { route } of routed.fields) {
    if (route.kind === 'owner') wanted.add(route.agency);
    if (route.kind === 'broadcast') route.agencies.forEach((agency) => wanted.add(agency));
    if (route.kind === 'entities') route.groups.forEach((_indices, agency) => wanted.add(agency));
  }
  return agencies.filter((agency) => wanted.has(agency));
}
