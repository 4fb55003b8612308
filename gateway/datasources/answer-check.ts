import { Kind, type FragmentDefinitionNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import { MalformedIdError, parseRecordId } from '../../lib/ids.js';
import { AgencyFailureError, type NodeResponse } from './agency-client.js';
import type { RoutedField, RoutedOperation } from './routing.js';

// A node speaks only for its own agency. Before its answer is merged, the gateway checks it
// against the question it was sent:
// - an `_entities` answer must hold one entity per reference sent, each of the kind and id
//   asked for; anything else is the node's failure (wrong_answer), never values shifted onto
//   other records;
// - a record or agency under another agency's id or code that carries content (any field
//   beyond its key with a value) is dropped, with an error naming the node that sent it.
//   References to other agencies' records travel as keys only and are resolved at their
//   owners; such keys pass.

export interface CheckedAnswer {
  response: NodeResponse;
  /** Ids (or codes) of the records the node sent as another agency's, dropped from the answer. */
  dropped: string[];
}

/** Fields that identify an object rather than say something about it. */
const KEY_FIELDS = new Set(['__typename', 'id', 'code']);

const DROP = Symbol('drop');

/** `fields`: the routed root fields this node was asked (its share of the fetch). */
export function checkAnswer(
  agency: string,
  routed: RoutedOperation,
  fields: readonly RoutedField[],
  response: NodeResponse,
): CheckedAnswer {
  const data = response.data;
  if (!data) return { response, dropped: [] };
  const walker = new Walker(agency, routed.fragments);
  const checked: Record<string, unknown> = { ...data };
  for (const { responseKey, field, route } of fields) {
    if (!(responseKey in data)) continue;
    if (route.kind === 'entities') {
      const sent = route.groups.get(agency)?.map((index) => (routed.variables[route.variable] as unknown[])[index]) ?? [];
      checkEntities(agency, sent as Reference[], data[responseKey]);
    }
    const value = walker.clean(data[responseKey], field.selectionSet);
    checked[responseKey] = value === DROP ? null : value;
  }
  return { response: { ...response, data: checked }, dropped: walker.dropped };
}

/** The error the partner sees for records a node sent under another agency's name. */
export function foreignRecordsError(agency: string, dropped: readonly string[]): GraphQLFormattedError {
  const shown = dropped.slice(0, 5).join(', ') + (dropped.length > 5 ? `, and ${dropped.length - 5} more` : '');
  return {
    message: `Agency ${agency}'s node sent ${dropped.length === 1 ? 'a record' : `${dropped.length} records`} under another agency's name (${shown}); left out of this answer.`,
    extensions: { code: 'FOREIGN_RECORD', agency },
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
    if (typeof entity !== 'object') throw wrong(`entity ${index} is not an object`);
    const { __typename, id, code } = entity as Reference;
    const asked = sent[index]!;
    if (__typename !== undefined && __typename !== asked.__typename)
      throw wrong(`entity ${index} is a ${String(__typename)}, not a ${asked.__typename}`);
    if (id !== undefined && asked.id !== undefined && id !== asked.id) throw wrong(`entity ${index} is not the record asked for`);
    if (code !== undefined && asked.code !== undefined && code !== asked.code) throw wrong(`entity ${index} is not the agency asked for`);
  });
}

/** What one response key of an object stands for: the field's name and what was selected below it. */
interface Selected {
  name: string;
  selections: SelectionSetNode[];
}

class Walker {
  readonly dropped: string[] = [];
  private readonly shapes = new WeakMap<SelectionSetNode, Map<string, Selected>>();

  constructor(
    private readonly agency: string,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
  ) {}

