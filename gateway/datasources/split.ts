import { Kind, print, visit, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import type { AgencyRequest } from './agency-client.js';
import type { RoutedField, RoutedOperation } from './routing.js';

// Builds the request one agency node receives: only the root fields it must answer, only
// the fragments and variables those fields use, and its own share of the representations.

export function requestFor(
  agency: string,
  routed: RoutedOperation,
  headers: Record<string, string>,
  only: readonly RoutedField[] = routed.fields,
): AgencyRequest {
  const variables = routed.variables;
  const included: number[] = [];
  const ownVariables: Record<string, unknown> = {};
  for (const routedField of only) {
    const { route } = routedField;
    const asked =
      (route.kind === 'owner' && route.agency === agency) ||
      (route.kind === 'broadcast' && route.agencies.includes(agency)) ||
      (route.kind === 'entities' && route.groups.has(agency));
    if (!asked) continue;
    included.push(routed.fields.indexOf(routedField));
    if (route.kind === 'entities') {
      const all = variables[route.variable] as unknown[];
      ownVariables[route.variable] = route.groups.get(agency)!.map((index) => all[index]);
    }
  }
  const { query, used } = printedShare(routed, included);
  for (const name of used) if (!(name in ownVariables) && name in variables) ownVariables[name] = variables[name];
  return {
    query,
    variables: ownVariables,
    ...(routed.operation.name ? { operationName: routed.operation.name.value } : {}),
    headers: { ...headers },
  };
}

interface PrintedShare {
  query: string;
  /** The variables the share's fields and fragments use. */
  used: readonly string[];
}

/**
 * What a node is sent depends on the operation and on which of its root fields the node
 * answers, not on the values of the request: the planner sends the same few fetches again and
 * again, and printing one was about a twentieth of the gateway's CPU on a one-agency question.
 * Kept per operation (it goes when the operation's document goes), at most SHARES_PER_OPERATION
 * ways of splitting one (an operation of many owner fields can be split many ways by its ids).
 */
const printedShares = new WeakMap<OperationDefinitionNode, Map<string, PrintedShare>>();
const SHARES_PER_OPERATION = 32;

function printedShare(routed: RoutedOperation, included: readonly number[]): PrintedShare {
  const key = included.join(',');
  let shares = printedShares.get(routed.operation);
  const kept = shares?.get(key);
  if (kept) return kept;
  const fields = included.map((index) => {
    const { field, route } = routed.fields[index]!;
    return route.kind === 'broadcast' && route.rankBy ? withRankKey(field, route.rankBy) : field;
  });
  const fragments = reachableFragments(fields, routed.fragments);
  const used = usedVariables([...fields, ...fragments]);
  const operation: OperationDefinitionNode = {
    ...routed.operation,
    variableDefinitions: routed.operation.variableDefinitions?.filter((definition) => used.has(definition.variable.name.value)),
    selectionSet: { kind: Kind.SELECTION_SET, selections: fields },
  };
  const share = { query: print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }), used: [...used] };
  if (!shares) printedShares.set(routed.operation, (shares = new Map()));
  if (shares.size < SHARES_PER_OPERATION) shares.set(key, share);
  return share;
}

/** The alias under which a ranked list's sort key travels, whether or not the caller asked for it. */
export const RANK_ALIAS = 'sovereignRank__';

export function withRankKey(field: FieldNode, rankBy: string): FieldNode {
  const rank: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: RANK_ALIAS }, name: { kind: Kind.NAME, value: rankBy } };
  return { ...field, selectionSet: { kind: Kind.SELECTION_SET, selections: [...(field.selectionSet?.selections ?? []), rank] } };
}

function reachableFragments(fields: readonly FieldNode[], fragments: Map<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const reached = new Map<string, FragmentDefinitionNode>();
  const pending = [...fields] as (FieldNode | FragmentDefinitionNode)[];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (fragment && !reached.has(name)) {
          reached.set(name, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...reached.values()];
}

function usedVariables(nodes: readonly (FieldNode | FragmentDefinitionNode)[]): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) {
    visit(node, {
      Variable(variable) {
        names.add(variable.name.value);
      },
    });
  }
  return names;
}
