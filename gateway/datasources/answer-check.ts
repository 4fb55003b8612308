import {
  isListType,
  isNonNullType,
  valueFromASTUntyped,
  type GraphQLFormattedError,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { AgencyFailureError, type NodeResponse } from './agency-client.js';
import { AnswerWalker, INVALID, TooManyValuesError, type DirectoryFacts } from './answer-walker.js';
import type { RoutedField, RoutedOperation } from './routing.js';
import { RANK_ALIAS, withRankKey } from './split.js';
import { MAX_PAGE } from '../../schema/argument-rules.js';

// A node speaks only for its own agency, and only to the question it was asked. Before its
// answer is merged, the gateway checks it against that question and the records contract:
// - only the root fields this node was asked are kept (a node cannot rewrite an earlier
//   answer of the same request);
// - an `_entities` answer must hold one entity per reference sent, each of the kind and id
//   asked for; anything else is the node's failure (wrong_answer), never values shifted onto
//   other records;
// - every record it sends is its own: a record under another agency's id (or an id that is
//   no record id), or credited to another agency, is dropped, and so is another agency
//   carrying content (its holdings); another agency as a key (a diffusion's recipients)
//   passes. The partner gets FOREIGN_RECORD naming the node;
// - every value fits the contract (non-null fields present, enums and scalars of their
//   type); what does not is dropped where it is (MALFORMED_ANSWER), so one bad item never
//   nulls the other agencies' answer;
// - a list holds at most the `first` it was sent, a ranked list only ranks in 0-1;
// - its errors are objects with a message and a path of names and indices, at most 20.

export interface CheckedAnswer {
  response: NodeResponse;
  /** Ids (or codes) of what the node sent under another agency's name, dropped. */
  foreign: string[];
  /** How many values (items, fields, errors) did not fit the contract, dropped. */
  malformed: number;
}

/** Node errors passed on per answer; the rest are summed up in one more. */
const MAX_NODE_ERRORS = 20;

/** `fields`: the routed root fields this node was asked (its share of the fetch); `contract`: the records schema. */
export function checkAnswer(
  agency: string,
  routed: RoutedOperation,
  fields: readonly RoutedField[],
  response: NodeResponse,
  contract?: GraphQLSchema,
  directory?: DirectoryFacts,
): CheckedAnswer {
  try {
    return walkAnswer(agency, routed, fields, response, contract, directory);
  } catch (error) {
    if (error instanceof TooManyValuesError) throw new AgencyFailureError(agency, 'wrong_answer', error.message);
    throw error;
  }
}

function walkAnswer(
  agency: string,
  routed: RoutedOperation,
  fields: readonly RoutedField[],
  response: NodeResponse,
  contract: GraphQLSchema | undefined,
  directory: DirectoryFacts | undefined,
): CheckedAnswer {
  const walker = new AnswerWalker(agency, routed.fragments, contract, directory);
  const asked = new Set(fields.map((field) => field.responseKey));
  const errors = checkErrors(response.errors, walker, asked);
  const data = response.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { response: { data: null, ...(errors ? { errors } : {}) }, foreign: walker.foreign, malformed: walker.malformed };
  }
  const root = routed.operation.operation === 'mutation' ? contract?.getMutationType() : contract?.getQueryType();
  const checked: Record<string, unknown> = {};
  /** Per root list: where each of the node's items is kept (undefined: dropped). */
  const moves = new Map<string, (number | undefined)[]>();
  for (const { responseKey, field, route } of fields) {
    if (!(responseKey in data)) continue;
    const value = data[responseKey];
    if (route.kind === 'entities') {
      const representations = routed.variables[route.variable] as Reference[];
      const sent = (route.groups.get(agency) ?? []).map((index) => representations[index]!);
      checkEntities(agency, sent, value);
      // One entity per reference, each in its place: a dropped one is null, never a shift.
      checked[responseKey] = Array.isArray(value)
        ? value.map((entity, index) => {
            const type = walker.typeNamed(String(sent[index]?.__typename)) as GraphQLOutputType | undefined;
            const walked = walker.walk(entity, selectionsOf(field.selectionSet), type);
            return walked === INVALID ? null : walked;
          })
        : null;
      continue;
    }
    const definition = root?.getFields()[field.name.value];
    const ranked = route.kind === 'broadcast' && route.rankBy ? withRankKey(field, route.rankBy) : field;
    const sets = selectionsOf(ranked.selectionSet);
    if (route.kind === 'broadcast' && route.list && Array.isArray(value)) {
      // Item by item, so that this node's error paths can follow its items to where they are kept.
      const itemType = definition ? listItemType(definition.type) : undefined;
      const first = pageSizeOf(ranked, definition?.args, routed.variables);
      const scoreKeys = route.rankBy ? keysNamed(walker, sets, route.rankBy) : [];
      const kept: unknown[] = [];
      const moved: (number | undefined)[] = [];
      for (const [index, item] of value.entries()) {
        // Past its page the rest is not even looked at: a node cannot make the gateway walk a million items.
        if (kept.length >= first) {
          walker.malformed += value.length - index;
          break;
        }
        const walked = walker.walk(item, sets, itemType) as Record<string, unknown> | null | typeof INVALID;
        if (walked === INVALID) continue;
        if (route.rankBy) {
          // Ranked by the score the partner sees, in 0-1: a node cannot jump the queue with a rank of its own.
          const rank = walked?.[RANK_ALIAS];
          if (!isRankInRange(rank) || scoreKeys.some((key) => walked?.[key] !== rank)) {
            walker.malformed++;
            continue;
          }
        }
        moved[index] = kept.length;
        kept.push(walked);
      }
      checked[responseKey] = kept;
      moves.set(responseKey, moved);
      continue;
    }
    const walked = walker.walk(value, sets, definition?.type);
    checked[responseKey] = walked === INVALID ? null : walked;
  }
  const followed = errors && followMoves(errors, moves);
  return { response: { data: checked, ...(followed ? { errors: followed } : {}) }, foreign: walker.foreign, malformed: walker.malformed };
}

