import { Kind, print, visit, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
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
  const fields: FieldNode[] = [];
  const ownVariables: Record<string, unknown> = {};
  for (const { field, route } of only) {
    if (route.kind === 'owner' && route.agency === agency) fields.push(field);
    if (route.kind === 'broadcast' && route.agencies.includes(agency)) fields.push(route.rankBy ? withRankKey(field, route.rankBy) : field);
    if (route.kind === 'entities' && route.groups.has(agency)) {
      fields.push(field);
      const all = variables[route.variable] as unknown[];
      ownVariables[route.variable] = route.groups.get(agency)!.map((index) => all[index]);
    }
  }
  const fragments = reachableFragments(fields, routed.fragments);
  const used = usedVariables([...fields, ...fragments]);
  for (const name of used) if (!(name in ownVariables) && name in variables) ownVariables[name] = variables[name];
  const operation: OperationDefinitionNode = {
    ...routed.operation,
    variableDefinitions: routed.operation.variableDefinitions?.filter((definition) => used.has(definition.variable.name.value)),
    selectionSet: { kind: Kind.SELECTION_SET, selections: fields },
  };
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
  return {
    query: print(document),
    variables: ownVariables,
    ...(routed.operation.name ? { operationName: routed.operation.name.value } : {}),
    headers: { ...headers },
  };
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
