import type { Kysely, Migration } from 'kysely';

// Cooperation figures (docs/cooperation.md) count a period's disclosures and access requests:
// these indexes find the period's entries instead of reading the whole ledger, which grows
// with every answer a node gives.
export const cooperationMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('audit_ledger_by_recorded_at').on('audit_ledger').columns(['recorded_at']).execute();
    await db.schema.createIndex('access_requests_by_requested_at').on('access_requests').columns(['requested_at']).execute();
  },
};