/** The error the partner sees for records a node sent under another agency's name. */
export function foreignRecordsError(agency: string, dropped: readonly string[]): GraphQLFormattedError {
  const shown = dropped.slice(0, 5).join(', ') + (dropped.length > 5 ? `, and ${dropped.length - 5} more` : '');
  return {
    message: `Agency ${agency}'s node sent ${dropped.length === 1 ? 'a record' : `${dropped.length} records`} under another agency's name (${shown}); left out of this answer.`,
    extensions: { code: 'FOREIGN_RECORD', agency },
  };
}

/** The error the partner sees for values that did not fit the contract. */
export function malformedAnswerError(agency: string, count: number): GraphQLFormattedError {
  return {
    message: `Agency ${agency}'s node sent ${count === 1 ? 'a value' : `${count} values`} that do not fit the records contract; left out of this answer.`,
    extensions: { code: 'MALFORMED_ANSWER', agency },
  };
}

interface Reference {
  __typename?: string;
  id?: unknown;
  code?: unknown;
}

function checkEntities(agency: string, sent: readonly Reference[], answer: unknown): void {
  if (answer === null || answer === undefined) return;
  const wrong = (detail: string) => new AgencyFailureError(agency, 'wrong_answer', detail);
  if (!Array.isArray(answer)) throw wrong('_entities is not a list');
  if (answer.length !== sent.length) throw wrong(`${answer.length} entities for ${sent.length} references`);
  answer.forEach((entity: unknown, index) => {
    if (entity === null) return;
    if (typeof entity !== 'object' || Array.isArray(entity)) throw wrong(`entity ${index} is not an object`);
    const { __typename, id, code } = entity as Reference;
    const asked = sent[index]!;
    if (__typename !== undefined && __typename !== asked.__typename) throw wrong(`entity ${index} is of another type`);
    if (id !== undefined && asked.id !== undefined && id !== asked.id) throw wrong(`entity ${index} is not the record asked for`);
    if (code !== undefined && asked.code !== undefined && code !== asked.code) throw wrong(`entity ${index} is not the agency asked for`);
  });
}

