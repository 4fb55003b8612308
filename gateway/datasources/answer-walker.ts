import {
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  isInterfaceType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { MalformedIdError, parseRecordId } from '../../lib/ids.js';
import { oneLine } from '../../lib/text.js';

// Walks one node's answer along the question it was sent and the records contract, and
// keeps only what the node may say (answer-check.ts has the rules). A value that breaks the
// contract where the contract allows null becomes null; where it does not, the enclosing
// object goes too, up to the nearest list (the item leaves the list) or nullable field:
// never one item's fault nulling every agency's answer.

/** What the walk hands back for a value that may not stay. */
export const INVALID = Symbol('invalid');

/**
 * Values one answer may hold: an honest 4 MiB answer holds far fewer than this; an answer of
 * millions of empty objects would cost the gateway a second of CPU to walk.
 */
const MAX_VALUES = 300_000;

/** An answer with more values than the gateway checks: refused whole, that node's failure. */
export class TooManyValuesError extends Error {
  constructor() {
    super(`more than ${MAX_VALUES} values`);
  }
}

/** Fields that identify an object rather than say something about it. */
const KEY_FIELDS = new Set(['__typename', 'id', 'code']);

/**
 * The gateway's own copy of the directory: nodes name agencies from theirs (an agency's name
 * is served without asking the directory), and the gateway holds them to it.
 */
export interface DirectoryFacts {
  /** The directory's name of an agency; undefined for a code it does not list. */
  nameOf(code: string): string | undefined;
  /** Whether some agency of the directory has this name. */
  isName(name: string): boolean;
}

/** What one response key of an object stands for: the field's name and what was selected below it. */
interface Selected {
  name: string;
  selections: SelectionSetNode[];
}

export class AnswerWalker {
  /** Ids (or codes) of what the node sent under another agency's name, dropped. */
  readonly foreign: string[] = [];
  /** Values that did not fit the contract, dropped. */
  malformed = 0;
  private readonly shapes = new WeakMap<SelectionSetNode, Map<string, Selected>>();

  /** Values walked so far: past MAX_VALUES the answer is refused whole (TooManyValuesError). */
  private visits = 0;

  constructor(
    private readonly agency: string,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly schema: GraphQLSchema | undefined,
    /**
     * Without it, agencies are not checked against the directory. With it, an Agency a node
     * sends must be the directory's (one the gateway cannot resolve would null the whole
     * answer) and carry the directory's name.
     */
    private readonly directory?: DirectoryFacts,
  ) {}

  /** A value of `type` (unknown without a contract); INVALID when it may not stay where it is. */
  walk(value: unknown, sets: readonly SelectionSetNode[], type: GraphQLOutputType | undefined): unknown {
    if (++this.visits > MAX_VALUES) throw new TooManyValuesError();
    if (type && isNonNullType(type)) {
      const inner = this.walkNullable(value, sets, type.ofType);
      // Null where the contract promises a value: the enclosing object cannot stay either.
      return inner === null ? this.bad() : inner;
    }
    const inner = this.walkNullable(value, sets, type);
    return inner === INVALID ? null : inner;
  }

  private walkNullable(value: unknown, sets: readonly SelectionSetNode[], type: GraphQLOutputType | undefined): unknown {
    if (value === null || value === undefined) return null;
    if (type && isListType(type)) {
      if (!Array.isArray(value)) return this.bad();
      return value.map((item) => this.walk(item, sets, type.ofType)).filter((item) => item !== INVALID);
    }
    if (Array.isArray(value)) {
      // Without a contract a list is walked item by item; with one, a list where none belongs is wrong.
      if (type) return this.bad();
      return value.map((item) => this.walk(item, sets, undefined)).filter((item) => item !== INVALID);
    }
    if (type && isLeafType(type)) return leafFits(type, value) ? value : this.bad();
    if (typeof value !== 'object') return type ? this.bad() : value;
    return this.walkObject(
      value as Record<string, unknown>,
      sets,
      type ? this.concrete(type, value as Record<string, unknown>) : undefined,
    );
  }

  private walkObject(object: Record<string, unknown>, sets: readonly SelectionSetNode[], type: GraphQLObjectType | undefined): unknown {
    if (sets.length === 0) return object;
    const keys = this.keysOf(sets);
    if (type?.name === 'Agency' && !this.isDirectoryAgency(object, keys)) return this.bad();
    const foreign = this.foreignOwnerOf(object, keys, type?.name === 'Agency');
    if (foreign) {
      this.foreign.push(foreign);
      return INVALID;
    }
    const fields = type?.getFields();
    const kept: Record<string, unknown> = {};
    for (const [key, selected] of keys) {
      if (selected.name === '__typename') {
        // The gateway shapes the answer by it: only the type the value is.
        const typename = object[key];
        if (typename === undefined) continue;
        if (type ? typename !== type.name : typeof typename !== 'string' || (this.schema !== undefined && !this.schema.getType(typename))) {
          return this.bad();
        }
        kept[key] = typename;
        continue;
      }
      const definition = fields?.[selected.name];
      if (fields && !definition) continue;
      const value = this.walk(object[key], selected.selections, definition?.type);
      if (value === INVALID) return INVALID;
      kept[key] = value;
    }
    return kept;
  }

  /**
   * An Agency as the directory has it: its code listed, its name the directory's name for that
   * code (or, when the code was not asked for, some agency's name; the owner of a record is
   * held to its own name below). Every key is checked, aliases included (`code c2: code`,
   * `name n2: name`): one object, one agency.
   */
  private isDirectoryAgency(object: Record<string, unknown>, keys: Map<string, Selected>): boolean {
    const directory = this.directory;
    if (!directory) return true;
    const { codes, names } = this.identityOf(object, keys);
    if (codes.some((code) => typeof code !== 'string' || directory.nameOf(code) === undefined)) return false;
    if (new Set(codes).size > 1 || new Set(names).size > 1) return false;
    const code = codes[0] as string | undefined;
    return names.every((name) =>
      typeof name !== 'string' ? false : code === undefined ? directory.isName(name) : directory.nameOf(code) === name,
    );
  }

  /** The values of every `code` and every `name` key of an object (null and absent left out: the contract's checks see to those). */
  private identityOf(object: Record<string, unknown>, keys: Map<string, Selected>): { codes: unknown[]; names: unknown[] } {
    const codes: unknown[] = [];
    const names: unknown[] = [];
    for (const [key, selected] of keys) {
      const value = object[key];
      if (value === null || value === undefined) continue;
      if (selected.name === 'code') codes.push(value);
      else if (selected.name === 'name') names.push(value);
    }
    return { codes, names };
  }

  /** Another agency named by the object, or an id that is no record id: a label for the error. */
  private foreignOwnerOf(object: Record<string, unknown>, keys: Map<string, Selected>, isAgency: boolean): string | undefined {
    let content = false;
    let other: string | undefined;
    for (const [key, { name, selections }] of keys) {
      const value = object[key];
      if (name === 'id' && value !== null && value !== undefined) {
        // Every id in the records contract is `<OWNER>:<local id>`, and every record a node
        // sends is its own: no record of another agency, not even as a key.
        const owner = typeof value === 'string' ? ownerOfId(value) : undefined;
        if (owner !== this.agency) return oneLine(String(value), 60);
      } else if (name === 'code' && typeof value === 'string' && value !== this.agency) {
        other ??= oneLine(value, 60);
      } else if (name === 'agency' && value && typeof value === 'object') {
        const owner = this.ownerOf(value as Record<string, unknown>, selections);
        if (owner !== undefined) return `a record credited to ${oneLine(owner, 60)}`;
      } else if (isAgency && name === 'name') {
        // An agency's name, checked against the directory (isDirectoryAgency): a key, not content.
      } else if (!KEY_FIELDS.has(name) && value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) {
        content = true;
      }
    }
    // Another agency as a key (a diffusion's recipients, a request's requester) is a reference;
    // with anything more it is this node speaking for that agency.
    return other !== undefined && content ? other : undefined;
  }

  /**
   * Who a record's `agency` says owns it, when not this node's agency: by any of its codes, or,
   * when no code was asked for, by any of its names.
   */
  private ownerOf(agency: Record<string, unknown>, selections: readonly SelectionSetNode[]): string | undefined {
    const { codes, names } = this.identityOf(agency, this.keysOf(selections));
    const foreignCode = codes.find((code) => code !== this.agency);
    if (foreignCode !== undefined) return String(foreignCode);
    if (codes.length > 0) return undefined;
    const own = this.directory?.nameOf(this.agency);
    const foreignName = own === undefined ? undefined : names.find((name) => name !== own);
    return foreignName === undefined ? undefined : String(foreignName);
  }

  /** The object type a value of `type` is: itself, or the member its __typename names (a one-member union needs none). */
  private concrete(type: GraphQLOutputType, value: Record<string, unknown>): GraphQLObjectType | undefined {
    if (isObjectType(type)) return type;
    if (!this.schema || !(isUnionType(type) || isInterfaceType(type))) return undefined;
    const named = typeof value.__typename === 'string' ? this.schema.getType(value.__typename) : undefined;
    if (named && isObjectType(named) && this.schema.isSubType(type, named)) return named;
    const members = isUnionType(type) ? type.getTypes() : [];
    return members.length === 1 ? members[0] : undefined;
  }

  private bad(): typeof INVALID {
    this.malformed++;
    return INVALID;
  }

  /** Response keys of a selection, fragments flattened (every type condition: a key is there or not). */
  keysOf(sets: readonly SelectionSetNode[]): Map<string, Selected> {
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

  /** The contract's type of a record kind or of a root field (undefined without a contract). */
  typeNamed(name: string): GraphQLNamedType | undefined {
    return this.schema?.getType(name) ?? undefined;
  }
}

function leafFits(type: GraphQLNamedType, value: unknown): boolean {
  if (isEnumType(type)) return typeof value === 'string' && type.getValue(value) !== undefined;
  switch (type.name) {
    case 'String':
      return typeof value === 'string';
    case 'ID':
      return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));
    case 'Int':
      return typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31;
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'Boolean':
      return typeof value === 'boolean';
    default:
      return true;
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
