import DataLoader from 'dataloader';

// Per-request batching: every relation and entity reference goes through one of these,
// so a request costs a fixed number of SQL statements however many records it returns.

const MAX_BATCH = 500;

/** One row (or null) per key. */
export function byKey<Row>(load: (keys: readonly string[]) => Promise<Row[]>, key: (row: Row) => string): DataLoader<string, Row | null> {
  return new DataLoader<string, Row | null>(
    async (keys) => {
      const rows = new Map((await load(keys)).map((row) => [key(row), row]));
      return keys.map((k) => rows.get(k) ?? null);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/** Every row of each key, in the order the store returned them. */
export function grouped<Row>(load: (keys: readonly string[]) => Promise<Row[]>, key: (row: Row) => string): DataLoader<string, Row[]> {
  return new DataLoader<string, Row[]>(
    async (keys) => {
      const groups = new Map<string, Row[]>(keys.map((k) => [k, []]));
      for (const row of await load(keys)) groups.get(key(row))?.push(row);
      return keys.map((k) => groups.get(k) ?? []);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/** Drops rows that are gone (null) and rethrows the first load error. */
export function present<Row>(results: readonly (Row | null | Error)[]): Row[] {
  return results.filter((result): result is Row => {
    if (result instanceof Error) throw result;
    return result !== null;
  });
}
