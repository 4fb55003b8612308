import type { GraphQLFormattedError } from 'graphql';
import type { NodeResponse } from './agency-client.js';
import type { RoutedField, RoutedOperation } from './routing.js';
import { RANK_ALIAS } from './split.js';
import { oneLine } from '../../lib/text.js';

// Puts the nodes' answers back together as if one subgraph had answered: lists
// concatenated in federation order, entities back at their original positions, and every
// node error's path rewritten to the merged positions and tagged with its agency.

/**
 * One node's part: its answer (and the gateway's own notes about it, e.g. records it dropped,
 * which are passed on as they are), or why there is none.
 */
export type Outcome =
  { agency: string; response: NodeResponse; notes?: GraphQLFormattedError[] } | { agency: string; error: GraphQLFormattedError };

export function mergeResponses(routed: RoutedOperation, outcomes: readonly Outcome[], rootTypename: string): NodeResponse {
  const data: Record<string, unknown> = {};
  const errors: GraphQLFormattedError[] = [];
  const answered = new Map<string, Record<string, unknown>>();
  for (const outcome of outcomes) {
    if ('error' in outcome) errors.push(outcome.error);
    // A mutation may call one owner several times (runs of its fields): keep every answer.
    else if (outcome.response.data) answered.set(outcome.agency, { ...answered.get(outcome.agency), ...outcome.response.data });
  }
  // Where each agency's items start in each merged list, and where ranking moved them, for rewriting error paths.
  const offsets = new Map<string, Map<string, number>>();
  const moves = new Map<string, number[]>();

  for (const routedField of routed.fields) {
    const { responseKey: key, route } = routedField;
    switch (route.kind) {
      case 'typename':
        data[key] = rootTypename;
        break;
      case 'rejected':
        data[key] = null;
        errors.push({ ...route.error.toJSON(), path: [key] });
        break;
      case 'owner':
        data[key] = answered.get(route.agency)?.[key] ?? null;
        break;
      case 'broadcast':
        data[key] = mergeBroadcast(key, route.list, route.agencies, answered, offsets);
        if (route.rankBy && Array.isArray(data[key])) data[key] = rank(data[key] as Record<string, unknown>[], key, moves);
        break;
      case 'entities': {
        const entities: unknown[] = new Array(route.count).fill(null);
        for (const [agency, indices] of route.groups) {
          const own = answered.get(agency)?.[key];
          if (Array.isArray(own)) indices.forEach((index, j) => (entities[index] = own[j] ?? null));
        }
        for (const [index, error] of route.unrouted) if (error) errors.push({ ...error.toJSON(), path: [key, index] });
        data[key] = entities;
        break;
      }
    }
  }

  const byKey = new Map(routed.fields.map((field) => [field.responseKey, field]));
  for (const outcome of outcomes) {
    if (!('response' in outcome)) continue;
    for (const error of outcome.response.errors ?? []) {
      errors.push(tagError(error, outcome.agency, byKey, answered, offsets, moves));
    }
    errors.push(...(outcome.notes ?? []));
  }
  return { data, ...(errors.length > 0 ? { errors: dedupe(errors) } : {}) };
}

function mergeBroadcast(
  key: string,
  isList: boolean,
  agencies: readonly string[],
  answered: Map<string, Record<string, unknown>>,
  offsets: Map<string, Map<string, number>>,
): unknown {
  const values = agencies.filter((agency) => answered.get(agency)?.[key] != null);
  if (!isList) return values.length > 0 ? answered.get(values[0]!)![key] : null;
  const merged: unknown[] = [];
  for (const agency of values) {
    const list = answered.get(agency)![key];
    if (!Array.isArray(list)) continue;
    if (!offsets.has(agency)) offsets.set(agency, new Map());
    offsets.get(agency)!.set(key, merged.length);
    for (const item of list) merged.push(item);
  }
  return merged;
}

