import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { AuditLedger, type NewAuditEntry } from './audit.js';
import type { RecordStore } from './store.js';
import type { AccessRequestsTable } from './tables.js';

// Access requests live at the owner's node, next to the records they are about. Each
// event commits together with its ledger entry: no request or decision goes unaudited.

export type AccessRequestRow = Selectable<AccessRequestsTable>;

export type NewAccessRequest = Pick<
  AccessRequestRow,
  'recordId' | 'requesterAgency' | 'requesterSub' | 'purpose' | 'justification' | 'idempotencyKey'
>;

export interface Decision {
  localId: string;
  approve: boolean;
  decidedBy: string;
  note: string | null;
  /** ISO 8601 UTC; required to approve. */
  expiresAt: string | null;
}

type AuditOf = (request: AccessRequestRow) => NewAuditEntry;

/** The requester already used this idempotency key for a request about another record. */
export class IdempotencyKeyReusedError extends Error {
  constructor(readonly key: string) {
    super(`idempotencyKey ${key} was already used for another access request.`);
  }
}

export class AccessRequests {
  private readonly ledger: AuditLedger;

  constructor(private readonly store: RecordStore) {
    this.ledger = new AuditLedger(store);
  }

  /** The requester's earlier request with this idempotency key, if any. */
  byIdempotencyKey(requesterAgency: string, idempotencyKey: string): Promise<AccessRequestRow | undefined> {
    return this.store.db
      .selectFrom('accessRequests')
      .selectAll()
      .where('requesterAgency', '=', requesterAgency)
      .where('idempotencyKey', '=', idempotencyKey)
      .executeTakeFirst();
  }

  byId(localId: string): Promise<AccessRequestRow | undefined> {
    return this.store.db.selectFrom('accessRequests').selectAll().where('localId', '=', localId).executeTakeFirst();
  }

  /** Requests an agency made here, or (for the owner's reviewers) every request received. */
  list(filter: { requesterAgency?: string; status?: AccessRequestRow['status'] | null }): Promise<AccessRequestRow[]> {
    let select = this.store.db.selectFrom('accessRequests').selectAll();
    if (filter.requesterAgency) select = select.where('requesterAgency', '=', filter.requesterAgency);
    if (filter.status) select = select.where('status', '=', filter.status);
    return select.orderBy('requestedAt', 'desc').orderBy('localId', 'desc').execute();
  }

  /**
   * When the requests made in a period were made and decided (docs/cooperation.md): those of
   * one requester, or (for the owner's own users) all of them. `to` is the day after the period.
   */
  requestTimes(
    period: { from: string; toExclusive: string },
    requesterAgency: string | null,
  ): Promise<Pick<AccessRequestRow, 'status' | 'requestedAt' | 'decidedAt'>[]> {
    let select = this.store.db
      .selectFrom('accessRequests')
      .select(['status', 'requestedAt', 'decidedAt'])
      .where('requestedAt', '>=', period.from)
      .where('requestedAt', '<', period.toExclusive);
    if (requesterAgency) select = select.where('requesterAgency', '=', requesterAgency);
    return select.execute();
  }

  /** Creates a PENDING request and its ledger entry; a retry with the same key returns the first. */
  async create(request: NewAccessRequest, audit: AuditOf): Promise<AccessRequestRow> {
    return this.store.writeTransaction(async (trx) => {
      // One request per idempotency key: on PostgreSQL hold concurrent creators back (SQLite: writeTransaction's lock).
      if (this.store.dialect === 'postgres') await sql`lock table access_requests in exclusive mode`.execute(trx);
      const existing = await trx
        .selectFrom('accessRequests')
        .selectAll()
        .where('requesterAgency', '=', request.requesterAgency)
        .where('idempotencyKey', '=', request.idempotencyKey)
        .executeTakeFirst();
      if (existing) {
        if (existing.recordId !== request.recordId) throw new IdempotencyKeyReusedError(request.idempotencyKey);
        return existing;
      }
      const row: AccessRequestRow = {
        ...request,
        localId: accessRequestId(),
        status: 'PENDING',
        requestedAt: new Date().toISOString(),
        decidedAt: null,
        decidedBy: null,
        note: null,
        expiresAt: null,
      };
      await trx.insertInto('accessRequests').values(row).execute();
      await this.ledger.appendIn(trx, [audit(row)]);
      return row;
    });
  }

  /** Decides a PENDING request; returns null when it is not pending (any more). */
  async decide(decision: Decision, audit: AuditOf): Promise<AccessRequestRow | null> {
    return this.store.writeTransaction(async (trx) => {
      const updated = await trx
        .updateTable('accessRequests')
        .set({
          status: decision.approve ? 'APPROVED' : 'DENIED',
          decidedAt: new Date().toISOString(),
          decidedBy: decision.decidedBy,
          note: decision.note,
          expiresAt: decision.approve ? decision.expiresAt : null,
        })
        .where('localId', '=', decision.localId)
        .where('status', '=', 'PENDING')
        .returningAll()
        .executeTakeFirst();
      if (!updated) return null;
      await this.ledger.appendIn(trx, [audit(updated)]);
      return updated;
    });
  }
}

/** A new request's id: `AR-` and a random UUID. No sequence: a requester must not learn how many requests the owner has received. */
export function accessRequestId(): string {
  return `AR-${randomUUID()}`;
}
