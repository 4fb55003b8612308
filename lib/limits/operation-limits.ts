import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, Kind, type ASTVisitor, type ValidationContext, type ValidationRule } from 'graphql';
import { costLimitRule } from './cost.js';

// Limits on the shape of one operation, checked while it is validated, before any node or
// store is asked: the gateway checks every partner's question, and every node checks its
// own (nodes are reachable directly). Over a limit: HTTP 400, one line naming the limit and
// the value found. Depth, aliases and directives come from graphql-armor; tokens are
// graphql-js's own parse limit; root fields and cost are this module's.

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexical tokens of the request document. */
  maxTokens: number;
  /** Fields at the root of one operation (each a question to every store). */
  maxRootFields: number;
  /** lib/limits/cost.ts: fields times list sizes, times the fan-out at the gateway. */
  maxCost: number;
  /**
   * How long an agency node works on one request before it stops resolving; the
   * gateway sends its own, shorter, remaining time with each request (lib/limits/deadline.ts).
   */
  deadlineMs: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 10,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 3000,
  maxRootFields: 20,
  maxCost: 1_000_000,
  deadlineMs: 10_000,
};

export interface Limits {
  validationRules: ValidationRule[];
  /** For Apollo Server's `parseOptions`. */
  parseOptions: { maxTokens: number };
}

/**
 * graphql-armor's rules report a refusal as a validation error (HTTP 400), not by throwing,
 * and without the "Syntax Error:" prefix they give it: the question is well formed, only too big.
 */
const REPORTED = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

/** The validation rules and parse options of these limits; `rootFanOut` is 1 at a node. */
export function operationLimits(limits: OperationLimits, rootFanOut: number): Limits {
  return {
    validationRules: [
      maxDepthRule({ n: limits.maxDepth, ...REPORTED }),
      maxAliasesRule({ n: limits.maxAliases, ...REPORTED }),
      maxDirectivesRule({ n: limits.maxDirectives, ...REPORTED }),
      maxRootFieldsRule(limits.maxRootFields),
      costLimitRule({ maxCost: limits.maxCost, rootFanOut }),
    ],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

function maxRootFieldsRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const fields = operation.selectionSet.selections.filter(
        (selection) => selection.kind !== Kind.FIELD || !selection.name.value.startsWith('__'),
      ).length;
      if (fields > max) {
        context.reportError(new GraphQLError(`Root field limit of ${max} exceeded, found ${fields}: split the question.`));
      }
    },
  });
}
