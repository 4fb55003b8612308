import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Tables } from './tables.js';

// Kysely builds, renames (CamelCasePlugin) and compiles every statement anew: about a sixth of a
// node's CPU per request (issue 15's profile), for the same few dozen texts again and again. A
// shaped statement compiles once per SHAPE of its arguments and afterwards only fills in the
// parameters. The shape is everything in the arguments that may change the SQL text: object
// keys, array lengths, booleans, null and undefined, and the strings and numbers under the
// keys named structural (a scope clause's `kind`, a list's `tier`, the store's `dialect`).
// Every other string or number is a parameter.
//
// The rule for a build function: it reads only its arguments and values that never change,
// and it branches only on what is structural. It is checked where it can be: the first time a
// shape is met, the statement is built twice, from the arguments and from the arguments with
// every parameter replaced by a marker; the shape is kept only when both give the same SQL
// and each marker lands exactly where its value did (a value turned into SQL text, or into
// part of a parameter, or one the build computes from, makes the shape one it builds anew
// each time). A build function that reads a value of the caller's (a closure made per call)
// gets its own cache per call, so nothing it captured is reused for another call.

/** Keys whose strings and numbers decide the SQL text rather than fill a parameter. */
const STRUCTURAL = new Set(['kind', 'tier', 'dialect']);

/** Shapes kept per statement and store (array lengths up to a batch's 500 make most of them). */
const SHAPES_PER_STATEMENT = 1000;

type Slot = { value: number } | { constant: unknown };
interface Template {
  sql: string;
  slots: Slot[];
}
/** A shape whose build does not pass the check: built anew each time. */
const UNSHAPED = 'unshaped';

export interface ShapedStatement<Args, Row> {
  (db: Kysely<Tables>, args: Args): Promise<Row[]>;
  /** How many shapes it keeps compiled for this store, and how many it builds anew each time. */
  shapes(db: Kysely<Tables>): { compiled: number; unshaped: number };
}

export function shapedStatement<Args, Row>(build: (db: Kysely<Tables>, args: Args) => Compilable<Row>): ShapedStatement<Args, Row> {
  // Per store (its adapter: the same for the store and its transactions), compiled SQL being
  // the dialect's.
  const stores = new WeakMap<object, LRUCache<string, Template | typeof UNSHAPED>>();
  const run = async (db: Kysely<Tables>, args: Args): Promise<Row[]> => {
    const read = readArguments(args);
    if (!read) return (await db.executeQuery(build(db, args).compile())).rows;
    const adapter = db.getExecutor().adapter;
    let shapes = stores.get(adapter);
    if (!shapes) stores.set(adapter, (shapes = new LRUCache({ max: SHAPES_PER_STATEMENT })));
    const template = shapes.get(read.shape);
    if (template === undefined) {
      const compiled = build(db, args).compile();
      shapes.set(read.shape, templateOf(compiled, build(db, withMarkers(args) as Args).compile(), read.values) ?? UNSHAPED);
      return (await db.executeQuery(compiled)).rows;
    }
    if (template === UNSHAPED) return (await db.executeQuery(build(db, args).compile())).rows;
    const parameters = template.slots.map((slot) => ('value' in slot ? read.values[slot.value] : slot.constant));
    return (await db.executeQuery<Row>(CompiledQuery.raw(template.sql, parameters))).rows;
  };
  const countShapes = (db: Kysely<Tables>) => {
    const kept = [...(stores.get(db.getExecutor().adapter)?.values() ?? [])];
    return { compiled: kept.filter((shape) => shape !== UNSHAPED).length, unshaped: kept.filter((shape) => shape === UNSHAPED).length };
  };
  return Object.assign(run, { shapes: countShapes });
}

// ---- Arguments: their shape and their parameters, in one walk order -------------------------

const MARKER = '\u0000shaped-parameter:';

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** The shape of `args` and its parameters in walk order, or undefined for a value it cannot walk. */
function readArguments(args: unknown): { shape: string; values: unknown[] } | undefined {
  const parts: string[] = [];
  const values: unknown[] = [];
  const walk = (value: unknown, key: string): boolean => {
    switch (typeof value) {
      case 'string':
      case 'number':
        if (STRUCTURAL.has(key)) parts.push(JSON.stringify(value));
        else {
          parts.push('?');
          values.push(value);
        }
        return true;
      case 'boolean':
      case 'undefined':
        parts.push(String(value));
        return true;
      case 'object':
        if (value === null) {
          parts.push('null');
          return true;
        }
        if (Array.isArray(value)) {
          parts.push(`[${value.length}`);
          for (const item of value) if (!walk(item, key)) return false;
          parts.push(']');
          return true;
        }
        if (!isPlainObject(value)) return false;
        parts.push('{');
        for (const [name, item] of Object.entries(value)) {
          parts.push(JSON.stringify(name), ':');
          if (!walk(item, name)) return false;
        }
        parts.push('}');
        return true;
      default:
        return false;
    }
  };
  return walk(args, '') ? { shape: parts.join(''), values } : undefined;
}

/** `args` with its n-th parameter (in readArguments' order) replaced by the n-th marker. */
function withMarkers(args: unknown): unknown {
  let next = 0;
  const copy = (value: unknown, key: string): unknown => {
    if ((typeof value === 'string' || typeof value === 'number') && !STRUCTURAL.has(key)) return `${MARKER}${next++}`;
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map((item) => copy(item, key));
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, copy(item, name)]));
  };
  return copy(args, '');
}

/** Where each parameter comes from, when the marked build agrees with the real one; else undefined. */
function templateOf(real: CompiledQuery, marked: CompiledQuery, values: readonly unknown[]): Template | undefined {
  if (real.sql !== marked.sql || real.parameters.length !== marked.parameters.length) return undefined;
  const slots: Slot[] = [];
  for (const [i, parameter] of marked.parameters.entries()) {
    if (typeof parameter === 'string' && parameter.startsWith(MARKER)) {
      const value = Number(parameter.slice(MARKER.length));
      if (!Number.isInteger(value) || !Object.is(real.parameters[i], values[value])) return undefined;
      slots.push({ value });
    } else {
      // A value the build adds itself (a content kind's field name): it must not be one it
      // computed from a parameter, which would differ between the two builds.
      if (!Object.is(parameter, real.parameters[i]) || (typeof parameter === 'object' && parameter !== null)) return undefined;
      slots.push({ constant: parameter });
    }
  }
  return { sql: real.sql, slots };
}
