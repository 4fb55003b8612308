import type { Migration, MigrationProvider } from 'kysely';
import { records } from './0001-records.js';
import { disclosure } from './0002-disclosure.js';
import { auditMigration } from './0003-audit.js';
import { unListMigration } from './0004-un-list.js';
import { screeningMigration } from './0005-screening.js';
import { witnessingMigration } from './0006-witnessing.js';
import { listOrderMigration } from './0007-list-order.js';
import { nameSearchMigration } from './0008-name-search.js';
import { cooperationMigration } from './0009-cooperation.js';

// Migrations are code, one file each, applied in name order on every start; written with
// Kysely's schema builder so the same steps run on SQLite and PostgreSQL. The names are the
// ones stores already carry in kysely_migration: never rename one, only add the next.

const MIGRATIONS: Record<string, Migration> = {
  '0001_records': records,
  '0002_disclosure': disclosure,
  '0003_audit': auditMigration,
  '0004_un_list': unListMigration,
  '0005_screening': screeningMigration,
  '0006_witnessing': witnessingMigration,
  '0007_list_order': listOrderMigration,
  '0008_name_search': nameSearchMigration,
  '0009_cooperation': cooperationMigration,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};