  clean(value: unknown, selectionSet: SelectionSetNode | undefined, more: readonly SelectionSetNode[] = []): unknown {
    if (value === null || typeof value !== 'object' || !selectionSet) return value;
    const sets = [selectionSet, ...more];
    if (Array.isArray(value)) {
      const items = value.map((item) => this.clean(item, selectionSet, more));
      return items.filter((item) => item !== DROP);
    }
    const object = value as Record<string, unknown>;
    const keys = this.keysOf(sets);
    const foreign = this.foreignOwnerOf(object, keys);
    if (foreign && (foreign.conflicting || hasContent(object, keys))) {
      this.dropped.push(foreign.label);
      return DROP;
    }
    const cleaned: Record<string, unknown> = { ...object };
    for (const [key, selected] of keys) {
      if (!(key in object) || selected.selections.length === 0) continue;
      const [first, ...rest] = selected.selections;
      const inner = this.clean(object[key], first, rest);
      cleaned[key] = inner === DROP ? null : inner;
    }
    return cleaned;
  }

  /** Another agency named by the object's id, code or `agency { code }`, if any. */
  private foreignOwnerOf(
    object: Record<string, unknown>,
    keys: Map<string, Selected>,
  ): { label: string; conflicting: boolean } | undefined {
    let idOwner: string | undefined;
    let label: string | undefined;
    const owners = new Set<string>();
    for (const [key, { name, selections }] of keys) {
      const value = object[key];
      if (name === 'id' && typeof value === 'string') {
        idOwner = ownerOfId(value);
        if (idOwner) owners.add(idOwner);
        label ??= value;
      } else if (name === 'code' && typeof value === 'string') {
        owners.add(value);
        label ??= value;
      } else if (name === 'agency' && value && typeof value === 'object') {
        const code = this.codeOf(value as Record<string, unknown>, selections);
        if (code) owners.add(code);
      }
    }
    const others = [...owners].filter((owner) => owner !== this.agency);
    if (others.length === 0) return undefined;
    // A record of this node's own id that says another agency owns it is a forged claim, content or not.
    const conflicting = idOwner === this.agency;
    return { label: label ?? `a ${others[0]} record`, conflicting };
  }

  private codeOf(agency: Record<string, unknown>, selections: readonly SelectionSetNode[]): string | undefined {
    for (const [key, { name }] of this.keysOf(selections))
      if (name === 'code' && typeof agency[key] === 'string') return agency[key] as string;
    return undefined;
  }

  /** Response keys of a selection, fragments flattened (every type condition: a key is there or not). */
  private keysOf(sets: readonly SelectionSetNode[]): Map<string, Selected> {
    if (sets.length === 1 && this.shapes.has(sets[0]!)) return this.shapes.get(sets[0]!)!;
    const keys = new Map<string, Selected>();
    const seen = new Set<string>();
    const add = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const entry = keys.get(key) ?? { name: selection.name.value, selections: [] };
          if (selection.selectionSet) entry.selections.push(selection.selectionSet);
          keys.set(key, entry);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          add(selection.selectionSet);
        } else if (!seen.has(selection.name.value)) {
          seen.add(selection.name.value);
          const fragment = this.fragments.get(selection.name.value);
          if (fragment) add(fragment.selectionSet);
        }
      }
    };
    sets.forEach(add);
    if (sets.length === 1) this.shapes.set(sets[0]!, keys);
    return keys;
  }
}

function ownerOfId(id: string): string | undefined {
  try {
    return parseRecordId(id).agency;
  } catch (error) {
    if (error instanceof MalformedIdError) return undefined;
    throw error;
  }
}

/** Whether an object says anything beyond who it is: a field other than its key, with a value. */
function hasContent(object: Record<string, unknown>, keys: Map<string, Selected>): boolean {
  for (const [key, { name }] of keys) {
    if (KEY_FIELDS.has(name)) continue;
    const value = object[key];
    if (value === null || value === undefined) continue;
    if (name === 'agency') continue; // the owner claim itself, judged by foreignOwnerOf
    if (Array.isArray(value) && value.length === 0) continue;
    return true;
  }
  return false;
}
