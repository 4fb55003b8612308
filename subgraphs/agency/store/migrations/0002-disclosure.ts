import type { Kysely, Migration } from 'kysely';

// The owner's disclosure labels on every record: TLP, handling code, discoverable, releasableTo.
export const disclosure: Migration = {
  async up(db: Kysely<unknown>) {
    // Records stored before labels existed stay with their owner: RED, not discoverable.
    for (const table of ['subjects', 'notices', 'cases']) {
      await db.schema
        .alterTable(table)
        .addColumn('tlp', 'text', (c) => c.notNull().defaultTo('RED'))
        .execute();
      await db.schema
        .alterTable(table)
        .addColumn('handling', 'text', (c) => c.notNull().defaultTo('H3'))
        .execute();
      await db.schema
        .alterTable(table)
        .addColumn('discoverable', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    }
    await db.schema
      .createTable('releasability')
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('audience', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('releasability_pk', ['record_id', 'audience'])
      .execute();
  },
};
