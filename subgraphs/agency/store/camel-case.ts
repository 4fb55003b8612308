import { CamelCasePlugin, type PluginTransformResultArgs, type QueryResult, type UnknownRow } from 'kysely';

// The store's names are camelCase in TypeScript and snake_case in SQL (Kysely's
// CamelCasePlugin). The plugin renamed every key of every row it was handed, converting the
// name character by character each time, into a second object per row.

/** Column names converted and kept (they come from the node's own SQL, a few hundred at most). */
const KEPT_NAMES = 10_000;

/**
 * On SQLite, rows leave the statement cache already keyed by `rowKey` (statement-cache.ts):
 * the plugin's own conversion, remembered per column name. So the rows are not renamed again;
 * statements are renamed into SQL as before.
 */
export class SqliteCamelCasePlugin extends CamelCasePlugin {
  private readonly keys = new Map<string, string>();

  readonly rowKey = (column: string): string => {
    let key = this.keys.get(column);
    if (key === undefined) {
      key = this.camelCase(column);
      if (this.keys.size < KEPT_NAMES) this.keys.set(column, key);
    }
    return key;
  };

  override async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
