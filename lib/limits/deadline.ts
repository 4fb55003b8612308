import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLError, type GraphQLObjectType, type GraphQLSchema } from 'graphql';

// Work stops when nobody waits for it. Each request gets a deadline: the server's own
// budget (limits.deadlineMs), shortened by the time the gateway says it will still wait
// (header X-Deadline-Ms, sent with every node request), and cut short when the caller hangs
// up. Past it, every field still to be resolved fails at once instead of running: a
// question the gateway abandoned does not keep a node busy (issue 10's 90-second climb to
// a heap limit).

export const DEADLINE_HEADER = 'x-deadline-ms';

export class Deadline {
  private hungUp = false;
  private readonly at: number;

  constructor(budgetMs: number, abandoned?: AbortSignal) {
    this.at = performance.now() + budgetMs;
    abandoned?.addEventListener('abort', () => (this.hungUp = true), { once: true });
  }

  /** The server's budget, or less when the caller said it waits less. */
  static fromHeaders(headers: IncomingHttpHeaders, ownBudgetMs: number, abandoned?: AbortSignal): Deadline {
    const asked = Number(headers[DEADLINE_HEADER]);
    const budget = Number.isFinite(asked) && asked > 0 ? Math.min(asked, ownBudgetMs) : ownBudgetMs;
    return new Deadline(budget, abandoned);
  }

  get passed(): boolean {
    return this.hungUp || performance.now() > this.at;
  }

  /** Why work stopped, for the log. */
  get reason(): 'abandoned' | 'deadline' {
    return this.hungUp ? 'abandoned' : 'deadline';
  }
}

export interface DeadlineContext {
  deadline: Deadline;
}

/**
 * Fails every field with a resolver that starts past its request's deadline
 * (DEADLINE_EXCEEDED), and calls `onExceeded` once per request, for its metrics and log. The
 * work of an answer is in resolvers (records, their content, their links); a field without one
 * reads a property of a value already in memory, so it is left as it is. An Apollo
 * `willResolveField` hook did this for every field, scalars included: about a fifth of a
 * node's CPU on a question of many records (issue 15).
 */
export function stopPastDeadline<Context extends DeadlineContext>(
  schema: GraphQLSchema,
  onExceeded: (context: Context) => void,
): GraphQLSchema {
  const reported = new WeakSet<Deadline>();
  for (const type of Object.values(schema.getTypeMap())) {
    // By its tag, not instanceof: the schema may come from another copy of graphql-js (ESM and CommonJS).
    if (Object.prototype.toString.call(type) !== '[object GraphQLObjectType]' || type.name.startsWith('__')) continue;
    for (const field of Object.values((type as GraphQLObjectType).getFields())) {
      const resolve = field.resolve;
      if (!resolve) continue;
      field.resolve = (source, args, context: Context, info) => {
        const deadline = context.deadline;
        if (deadline.passed) {
          if (!reported.has(deadline)) {
            reported.add(deadline);
            onExceeded(context);
          }
          throw new GraphQLError('The request ran past its deadline; the rest of the answer was not computed.', {
            extensions: { code: 'DEADLINE_EXCEEDED' },
          });
        }
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
