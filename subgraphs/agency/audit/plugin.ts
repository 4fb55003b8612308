import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../../../lib/logger.js';
import type { NodeContext } from '../context.js';
import type { AuditMetrics } from '../metrics.js';
import { AuditLedger, type NewAuditEntry } from '../store/audit.js';
import type { RecordStore } from '../store/store.js';

// Writes the ledger entry for what a request disclosed to another agency before the answer
// leaves the node. Fail closed: if the entry cannot be written, the answer is replaced by
// an error and nothing is disclosed.

export function auditPlugin(store: RecordStore, logger: Logger, metrics: AuditMetrics): ApolloServerPlugin<NodeContext> {
  const ledger = new AuditLedger(store);
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: context, request, operation, response }) {
          const caller = context.caller;
          const { disclosures } = context;
          if (!caller || caller.agency === context.agency || disclosures.size === 0) return;
          const levels = disclosures.byLevel();
          // The request id ties the entry to the gateway's and this node's log lines for the request.
          const detail = { ...disclosures.detail(), requestId: context.requestId };
          const entries: NewAuditEntry[] = (['FULL', 'HIT_ONLY'] as const)
            .filter((level) => levels[level].length > 0)
            .map((level) => ({
              event: 'DISCLOSURE',
              callerAgency: caller.agency,
              callerSub: caller.sub,
              purpose: caller.purpose,
              operation: request.operationName ?? operation?.name?.value ?? 'anonymous',
              recordIds: levels[level],
              disclosure: level,
              detail,
            }));
          const started = performance.now();
          try {
            await ledger.append(entries);
          } catch (error) {
            metrics.appendFailed((performance.now() - started) / 1000);
            logger.error({ err: error }, 'audit ledger write failed: disclosure withheld');
            response.http.status = 503;
            response.body = {
              kind: 'single',
              singleResult: {
                data: null,
                errors: [
                  {
                    message: `${context.agency} could not record this disclosure in its audit ledger, so nothing was disclosed; try again later.`,
                    extensions: { code: 'AUDIT_UNAVAILABLE', agency: context.agency },
                  },
                ],
              },
            };
            return;
          }
          metrics.appended(entries, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