/** A node's errors as the merge can trust them: objects with a message, a path of names and indices; at most MAX_NODE_ERRORS. */
function checkErrors(errors: unknown, walker: AnswerWalker, asked: ReadonlySet<string>): GraphQLFormattedError[] | undefined {
  if (errors === undefined || errors === null) return undefined;
  const list = Array.isArray(errors) ? errors : [errors];
  const wellFormed = list.filter((error): error is GraphQLFormattedError => {
    if (!error || typeof error !== 'object' || typeof (error as { message?: unknown }).message !== 'string') return false;
    const { path, extensions } = error as { path?: unknown; extensions?: unknown };
    const pathFits =
      path === undefined ||
      (Array.isArray(path) &&
        path.length <= 64 &&
        path.every((step) => typeof step === 'string' || (typeof step === 'number' && Number.isInteger(step) && step >= 0)));
    // An error about a field this node was not asked would be about another agency's answer.
    const ownField = !Array.isArray(path) || path.length === 0 || asked.has(String(path[0]));
    return (
      pathFits &&
      ownField &&
      (extensions === undefined || (typeof extensions === 'object' && extensions !== null && !Array.isArray(extensions)))
    );
  });
  walker.malformed += list.length - wellFormed.length;
  if (wellFormed.length <= MAX_NODE_ERRORS) return wellFormed;
  const more = wellFormed.length - MAX_NODE_ERRORS;
  return [
    ...wellFormed.slice(0, MAX_NODE_ERRORS),
    {
      message: `${more} more errors; the first ${MAX_NODE_ERRORS} are shown.`,
      extensions: { code: 'NODE_ERRORS_OMITTED' },
    },
  ];
}

/** Error paths into a root list follow its items; an error about a dropped item goes with it. */
function followMoves(errors: GraphQLFormattedError[], moves: Map<string, (number | undefined)[]>): GraphQLFormattedError[] {
  return errors.flatMap((error) => {
    const [key, index, ...rest] = error.path ?? [];
    const moved = typeof key === 'string' ? moves.get(key) : undefined;
    if (!moved || typeof index !== 'number') return [error];
    const to = moved[index];
    return to === undefined ? [] : [{ ...error, path: [key as string, to, ...rest] }];
  });
}

function listItemType(type: GraphQLOutputType): GraphQLOutputType | undefined {
  const list = isNonNullType(type) ? type.ofType : type;
  return isListType(list) ? list.ofType : undefined;
}

function selectionsOf(set: SelectionSetNode | undefined): SelectionSetNode[] {
  return set ? [set] : [];
}

function isRankInRange(rank: unknown): boolean {
  return typeof rank === 'number' && rank >= 0 && rank <= 1;
}

/** A root list without a page size of its own (access requests): at most this many items from one node. */
const UNPAGED_LIST = 1000;

/**
 * How many items a node may send for a root list: the `first` it was sent (a literal, a
 * variable, or the contract's default when left out or null, as the node reads it), never
 * more than MAX_PAGE; UNPAGED_LIST for a list without `first`.
 */
function pageSizeOf(
  field: RoutedField['field'],
  args: readonly { name: string; defaultValue?: unknown }[] | undefined,
  variables: Record<string, unknown>,
): number {
  const declared = args?.find((argument) => argument.name === 'first');
  const given = field.arguments?.find((argument) => argument.name.value === 'first');
  if (!declared && !given) return args ? UNPAGED_LIST : MAX_PAGE;
  const value = given ? valueFromASTUntyped(given.value, variables) : undefined;
  const page = value ?? declared?.defaultValue;
  return typeof page === 'number' && Number.isInteger(page) && page >= 0 ? Math.min(page, MAX_PAGE) : MAX_PAGE;
}

/** The response keys under which a field of the given name was selected (the score of a hit, however aliased). */
function keysNamed(walker: AnswerWalker, sets: readonly SelectionSetNode[], name: string): string[] {
  return [...walker.keysOf(sets)].filter(([key, selected]) => selected.name === name && key !== RANK_ALIAS).map(([key]) => key);
}
