import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CountersignDb } from "./client.js";
import { isDatabaseBusy } from "./busy.js";
import { migrationsFolder } from "./migrate.js";

/** One migration of the bundled drizzle-kit journal (`drizzle/meta/_journal.json`). */
export interface BundledMigration {
  /** drizzle-kit's name of it, e.g. "0013_inside_a_department". */
  tag: string;
  /** drizzle's `folderMillis`: what `__drizzle_migrations.created_at` holds once it is applied. */
  when: number;
}

let bundled: BundledMigration[] | null = null;

/** The migrations this build ships, oldest first (read once: the journal does not change while the process runs). */
export function bundledMigrations(folder: string = migrationsFolder): BundledMigration[] {
  if (folder !== migrationsFolder) return readJournal(folder);
  bundled ??= readJournal(folder);
  return bundled;
}

function readJournal(folder: string): BundledMigration[] {
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as { entries?: unknown };
  if (!Array.isArray(journal.entries)) throw new Error(`${folder}: the migration journal has no entries`);
  return journal.entries.map((entry: { tag?: unknown; when?: unknown }) => {
    if (typeof entry.tag !== "string" || typeof entry.when !== "number") throw new Error(`${folder}: a journal entry without tag or when`);
    return { tag: entry.tag, when: entry.when };
  });
}

/** Whether the database holds every bundled migration. */
export interface MigrationState {
  /** Migrations recorded in `__drizzle_migrations`. */
  applied: number;
  /** The newest bundled migration's tag. */
  latest: string | null;
  /**
   * Bundled migrations not applied yet, by drizzle's own rule (its migrator applies every migration whose `when` is
   * later than the newest `created_at` recorded), oldest first. Empty when the database is current.
   */
  pending: string[];
}

/** Read-only: compares `__drizzle_migrations` with the bundled journal (a database never migrated has all pending). */
export function migrationState(db: CountersignDb, folder: string = migrationsFolder): MigrationState {
  const migrations = bundledMigrations(folder);
  const sqlite = db.$client;
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  const row =
    table === undefined
      ? { applied: 0, newest: null }
      : (sqlite.prepare("SELECT count(*) AS applied, max(created_at) AS newest FROM __drizzle_migrations").get() as {
          applied: number;
          newest: number | string | null;
        });
  const newest = row.newest === null ? null : Number(row.newest);
  return {
    applied: row.applied,
    latest: migrations.at(-1)?.tag ?? null,
    pending: migrations.filter((m) => newest === null || newest < m.when).map((m) => m.tag),
  };
}

/** The answer of `probeDatabase`. */
export type DatabaseProbe =
  | { reachable: true; migrations: MigrationState; elapsedMs: number }
  | { reachable: false; reason: "busy" | "unreachable"; message: string; elapsedMs: number };

/**
 * Asks the database for its migration state, waiting at most `timeoutMs` milliseconds for a lock (SQLite's busy
 * timeout, set for this one read and restored after; better-sqlite3 blocks the thread while it waits, so keep it
 * short). "busy" when another connection holds a lock that keeps readers out past the bound (an exclusive lock);
 * "unreachable" for any other failure (a closed connection, a missing or corrupt file). Used by `/ready`.
 */
export function probeDatabase(db: CountersignDb, timeoutMs: number, folder: string = migrationsFolder): DatabaseProbe {
  const started = performance.now();
  const elapsedMs = (): number => Math.round(performance.now() - started);
  const sqlite = db.$client;
  if (!sqlite.open) return { reachable: false, reason: "unreachable", message: "The database connection is closed.", elapsedMs: elapsedMs() };
  let previous: number | null = null;
  try {
    previous = Number(sqlite.pragma("busy_timeout", { simple: true }));
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(timeoutMs))}`);
    return { reachable: true, migrations: migrationState(db, folder), elapsedMs: elapsedMs() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { reachable: false, reason: isDatabaseBusy(error) ? "busy" : "unreachable", message, elapsedMs: elapsedMs() };
  } finally {
    if (previous !== null && sqlite.open) sqlite.pragma(`busy_timeout = ${Number.isFinite(previous) ? previous : 0}`);
  }
}
