import type { Kysely, Migration } from 'kysely';

// Blocking keys for screening: each subject's name and document keys, indexed, so a
// screening question looks up candidates instead of scanning every subject.
export const screeningMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('screening_keys')
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('screening_keys_pk', ['subject_id', 'key'])
      .execute();
    await db.schema.createIndex('screening_keys_by_key').on('screening_keys').columns(['key', 'subject_id']).execute();
  },
};
