import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Tables } from './tables.js';

// Kysely builds, renames (CamelCasePlugin) and compiles every statement anew: about a sixth of a
// node's CPU per request (issue 15's profile), for the same few dozen texts again and again. A
// shaped statement compiles once per SHAPE of its arguments and afterwards only fills in the
// parameters. The shape is everything in the arguments that may change the SQL text: object
// keys, array lengths, booleans, null and undefined, and the strings and numbers under the
// keys named structural (a scope clause's `kind`, a list's `tier`, the store's `dialect`).
// Every other string or number is a parameter (its type, and whether it is empty, are shape).
//
// The rule for a build function: it reads only its arguments and values that never change,
// and it branches only on what is structural. It is checked where it can be, not proved: the
// second time a shape is met, the statement is built twice, from the arguments and from the
// arguments with every parameter replaced by a marker; the shape is kept only when both give
// the same SQL and each marker lands exactly where its value did (a value turned into SQL
// text, or into part of a parameter, or one the build computes from or throws on, makes the
// shape one it builds anew each time). A comparison of a value with another (`first > 100`)
// is not seen: builds must not make one (each one here branches on lengths, booleans, null
// and structural keys only). A build function that reads a value of the caller's (a closure
// made per call) gets its own cache per call, so nothing it captured is reused for another.

/** Keys whose strings and numbers decide the SQL text rather than fill a parameter. */
const STRUCTURAL = new Set(['kind', 'tier', 'dialect']);

/**
 * What one statement keeps per store, counted in bytes (roughly): a read of 6,400 ids makes a
 * shape of some 50 KB, and a partner choosing how many ids its questions reach must not grow
 * a node's memory without bound.
 */
const BYTES_PER_STATEMENT = 8_000_000;

interface Template {
  sql: string;
  /** Per parameter: the index of the argument value it takes (>= 0), or of a constant (-1 - i). */
  slots: Int32Array;
  constants: unknown[];
}
/** A shape met once: compiled as always. Checked and kept only when it comes again. */
const SEEN_ONCE = 'seen once';
/** A shape whose build does not pass the check: built anew each time. */
const UNSHAPED = 'unshaped';
type Kept = Template | typeof SEEN_ONCE | typeof UNSHAPED;

export interface ShapedStatement<Args, Row> {
  (db: Kysely<Tables>, args: Args): Promise<Row[]>;
  /** How many shapes it keeps compiled for this store, and how many it builds anew each time. */
  shapes(db: Kysely<Tables>): { compiled: number; unshaped: number };
}

export function shapedStatement<Args, Row>(build: (db: Kysely<Tables>, args: Args) => Compilable<Row>): ShapedStatement<Args, Row> {
  // Per store (its adapter: the same for the store and its transactions), compiled SQL being
  // the dialect's.
  const stores = new WeakMap<object, LRUCache<string, Kept>>();
  const compiledAnew = async (db: Kysely<Tables>, args: Args) => (await db.executeQuery(build(db, args).compile())).rows;
  const run = async (db: Kysely<Tables>, args: Args): Promise<Row[]> => {
    const read = readArguments(args);
    if (!read) return compiledAnew(db, args);
    const adapter = db.getExecutor().adapter;
    let shapes = stores.get(adapter);
    if (!shapes) stores.set(adapter, (shapes = new LRUCache({ maxSize: BYTES_PER_STATEMENT, sizeCalculation: bytesOf })));
    const kept = shapes.get(read.shape);
    if (kept === undefined || kept === UNSHAPED) {
      // A shape met once costs one build, as before: a stream of shapes never seen again
      // (a partner varying how many ids its questions reach) costs no more than it did.
      if (kept === undefined) shapes.set(read.shape, SEEN_ONCE);
      return compiledAnew(db, args);
    }
    if (kept === SEEN_ONCE) {
      const compiled = build(db, args).compile();
      shapes.set(read.shape, checkedTemplate(db, build, args, compiled, read.values) ?? UNSHAPED);
      return (await db.executeQuery(compiled)).rows;
    }
    const parameters = Array.from(kept.slots, (slot) => (slot >= 0 ? read.values[slot] : kept.constants[-1 - slot]));
    return (await db.executeQuery<Row>(CompiledQuery.raw(kept.sql, parameters))).rows;
  };
  const countShapes = (db: Kysely<Tables>) => {
    const kept = [...(stores.get(db.getExecutor().adapter)?.values() ?? [])];
    return {
      compiled: kept.filter((shape) => typeof shape === 'object').length,
      unshaped: kept.filter((shape) => shape === UNSHAPED).length,
    };
  };
  return Object.assign(run, { shapes: countShapes });
}

function bytesOf(kept: Kept, shape: string): number {
  const template = typeof kept === 'object' ? kept.sql.length * 2 + kept.slots.byteLength + kept.constants.length * 16 : 0;
  return 64 + shape.length * 2 + template;
}

/** The template of a shape, when a build with markers agrees with the real one; a build that throws on markers has none. */
function checkedTemplate<Args>(
  db: Kysely<Tables>,
  build: (db: Kysely<Tables>, args: Args) => Compilable<unknown>,
  args: Args,
  compiled: CompiledQuery,
  values: readonly unknown[],
): Template | undefined {
  let marked: CompiledQuery;
  try {
    marked = build(db, withMarkers(args) as Args).compile();
  } catch {
    return undefined;
  }
  return templateOf(compiled, marked, values);
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
  return walk(args, '', parts, values) ? { shape: parts.join(''), values } : undefined;
}

/** Adds `value`'s shape to `parts` and its parameters to `values` (one function, not a closure per read: this runs for every statement). */
function walk(value: unknown, key: string, parts: string[], values: unknown[]): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
      if (STRUCTURAL.has(key)) parts.push(JSON.stringify(value));
      else {
        // A parameter's type and whether it is empty (or zero) are part of the shape, so a
        // build testing a value's truth or type (`if (name)`) meets each kind in a shape of
        // its own. A build comparing a value (`first > 100`) is beyond what this sees.
        parts.push(typeof value === 'string' ? (value === '' ? 'e' : 's') : value === 0 ? '0' : 'n');
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
        parts.push(`[${value.length}:`);
        if (!STRUCTURAL.has(key) && value.every((item) => typeof item === 'string' && item !== '')) {
          // Ids and codes, the common case: one part for the lot, not one per item.
          parts.push('s*');
          for (const item of value) values.push(item);
        } else for (const item of value) if (!walk(item, key, parts, values)) return false;
        parts.push(']');
        return true;
      }
      if (!isPlainObject(value)) return false;
      parts.push('{');
      for (const [name, item] of Object.entries(value)) {
        parts.push(JSON.stringify(name), ':');
        if (!walk(item, name, parts, values)) return false;
      }
      parts.push('}');
      return true;
    default:
      return false;
  }
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
  const slots = new Int32Array(marked.parameters.length);
  const constants: unknown[] = [];
  for (const [i, parameter] of marked.parameters.entries()) {
    if (typeof parameter === 'string' && parameter.startsWith(MARKER)) {
      const value = Number(parameter.slice(MARKER.length));
      if (!Number.isInteger(value) || !Object.is(real.parameters[i], values[value])) return undefined;
      slots[i] = value;
    } else {
      // A value the build adds itself (a content kind's field name): it must not be one it
      // computed from a parameter, which would differ between the two builds.
      if (!Object.is(parameter, real.parameters[i]) || (typeof parameter === 'object' && parameter !== null)) return undefined;
      slots[i] = -1 - constants.length;
      constants.push(parameter);
    }
  }
  return { sql: real.sql, slots, constants };
}
