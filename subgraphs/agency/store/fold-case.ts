// Lower case in every script, for SQLite. Its lower() folds ASCII letters only, so "Đặng" or
// "Élodie" would never match a name filter; PostgreSQL's lower() folds every script. Every
// SQLite connection a store opens registers this function (open.ts); the name search's
// triggers (migration 0008) and the name filter (scoped/subjects.ts) call it.

/** The SQL function's name. */
export const FOLD_CASE = 'fold_case';

/** What it does: JavaScript's toLowerCase, as the filter's own pattern is made. */
export function foldCase(text: unknown): unknown {
  return typeof text === 'string' ? text.toLowerCase() : text;
}
