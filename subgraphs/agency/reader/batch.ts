import DataLoader from 'dataloader';

// Per-request batching: every relation and entity reference goes through one of these,
// so a request costs a fixed number of SQL statements however many records it returns.

const MAX_BATCH = 500;

/**
 * Each batch is sent on the next turn of the event loop, not in the same tick: the node's
 * I/O gets in between (a caller that hung up is noticed and the request's deadline stops
 * the rest, lib/limits/deadline.ts), and keys asked in the meantime join the batch.
 */
const OPTIONS = { maxBatchSize: MAX_BATCH, batchScheduleFn: (dispatch: () => void) => void setImmediate(dispatch) };

/** One row (or null) per key. */
export function byKey<Row>(load: (keys: readonly string[]) => Promise<Row[]>, key: (row: Row) => string): DataLoader<string, Row | null> {
  return new DataLoader<string, Row | null>(async (keys) => {
    const rows = new Map((await load(keys)).map((row) => [key(row), row]));
    return keys.map((k) => rows.get(k) ?? null);
  }, OPTIONS);
}

/** Every row of each key, in the order the store returned them. */
export function grouped<Row>(load: (keys: readonly string[]) => Promise<Row[]>, key: (row: Row) => string): DataLoader<string, Row[]> {
  return new DataLoader<string, Row[]>(async (keys) => {
    const groups = new Map<string, Row[]>(keys.map((k) => [k, []]));
    for (const row of await load(keys)) groups.get(key(row))?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  }, OPTIONS);
}

/** Drops rows that are gone (null) and rethrows the first load error. */
export function present<Row>(results: readonly (Row | null | Error)[]): Row[] {
  return results.filter((result): result is Row => {
    if (result instanceof Error) throw result;
    return result !== null;
  });
}
