import { CamelCasePlugin, type PluginTransformResultArgs, type QueryResult, type UnknownRow } from 'kysely';

// The store's names are camelCase in TypeScript and snake_case in SQL (Kysely's
// CamelCasePlugin). The plugin made a second object of every row it was handed, with every
// key renamed.

/**
 * On SQLite, rows leave the statement cache already keyed by `rowKey` (statement-cache.ts),
 * the plugin's own conversion (which Kysely remembers per name), so they are not renamed
 * again; statements are renamed into SQL as before. The keys are made by the driver, so a
 * read through `db.withoutPlugins()` gets camelCase keys on SQLite too (Kysely's own
 * introspection does: its `hasDefaultValue` reads false there). The store reads that way only
 * to list its tables (`tableNames`), and uses only their `name`, a key camelCase leaves as it is.
 */
export class SqliteCamelCasePlugin extends CamelCasePlugin {
  readonly rowKey = (column: string): string => this.camelCase(column);

  override async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
