import { GraphQLError, type ASTVisitor, type ValidationContext, type ValidationRule } from 'graphql';
import { RANK_ALIAS } from './datasources/split.js';

// The gateway adds one alias of its own to the questions it fans out (the rank key of a
// merged list, datasources/split.ts). A partner's question may not use it: the partner's
// field and the gateway's would collide at every node.

export const reservedAliasRule: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  Field(field) {
    if (field.alias?.value === RANK_ALIAS) {
      context.reportError(new GraphQLError(`The alias ${RANK_ALIAS} is reserved by the gateway; choose another.`, { nodes: [field] }));
    }
  },
});
