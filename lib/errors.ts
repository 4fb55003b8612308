import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from './logger.js';

/**
 * Apollo Server `formatError`: errors meant for the caller pass as they are (without stack);
 * anything unexpected is logged here and reaches the caller as one line with no SQL,
 * path or URL in it.
 */
export function formatErrorFor(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
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
