import { GraphQLError, type GraphQLSchema } from 'graphql';
import { applyMiddleware, type IMiddlewareTypeMap } from 'graphql-middleware';
import { allow, rule, shield } from 'graphql-shield';
import { unauthenticated } from '../../../lib/auth/authenticate.js';
import type { Role } from '../../../lib/auth/caller.js';
import type { NodeContext } from '../context.js';

// Who may call what on a node (graphql-shield). Record-level disclosure is not decided
// here but in the store's queries (policy.ts); entity references check the same role
// themselves, because a type rule runs too late for __resolveReference.

const READER_ROLES: readonly Role[] = ['officer', 'reviewer'];

function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function assertMayReadRecords(context: NodeContext): void {
  const caller = context.caller;
  if (!caller) throw unauthenticated('This request carries no verified caller.');
  if (!caller.roles.some((role) => READER_ROLES.includes(role))) {
    throw forbidden(`Reading records needs the role ${READER_ROLES.join(' or ')}; this token has ${caller.roles.join(', ') || 'no role'}.`);
  }
}

const isAuthenticated = rule({ cache: 'contextual' })((_parent, _args, context: NodeContext) =>
  context.caller ? true : unauthenticated('This request carries no verified caller.'),
);

const mayReadRecords = rule({ cache: 'contextual' })((_parent, _args, context: NodeContext) => {
  try {
    assertMayReadRecords(context);
    return true;
  } catch (error) {
    return error as GraphQLError;
  }
});

const ownAgencyOnly = rule({ cache: 'contextual' })((_parent, _args, context: NodeContext) =>
  context.caller?.agency === context.agency ? true : forbidden(`Only ${context.agency}'s own users see this field.`),
);

/** A mutation nobody gave a rule for is refused, not allowed by default. */
const unlistedMutation = rule({ cache: 'no_cache' })(() => forbidden('This mutation has no permission rule yet, so nobody may call it.'));

const ownerOnlyLabels = { releasableTo: ownAgencyOnly, discoverable: ownAgencyOnly };

/** A rule for the owner's own staff in one role; `agency` arguments must name the owner too. */
function ownStaff(role: Role, what: string) {
  return rule({ cache: 'strict' })((_parent, args: { agency?: string }, context: NodeContext) => {
    const caller = context.caller;
    const owner = args.agency ?? context.agency;
    if (caller?.agency === context.agency && owner === context.agency && caller.roles.includes(role)) return true;
    return forbidden(`Only ${owner}'s ${role}s may ${what}.`);
  });
}

/** Who may call which field; a field not named here is allowed (the fallback rule). */
const RULES = {
  Query: {
    '*': mayReadRecords,
    _entities: isAuthenticated,
    _service: allow,
    auditTrail: ownStaff('auditor', 'read its audit ledger'),
    verifyAuditTrail: ownStaff('auditor', 'verify its audit ledger'),
    witnessedHeads: ownStaff('auditor', 'read the receipts of its audit ledger'),
    accessRequests: isAuthenticated,
  },
  Mutation: {
    '*': unlistedMutation,
    requestAccess: mayReadRecords,
    decideAccessRequest: ownStaff('reviewer', 'decide its access requests'),
  },
  Agency: { holdings: mayReadRecords, cooperation: mayReadRecords },
  Notice: ownerOnlyLabels,
  Subject: ownerOnlyLabels,
  Case: ownerOnlyLabels,
};

// Resolver errors (bad ids, limits) reach the caller as they are, not as "Not Authorised!".
const OPTIONS = { allowExternalErrors: true, fallbackRule: allow };

/**
 * The schema with the rules applied to the fields the rule tree names: every field of a type
 * ruled by '*', the named fields of the others. graphql-shield wraps every field of every type,
 * the fallback's too, in an async middleware: every scalar of an answer became a promise, about
 * a tenth of a node's CPU per request. A field the tree does not name is allowed by the
 * fallback rule, which is what leaving it unwrapped does.
 */
export function withPermissions(schema: GraphQLSchema): GraphQLSchema {
  const generated = shield(RULES, OPTIONS).generate(schema) as Record<string, Record<string, unknown>>;
  const named: Record<string, Record<string, unknown>> = {};
  for (const [type, rules] of Object.entries(RULES)) {
    const fields = generated[type];
    if (!fields) throw new Error(`The permission rules name a type the schema does not have: ${type}`);
    named[type] = '*' in rules ? fields : Object.fromEntries(Object.keys(rules).map((field) => [field, fields[field]]));
  }
  return applyMiddleware(schema, named as IMiddlewareTypeMap);
}
