import { GraphQLError } from 'graphql';
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

export const permissions = shield(
  {
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
  },
  // Resolver errors (bad ids, limits) reach the caller as they are, not as "Not Authorised!".
  { allowExternalErrors: true, fallbackRule: allow },
);
