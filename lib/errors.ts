import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from './logger.js';

/**
 * The extensions a caller may see. Anything else an error picks up on its way (a stack, a
 * downstream service's URL, status and body, `exception`) stays in the log.
 */
const CALLER_EXTENSIONS = ['code', 'agency', 'agencies', 'reason', 'limit'] as const;

/**
 * Apollo Server `formatError`: errors meant for the caller pass with only their
 * caller-facing extensions;
 * anything unexpected is logged here and reaches the caller as one line with no SQL,
 * path or URL in it.
 */
export function formatErrorFor(logger: Logger, options: { production?: boolean } = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // In production a validation error does not suggest field names ("Did you mean ...?"):
    // a stranger learns the schema from suggestions even with introspection off.
    if (options.production && formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED') {
      formatted = { ...formatted, message: formatted.message.replace(/ ?Did you mean .*\?$/, '') };
      // Apollo Server's own wording names the server software and how to turn introspection on.
      if (/introspection is not allowed/i.test(formatted.message)) {
        formatted = { ...formatted, message: "Introspection is off here; the schema is published in the federation's documentation." };
      }
    }
    // graphql-js's token limit reads as a syntax error ("Syntax Error: Document contains more
    // that 3000 tokens"): the question is well formed, only too long; say so like the other limits.
    const tokens = /Document contains more th\w+ (\d+) tokens/.exec(formatted.message);
    if (tokens) {
      formatted = { ...formatted, message: `Token limit of ${tokens[1]} exceeded: the document is longer; send a shorter question.` };
    }
    const code = formatted.extensions?.code;
    const extensions = callerExtensions(formatted.extensions);
    if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
      logger.error({ err: unwrapResolverError(error), path: formatted.path }, 'internal error');
      return {
        message: 'Internal error while resolving this field; it has been logged.',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { ...extensions, code: 'INTERNAL_SERVER_ERROR' },
      };
    }
    return { ...formatted, extensions };
  };
}

function callerExtensions(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of CALLER_EXTENSIONS) if (extensions?.[key] !== undefined) kept[key] = extensions[key];
  return kept;
}
