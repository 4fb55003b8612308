import { defaultFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { HIT_ONLY_FIELDS } from './policy.js';

/**
 * Makes every field a HIT_ONLY record may not carry resolve to null, without an error.
 * Driven by the schema, so a field added to the contract later is withheld by default.
 */
export function withholdBeyondDisclosure(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, carried] of Object.entries(HIT_ONLY_FIELDS)) {
    // Duck-typed: the schema may come from another copy of graphql-js than this module's.
    const type = schema.getType(typeName) as GraphQLObjectType | undefined;
    if (!type || !('getFields' in type)) throw new Error(`The records contract has no type ${typeName}`);
    for (const field of Object.values(type.getFields())) {
      if (carried.includes(field.name)) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (record: { disclosure?: string }, args, context, info) =>
        record.disclosure === 'FULL' ? resolve(record, args, context, info) : null;
    }
  }
  return schema;
}
