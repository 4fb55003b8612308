import type { Kysely, Migration } from 'kysely';

// Lists come newest first (notices by issue date, cases by opening date, the id breaking
// ties). These indexes let a list walk the records in that order and stop at its page,
// instead of reading and sorting every record: at 100,000 records that is the difference
// between a fraction of a millisecond and a scan (issue 15, docs/performance.md).
export const listOrderMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('notices_by_issued_on').on('notices').columns(['issued_on', 'local_id']).execute();
    await db.schema.createIndex('cases_by_opened_on').on('cases').columns(['opened_on', 'local_id']).execute();
  },
};
