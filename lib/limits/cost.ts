import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type GraphQLField,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

// A cost limit that multiplies by list sizes: every field costs 1 for each time it can be
// resolved, and a list field multiplies what is below it by its `first` (a literal; a
// variable counts as the largest page, 100), or by LIST_ESTIMATE for lists without a page
// size (a subject's cases, a case's subjects). At the gateway the records' root lists are
// also multiplied by the number of agency nodes they fan out to. A ten-level nested
// question thus costs billions and is refused before anything is asked.

/** The largest page a `first` may ask for (lib/ids.ts bounds every list at 100). */
const LARGEST_PAGE = 100;
/** Lists without a page size: a record's links, names, texts. */
export const LIST_ESTIMATE = 10;

export interface CostModel {
  maxCost: number;
  /** How many stores a root list field is asked of (the gateway: the agency nodes; a node: 1). */
  rootFanOut: number;
}

export function costLimitRule(model: CostModel) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const root = operation.operation === 'mutation' ? context.getSchema().getMutationType() : context.getSchema().getQueryType();
      if (!root) return;
      const cost = rootCost(context, operation.selectionSet, root.getFields() as Fields, model.rootFanOut);
      if (cost > model.maxCost) {
        context.reportError(
          new GraphQLError(
            `Query cost limit of ${model.maxCost} exceeded, found ${Math.min(cost, Number.MAX_SAFE_INTEGER)}: ask for smaller pages or fewer nested lists.`,
            {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' },
            },
          ),
        );
      }
    },
  });
}

type Fields = Record<string, GraphQLField<unknown, unknown>>;

/** Each root field is asked of every store, or of those a literal `agencies:` names. */
function rootCost(context: ValidationContext, selectionSet: SelectionSetNode, fields: Fields, fanOut: number): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    const agencies =
      selection.kind === Kind.FIELD ? selection.arguments?.find((argument) => argument.name.value === 'agencies') : undefined;
    const asked = agencies?.value.kind === Kind.LIST ? Math.max(1, Math.min(agencies.value.values.length, fanOut)) : fanOut;
    cost += selectionCost(context, { kind: Kind.SELECTION_SET, selections: [selection] }, fields, asked, new Set(), 0);
  }
  return cost;
}

function selectionCost(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  fields: Fields,
  multiplier: number,
  fragments: Set<string>,
  depth: number,
): number {
  // Past this depth the depth limit refuses the question anyway; stop counting.
  if (depth > 64) return Infinity;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      cost += fieldCost(context, selection, fields, multiplier, fragments, depth);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typed = selection.typeCondition ? context.getSchema().getType(selection.typeCondition.name.value) : undefined;
      cost += selectionCost(context, selection.selectionSet, fieldsOf(typed) ?? fields, multiplier, fragments, depth + 1);
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (!fragment || fragments.has(name)) continue;
      const typed = context.getSchema().getType(fragment.typeCondition.name.value);
      cost += selectionCost(
        context,
        fragment.selectionSet,
        fieldsOf(typed) ?? fields,
        multiplier,
        new Set([...fragments, name]),
        depth + 1,
      );
    }
    if (cost > Number.MAX_SAFE_INTEGER) return Infinity;
  }
  return cost;
}

function fieldCost(
  context: ValidationContext,
  node: FieldNode,
  fields: Fields,
  multiplier: number,
  fragments: Set<string>,
  depth: number,
): number {
  const name = node.name.value;
  if (name.startsWith('__')) return 0; // Introspection reads the schema, not a store.
  const field = fields[name];
  if (!field) return multiplier; // Unknown fields are refused by the standard rules.
  let cost = multiplier;
  if (node.selectionSet) {
    // Types are read from their printed form ("[Case!]!"): the schema may come from another
    // copy of graphql-js than this module's (the subgraph library loads its own), so no instanceof.
    const printed = String(field.type);
    const below = multiplier * (printed.replace(/!$/, '').startsWith('[') ? pageSize(node) : 1);
    const named = context.getSchema().getType(printed.replace(/[[\]!]/g, ''));
    cost += selectionCost(context, node.selectionSet, fieldsOf(named) ?? {}, below, fragments, depth + 1);
  }
  return cost;
}

function pageSize(node: FieldNode): number {
  const first = node.arguments?.find((argument) => argument.name.value === 'first');
  if (!first) return LIST_ESTIMATE;
  if (first.value.kind === Kind.INT) return Math.max(1, Math.min(Number(first.value.value), LARGEST_PAGE));
  return LARGEST_PAGE;
}

/** The fields of an object or interface type; for a union or a scalar, none (a union's fragments name their types). */
function fieldsOf(type: unknown): Fields | undefined {
  if (!type || typeof type !== 'object' || !('getFields' in type) || typeof type.getFields !== 'function') return undefined;
  return type.getFields() as Fields;
}
