import { sql, type Kysely, type Migration } from 'kysely';

// The records themselves: subjects, notices, cases and their lists, each list in the owner's order.
export const records: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('subjects')
      .addColumn('local_id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('gender', 'text')
      .execute();
    await ordinalChild(db, 'subject_names', 'subject_id', 'subjects')
      .addColumn('full', 'text', (c) => c.notNull())
      .addColumn('script', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('quality', 'text')
      .execute();
    await ordinalChild(db, 'subject_birth_dates', 'subject_id', 'subjects')
      .addColumn('qualifier', 'text', (c) => c.notNull())
      .addColumn('date', 'text')
      .addColumn('date_from', 'text')
      .addColumn('date_to', 'text')
      .execute();
    await ordinalChild(db, 'subject_nationalities', 'subject_id', 'subjects')
      .addColumn('country', 'text', (c) => c.notNull())
      .execute();
    await ordinalChild(db, 'subject_documents', 'subject_id', 'subjects')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('issuing_country', 'text')
      .execute();

    await db.schema
      .createTable('notices')
      .addColumn('local_id', 'text', (c) => c.primaryKey())
      .addColumn('colour', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.local_id'))
      .addColumn('reference', 'text', (c) => c.notNull())
      .addColumn('issued_on', 'text', (c) => c.notNull())
      .addColumn('requesting_country', 'text')
      .execute();
    await db.schema.createIndex('notices_by_colour').on('notices').columns(['colour', 'issued_on']).execute();
    await db.schema.createIndex('notices_by_subject').on('notices').column('subject_id').execute();
    await ordinalChild(db, 'notice_recipients', 'notice_id', 'notices')
      .addColumn('agency', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('texts')
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('ordinal', 'integer', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('original', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('texts_pk', ['owner_id', 'field', 'ordinal'])
      .execute();

    await db.schema
      .createTable('cases')
      .addColumn('local_id', 'text', (c) => c.primaryKey())
      .addColumn('reference', 'text', (c) => c.notNull().unique())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('opened_on', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('case_crime_types')
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.local_id'))
      .addColumn('crime_type', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('case_crime_types_pk', ['case_id', 'crime_type'])
      .execute();
    await db.schema.createIndex('cases_by_crime_type').on('case_crime_types').columns(['crime_type', 'case_id']).execute();
    await ordinalChild(db, 'case_subjects', 'case_id', 'cases')
      .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.local_id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('case_subjects_by_subject').on('case_subjects').column('subject_id').execute();
    await ordinalChild(db, 'case_agencies', 'case_id', 'cases')
      .addColumn('agency', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('subject_names_by_name')
      .on('subject_names')
      .expression(sql`lower(${sql.ref('full')})`)
      .execute();
  },
};

/** A child table keyed by (parent, ordinal), so a record's list keeps the owner's order. */
function ordinalChild(db: Kysely<unknown>, table: string, parentColumn: string, parentTable: string) {
  return db.schema
    .createTable(table)
    .addColumn(parentColumn, 'text', (c) => c.notNull().references(`${parentTable}.local_id`))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${table}_pk`, [parentColumn, 'ordinal']);
}
