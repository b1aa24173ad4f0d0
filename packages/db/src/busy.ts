import type { CountersignDb } from "./client.js";

/**
 * True when `error` (or any error in its `cause` chain, e.g. drizzle's DrizzleQueryError around better-sqlite3's
 * SqliteError or node-postgres's error) says another connection holds the lock this statement needs: SQLite's
 * SQLITE_BUSY family, or PostgreSQL's SQLSTATE 55P03 lock_not_available (its `lock_timeout` passed). Such a failure
 * changed nothing (the transaction rolled back or never began), so the caller may run it again.
 */
export function isDatabaseBusy(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code === "55P03")) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Whether a writer could take the database's write lock right now, asked without waiting: BEGIN IMMEDIATE with a
 * busy timeout of 0, then ROLLBACK (nothing is written). False while another process or connection holds the write
 * lock. Used by `/health`, which must answer at once even when the database is busy.
 */
export function writeLockAvailable(db: CountersignDb): boolean {
  const sqlite = db.$client;
  // Inside this connection's own transaction the lock is ours; cannot happen between requests (transactions are synchronous).
  if (sqlite.inTransaction) return true;
  const previous = Number(sqlite.pragma("busy_timeout", { simple: true }));
  sqlite.pragma("busy_timeout = 0");
  try {
    sqlite.exec("BEGIN IMMEDIATE");
    sqlite.exec("ROLLBACK");
    return true;
  } catch (error) {
    if (isDatabaseBusy(error)) return false;
    throw error;
  } finally {
    sqlite.pragma(`busy_timeout = ${Number.isFinite(previous) ? previous : 0}`);
  }
}
