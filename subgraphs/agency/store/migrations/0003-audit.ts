import type { Kysely, Migration } from 'kysely';

// The owner's tamper-evident ledger and the access requests partners make after a hit.
export const auditMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('audit_ledger')
      .addColumn('sequence', 'integer', (c) => c.primaryKey())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('caller_agency', 'text', (c) => c.notNull())
      .addColumn('caller_sub', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('record_ids', 'text', (c) => c.notNull())
      .addColumn('disclosure', 'text')
      .addColumn('detail', 'text')
      .addColumn('previous_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('access_requests')
      .addColumn('local_id', 'text', (c) => c.primaryKey())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('requester_agency', 'text', (c) => c.notNull())
      .addColumn('requester_sub', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('justification', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('note', 'text')
      .addColumn('expires_at', 'text')
      .addUniqueConstraint('access_requests_idempotency', ['requester_agency', 'idempotency_key'])
      .execute();
    await db.schema
      .createIndex('access_requests_grants')
      .on('access_requests')
      .columns(['record_id', 'requester_agency', 'status', 'expires_at'])
      .execute();
  },
};
