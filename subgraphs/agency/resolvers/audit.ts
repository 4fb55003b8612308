import { GraphQLError } from 'graphql';
import { formatRecordId } from '../../../lib/ids.js';
import { DATE_TIME, IDEMPOTENCY_KEY, MAX_JUSTIFICATION } from '../../../schema/argument-rules.js';
import type { NodeContext } from '../context.js';
import { badUserInput } from '../errors.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { IdempotencyKeyReusedError, type AccessRequestRow } from '../store/access-requests.js';
import type { NewAuditEntry } from '../store/audit.js';
import { isAddressed, ownLocalId, pageSize } from './ids.js';

// The owner's ledger (for its auditors) and the access requests partners make after a
// hit. Who may call what is graphql-shield's (policy/permissions.ts); these resolvers
// check the input and keep every event in the ledger.

function auditEntry(context: NodeContext, event: NewAuditEntry['event'], request: AccessRequestRow, operation: string): NewAuditEntry {
  const caller = context.caller!;
  return {
    event,
    callerAgency: caller.agency,
    callerSub: caller.sub,
    purpose: caller.purpose,
    operation,
    recordIds: [formatRecordId(context.agency, request.recordId)],
    disclosure: null,
    detail: {
      requestId: context.requestId,
      request: formatRecordId(context.agency, request.localId),
      requester: request.requesterAgency,
      status: request.status,
      expiresAt: request.expiresAt,
    },
  };
}

function expiryOf(expiresAt: string | null | undefined): string {
  const parsed = expiresAt && DATE_TIME.test(expiresAt) ? new Date(expiresAt) : null;
  if (!parsed || Number.isNaN(parsed.getTime())) {
    throw badUserInput('To approve, give expiresAt as an ISO 8601 date-time with a time zone, e.g. "2027-01-31T23:59:59Z".');
  }
  if (parsed.getTime() <= Date.now()) throw badUserInput(`expiresAt ${expiresAt} is not in the future.`);
  return parsed.toISOString();
}

export const auditResolvers: Resolvers = {
  Query: {
    auditTrail: (_root, { first, after }, context) => context.ledger.entries(pageSize(first), after),
    verifyAuditTrail: (_root, _args, context) => context.verifyLedger(),
    witnessedHeads: (_root, { first, witness }, context) => context.witnessRecords.receipts(pageSize(first), witness),
    accessRequests: (_root, { status, agencies }, context) => {
      if (!isAddressed(agencies, context)) return [];
      const caller = context.caller!;
      const reviewsHere = caller.agency === context.agency && caller.roles.includes('reviewer');
      return context.accessRequests.list({ requesterAgency: reviewsHere ? undefined : caller.agency, status });
    },
  },

  Mutation: {
    requestAccess: async (_root, { recordId, purpose, justification, idempotencyKey }, context, info) => {
      const caller = context.caller!;
      const localId = ownLocalId(recordId, context);
      if (caller.agency === context.agency) throw badUserInput(`${recordId} is your own agency's record.`);
      if (!justification.trim() || justification.length > MAX_JUSTIFICATION) {
        throw badUserInput(`justification must say why you need the record, in 1 to ${MAX_JUSTIFICATION} characters.`);
      }
      if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
        throw badUserInput('idempotencyKey must be 1 to 128 letters, digits or . _ : - (e.g. a UUID you keep for retries).');
      }
      const requests = context.accessRequests;
      const earlier = await requests.byIdempotencyKey(caller.agency, idempotencyKey);
      if (earlier) {
        if (earlier.recordId !== localId) throw badUserInput(new IdempotencyKeyReusedError(idempotencyKey).message);
        return earlier;
      }
      // Same answer for a record that does not exist and one the caller may not know of.
      if (!(await context.reader.unrecorded.isKnown(localId)))
        throw badUserInput(`There is no record ${recordId} you can request access to.`);
      const operation = info.operation.name?.value ?? 'requestAccess';
      try {
        return await requests.create(
          { recordId: localId, requesterAgency: caller.agency, requesterSub: caller.sub, purpose, justification, idempotencyKey },
          (row) => auditEntry(context, 'ACCESS_REQUESTED', row, operation),
        );
      } catch (error) {
        // A retry racing the first request with another record.
        if (error instanceof IdempotencyKeyReusedError) throw badUserInput(error.message);
        throw error;
      }
    },

    decideAccessRequest: async (_root, { id, decision, note, expiresAt }, context, info) => {
      const localId = ownLocalId(id, context);
      const requests = context.accessRequests;
      const request = await requests.byId(localId);
      if (!request) throw badUserInput(`There is no access request ${id}.`);
      const approve = decision === 'APPROVE';
      const operation = info.operation.name?.value ?? 'decideAccessRequest';
      const decided = await requests.decide(
        { localId, approve, decidedBy: context.caller!.sub, note: note ?? null, expiresAt: approve ? expiryOf(expiresAt) : null },
        (row) => auditEntry(context, approve ? 'ACCESS_APPROVED' : 'ACCESS_DENIED', row, operation),
      );
      if (!decided) {
        throw new GraphQLError(`Access request ${id} was already ${request.status.toLowerCase()}; a decision is final.`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      return decided;
    },
  },

  AccessRequest: {
    id: (request, _args, context) => formatRecordId(context.agency, request.localId),
    agency: (_request, _args, context) => ({ code: context.agency }),
    recordId: (request, _args, context) => formatRecordId(context.agency, request.recordId),
    requester: (request) => ({ code: request.requesterAgency }),
    requesterSubject: (request) => request.requesterSub,
  },

  AuditEntry: {
    callerSubject: (entry) => entry.callerSub,
    detail: (entry) => (entry.detail ? JSON.stringify(entry.detail) : null),
  },
};