/** Best first by the rank key (stable, so ties keep federation order); the key is removed again. */
function rank(items: Record<string, unknown>[], key: string, moves: Map<string, number[]>): Record<string, unknown>[] {
  const rankOf = (index: number) => Number((items[index] as Record<string, unknown> | null)?.[RANK_ALIAS] ?? 0);
  const order = items.map((_item, index) => index).sort((a, b) => rankOf(b) - rankOf(a) || a - b);
  const moved: number[] = [];
  order.forEach((from, to) => (moved[from] = to));
  moves.set(key, moved);
  return order.map((index) => {
    const { [RANK_ALIAS]: _rank, ...item } = items[index] ?? {};
    return item;
  });
}

function tagError(
  error: GraphQLFormattedError,
  agency: string,
  byKey: Map<string, RoutedField>,
  answered: Map<string, Record<string, unknown>>,
  offsets: Map<string, Map<string, number>>,
  moves: Map<string, number[]>,
): GraphQLFormattedError {
  const { message, extensions } = fromNode(error);
  // Locations point into the query the node was sent, which the partner never saw: left out.
  const tagged: GraphQLFormattedError = { message, extensions: { ...extensions, agency } };
  let path = error.path ? [...error.path] : undefined;
  if (path && typeof path[0] === 'string' && typeof path[1] === 'number') {
    const key = path[0];
    const index = path[1];
    const rest = path.slice(2);
    const route = byKey.get(key)?.route;
    const own = answered.get(agency)?.[key];
    // An index outside this node's own items would land on another agency's: the error goes without a path.
    if (route?.kind === 'broadcast') {
      const offset = offsets.get(agency)?.get(key);
      if (Array.isArray(own) && index < own.length && offset !== undefined) {
        const merged = index + offset;
        path[1] = moves.get(key)?.[merged] ?? merged;
      } else path = undefined;
    }
    if (route?.kind === 'entities') {
      const position = route.groups.get(agency)?.[index];
      path = position === undefined ? undefined : [key, position, ...rest];
    }
  }
  if (path) Object.assign(tagged, { path });
  return tagged;
}

/** Codes only the gateway gives: a node using one would speak as the gateway. */
const GATEWAY_CODES = new Set(['AGENCY_UNAVAILABLE', 'FOREIGN_RECORD', 'MALFORMED_ANSWER', 'RATE_LIMITED', 'ABANDONED']);

/**
 * What a node's error may tell a partner: a message of one line and a well-formed code (and
 * which limit, for a refusal), nothing else. A node on another stack may send its stack,
 * its database's message or its URLs; an error without a code, or an internal one, is
 * reported without its message (the node's own log has it).
 */
function fromNode(error: GraphQLFormattedError): { message: string; extensions: Record<string, unknown> } {
  const raw = error.extensions?.code;
  const wellFormed = typeof raw === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(raw) && !GATEWAY_CODES.has(raw);
  const code = wellFormed ? raw : 'INTERNAL_SERVER_ERROR';
  const limit = error.extensions?.limit;
  const extensions = { code, ...(typeof limit === 'string' && /^\w{1,32}$/.test(limit) ? { limit } : {}) };
  if (code === 'INTERNAL_SERVER_ERROR') return { message: "Internal error at this agency's node while resolving this field.", extensions };
  return { message: oneLine(String(error.message).trim(), 500), extensions };
}

/** The same complaint from several agencies (e.g. a bad argument on a broadcast) is reported once. */
function dedupe(errors: GraphQLFormattedError[]): GraphQLFormattedError[] {
  const seen = new Map<string, GraphQLFormattedError>();
  for (const error of errors) {
    const { agency, ...rest } = error.extensions ?? {};
    const key = JSON.stringify([error.message, error.path, rest]);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, error);
      continue;
    }
    const { agency: firstAgency, agencies, ...firstRest } = first.extensions ?? {};
    const all = [...new Set([...((agencies as string[] | undefined) ?? [firstAgency]), agency])];
    if (all.length === 1) continue;
    seen.set(key, { ...first, extensions: { ...firstRest, agencies: all } });
  }
  return [...seen.values()];
}
