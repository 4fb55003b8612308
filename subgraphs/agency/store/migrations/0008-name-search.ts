import { sql, type Kysely, type Migration } from 'kysely';
import { FOLD_CASE } from '../fold-case.js';

// `subjects(filter: { name })` asks for part of a name, anywhere in it. Without an index that
// can find a part of a word, a rare name walks every subject (170 ms at 100,000 subjects, and
// a partner can ask it again and again). Trigram indexes find the names holding the part:
// - SQLite: an FTS5 table with the trigram tokenizer (built into SQLite), kept by triggers on
//   subject_names, so every writer keeps it without knowing of it;
// - PostgreSQL: a pg_trgm GIN index on lower(full), when the extension can be created (it is
//   a trusted extension: the database's owner may). Without it, the filter still answers,
//   by a scan (docs/performance.md says how to add it).
// Either way the index only narrows the subjects to look at; the filter's own comparison
// still decides (scoped/subjects.ts), so a stale or missing index never changes an answer.
export const nameSearchMigration: Migration = {
  async up(db: Kysely<unknown>) {
    if (isPostgres(db)) {
      // Not allowed (not the database's owner), or not installed (no contrib package, a managed
      // service without it): the node starts without the index, as before it.
      await sql`do $$ begin create extension if not exists pg_trgm; exception when others then null; end $$`.execute(db);
      await sql`do $$ begin
        if exists (select 1 from pg_extension where extname = 'pg_trgm') then
          create index if not exists subject_names_by_trigram on subject_names using gin (lower("full") gin_trgm_ops);
        end if;
      end $$`.execute(db);
      return;
    }
    // Names as the filter compares them, lower-cased in every script (store/fold-case.ts).
    const fold = sql.raw(FOLD_CASE);
    await sql`create virtual table subject_names_trigrams using fts5(full, subject_id unindexed, tokenize = 'trigram')`.execute(db);
    await sql`insert into subject_names_trigrams (rowid, full, subject_id) select rowid, ${fold}(full), subject_id from subject_names`.execute(
      db,
    );
    await sql`create trigger subject_names_trigrams_insert after insert on subject_names begin
      insert into subject_names_trigrams (rowid, full, subject_id) values (new.rowid, ${fold}(new.full), new.subject_id);
    end`.execute(db);
    await sql`create trigger subject_names_trigrams_delete after delete on subject_names begin
      delete from subject_names_trigrams where rowid = old.rowid;
    end`.execute(db);
    await sql`create trigger subject_names_trigrams_update after update on subject_names begin
      delete from subject_names_trigrams where rowid = old.rowid;
      insert into subject_names_trigrams (rowid, full, subject_id) values (new.rowid, ${fold}(new.full), new.subject_id);
    end`.execute(db);
  },
};

/** Which store this is, from how its dialect writes a parameter ($1 on PostgreSQL, ? on SQLite). */
function isPostgres(db: Kysely<unknown>): boolean {
  return sql`select ${1}`.compile(db).sql.includes('$1');
}
