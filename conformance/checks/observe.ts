import { graphqlBody, type Exchange } from '../client.js';
import type { RecordKind } from '../dataset/format.js';
import { recordsOf } from '../dataset/format.js';
import type { Caller, Kit } from '../kit.js';
import { expectedLevel, ROOT_FIELDS, SELECTIONS, type Level } from '../policy.js';

// What one caller is told about every record of the data set, asked three ways (lookups by
// id, lists, entity references), read once per run and shared by the disclosure checks.

export type Value = Record<string, unknown> | null;

export interface Seen {
  exchange: Exchange;
  value: Value;
  /** Errors the node gave on this field. */
  errors: string[];
}

export interface Observation {
  caller: Caller;
  level: (localId: string) => Level;
  lookups: Map<string, Seen>;
  lists: Map<RecordKind, { exchange: Exchange; rows: Value[] | undefined }>;
  entities: Map<string, Seen>;
}

/** Lookups per request, within the federation's operation limits (20 root fields, 30 aliases). */
export const LOOKUPS_PER_REQUEST = 15;
const KINDS: RecordKind[] = ['Notice', 'Subject', 'Case'];

const observations = new WeakMap<Kit, Map<string, Promise<Observation>>>();

export function levelsFor(kit: Kit, caller: Caller): (localId: string) => Level {
  return (localId) => {
    const labels = kit.dataset.labels[localId];
    if (!labels) throw new Error(`${localId} is not in the data set`);
    return expectedLevel(caller, kit.node, labels);
  };
}

export function observe(kit: Kit, caller: Caller): Promise<Observation> {
  let byCaller = observations.get(kit);
  if (!byCaller) observations.set(kit, (byCaller = new Map()));
  let observation = byCaller.get(caller.sub);
  if (!observation) {
    observation = read(kit, caller);
    byCaller.set(caller.sub, observation);
  }
  return observation;
}

function errorsAt(exchange: Exchange, path: (string | number)[]): string[] {
  const wanted = JSON.stringify(path);
  return (graphqlBody(exchange).errors ?? [])
    .filter((error) => JSON.stringify((error.path ?? []).slice(0, path.length)) === wanted)
    .map((error) => `${String(error.extensions?.code ?? 'ERROR')}: ${error.message ?? ''}`);
}

async function read(kit: Kit, caller: Caller): Promise<Observation> {
  const credentials = await kit.as(caller);
  const records = recordsOf(kit.dataset);
  const lookups = new Map<string, Seen>();
  for (const kind of KINDS) {
    const ofKind = records.filter((record) => record.kind === kind);
    for (let start = 0; start < ofKind.length; start += LOOKUPS_PER_REQUEST) {
      const batch = ofKind.slice(start, start + LOOKUPS_PER_REQUEST);
      const fields = batch.map(
        (record, i) => `r${i}: ${ROOT_FIELDS[kind].one}(id: "${kit.globalId(record.localId)}") { ${SELECTIONS[kind]} }`,
      );
      const exchange = await kit.client.post(`{ ${fields.join(' ')} }`, undefined, credentials);
      const data = graphqlBody(exchange).data ?? {};
      batch.forEach((record, i) => {
        const value = data[`r${i}`];
        lookups.set(record.localId, { exchange, value: (value ?? null) as Value, errors: errorsAt(exchange, [`r${i}`]) });
      });
    }
  }
  const lists = new Map<RecordKind, { exchange: Exchange; rows: Value[] | undefined }>();
  for (const kind of KINDS) {
    const exchange = await kit.client.post(
      `{ list: ${ROOT_FIELDS[kind].list}(first: 100) { ${SELECTIONS[kind]} } }`,
      undefined,
      credentials,
    );
    const rows = graphqlBody(exchange).data?.list;
    lists.set(kind, { exchange, rows: Array.isArray(rows) ? (rows as Value[]) : undefined });
  }
  const entities = new Map<string, Seen>();
  for (const kind of KINDS) {
    const ofKind = records.filter((record) => record.kind === kind);
    const exchange = await kit.client.post(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${kind} { ${SELECTIONS[kind]} } } }`,
      { representations: ofKind.map((record) => ({ __typename: kind, id: kit.globalId(record.localId) })) },
      credentials,
    );
    const values = graphqlBody(exchange).data?._entities;
    ofKind.forEach((record, i) => {
      const value = Array.isArray(values) ? values[i] : undefined;
      entities.set(record.localId, {
        exchange,
        value: (value === undefined ? undefined : value) as Value,
        errors: errorsAt(exchange, ['_entities', i]),
      });
    });
  }
  return { caller, level: levelsFor(kit, caller), lookups, lists, entities };
}

export const idOf = (value: Value | undefined): string | undefined => (value && typeof value.id === 'string' ? value.id : undefined);

/** The ids of a list from a node, sorted; an entry without an id counts as one, so it cannot slip through. */
export const ids = (values: unknown): string[] | undefined =>
  Array.isArray(values) ? (values as Value[]).map((value) => idOf(value) ?? '(an entry without an id)').sort() : undefined;

export interface Answer {
  kind: RecordKind;
  localId: string;
  seen: Seen;
  value: Value;
  /** How the record was asked for: "a lookup", "the Notice list", "_entities". */
  how: string;
}

/** Every record one caller was given, however it was asked for (a record of the data set only). */
export function answersOf(kit: Kit, observation: Observation): Answer[] {
  const kinds = new Map(recordsOf(kit.dataset).map((record) => [record.localId, record.kind]));
  const answers: Answer[] = [];
  for (const [localId, seen] of observation.lookups)
    answers.push({ kind: kinds.get(localId)!, localId, seen, value: seen.value, how: 'a lookup' });
  for (const [localId, seen] of observation.entities)
    answers.push({ kind: kinds.get(localId)!, localId, seen, value: seen.value, how: '_entities' });
  for (const [kind, { exchange, rows }] of observation.lists) {
    for (const row of rows ?? []) {
      const id = idOf(row);
      const localId = id?.startsWith(`${kit.node.agency}:`) ? id.slice(kit.node.agency.length + 1) : undefined;
      if (localId && kinds.get(localId) === kind)
        answers.push({ kind, localId, seen: { exchange, value: row, errors: [] }, value: row, how: `the ${kind} list` });
    }
  }
  return answers;
}
