import type { Kysely, Migration } from 'kysely';

// The UN Security Council Consolidated List entries behind imported UN_SPECIAL notices
// (docs/un-import.md). Lists of the entry are JSON text: read whole, never searched.
export const unListMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('un_listings')
      .addColumn('notice_id', 'text', (c) => c.primaryKey().references('notices.local_id'))
      .addColumn('subject_id', 'text', (c) => c.notNull().unique().references('subjects.local_id'))
      .addColumn('reference_number', 'text', (c) => c.notNull().unique())
      .addColumn('data_id', 'text', (c) => c.notNull())
      .addColumn('version_number', 'integer')
      .addColumn('list_type', 'text', (c) => c.notNull())
      .addColumn('listed_on', 'text', (c) => c.notNull())
      .addColumn('comments', 'text')
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('second_name', 'text')
      .addColumn('third_name', 'text')
      .addColumn('fourth_name', 'text')
      .addColumn('last_updated', 'text', (c) => c.notNull())
      .addColumn('titles', 'text', (c) => c.notNull())
      .addColumn('designations', 'text', (c) => c.notNull())
      .addColumn('places_of_birth', 'text', (c) => c.notNull())
      .addColumn('addresses', 'text', (c) => c.notNull())
      .addColumn('raw', 'text')
      .addColumn('delisted_on', 'text')
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .execute();
  },
};
