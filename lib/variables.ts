import { valueFromASTUntyped, type OperationDefinitionNode } from 'graphql';

/**
 * An operation's variables as its fields see them: the caller's values, and each variable's
 * default where the caller sent none (a caller, or the query planner, passes on only what was
 * sent). Without a prototype: a variable named constructor, toString or __proto__ is the
 * caller's value or its default, never something of Object.prototype, wherever it is read.
 */
export function variablesWithDefaults(operation: OperationDefinitionNode, variables: Record<string, unknown>): Record<string, unknown> {
  const effective: Record<string, unknown> = Object.create(null);
  for (const [name, value] of Object.entries(variables)) effective[name] = value;
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (effective[name] === undefined && definition.defaultValue) effective[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return effective;
}
