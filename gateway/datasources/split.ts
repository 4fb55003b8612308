import { Kind, print, visit, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { AgencyRequest } from './agency-client.js';
import type { RoutedField, RoutedOperation } from './routing.js';

// Builds the request one agency node receives: only the root fields it must answer, only
// the fragments and variables those fields use, and its own share of the representations.

export function requestFor(
  agency: string,
  routed: RoutedOperation,
  headers: Record<string, string>,
  only: readonly RoutedField[] = routed.fields,
  texts?: ShareTexts,
): AgencyRequest {
  const variables = routed.variables;
  const included: number[] = [];
  // Entries, not assignments: a variable named __proto__ must stay a variable.
  const ownVariables = new Map<string, unknown>();
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
      ownVariables.set(
        route.variable,
        route.groups.get(agency)!.map((index) => all[index]),
      );
    }
  }
  const { query, used } = texts ? texts.of(routed, included) : printShare(routed, included);
  for (const name of used) if (!ownVariables.has(name) && Object.hasOwn(variables, name)) ownVariables.set(name, variables[name]);
  return {
    query,
    variables: Object.fromEntries(ownVariables),
    ...(routed.operation.name ? { operationName: routed.operation.name.value } : {}),
    headers: { ...headers },
  };
}

interface PrintedShare {
  query: string;
  /** The variables the share's fields and fragments use. */
  used: readonly string[];
}

/** Characters of operation text and printed shares the gateway keeps, bookkeeping counted (4 M: about 10 MB at most). */
const SHARE_TEXT_BUDGET = 4_000_000;
/** What one kept share costs besides its characters (the cache's entry, the share, its list of variables), counted as characters. */
const SHARE_OVERHEAD = 256;

/**
 * What a node is sent depends on the operation and on which of its root fields the node
 * answers, not on the values of the request: the planner sends the same few fetches again and
 * again, and printing one was about a twentieth of the gateway's CPU on a one-agency question.
 * Kept by the operation's text, its name and the fields asked, least recently used first out,
 * within a budget of characters (operation text and printed share): a partner's many large
 * documents, or one document split many ways by its ids, cannot make the gateway hold more; at
 * worst they push out shares that are printed again when next asked.
 */
export class ShareTexts {
  private readonly kept: LRUCache<string, PrintedShare>;
  private readonly largestKept: number;

  constructor(budget = SHARE_TEXT_BUDGET) {
    // One share may take at most a sixty-fourth of the budget; a larger one is printed each time.
    this.largestKept = Math.floor(budget / 64);
    this.kept = new LRUCache({
      maxSize: budget,
      maxEntrySize: this.largestKept,
      sizeCalculation: (share, key) => key.length + share.query.length + SHARE_OVERHEAD,
    });
  }

  of(routed: RoutedOperation, included: readonly number[]): PrintedShare {
    // A document too large to be kept is not copied into a key either.
    if (routed.source === undefined || routed.source.length > this.largestKept) return printShare(routed, included);
    const key = `${included.join(',')}|${routed.operation.name?.value ?? ''}|${routed.source}`;
    let share = this.kept.get(key);
    if (!share) {
      share = printShare(routed, included);
      this.kept.set(key, share);
    }
    return share;
  }

  /** Characters kept, keys included. */
  get characters(): number {
    return this.kept.calculatedSize;
  }
}

function printShare(routed: RoutedOperation, included: readonly number[]): PrintedShare {
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
  return { query: print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }), used: [...used] };
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
