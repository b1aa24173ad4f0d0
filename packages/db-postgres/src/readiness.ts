import { bundledMigrations } from "@countersign/db";
import type { DatabaseProbe, MigrationState } from "@countersign/db";
import type { PostgresConnection } from "./connect.js";
import { migrationsFolder } from "./migrate.js";

/**
 * Read-only: compares `drizzle.__drizzle_migrations` with this build's PostgreSQL journal (`drizzle/meta/_journal.json`),
 * by drizzle's own rule as SQLite's `migrationState` does (its migrator applies every migration whose `when` is later
 * than the newest `created_at` recorded). A database never migrated has every migration pending.
 * Errors: whatever the connection throws (unreachable server, refused login).
 */
export async function postgresMigrationState(connection: PostgresConnection, folder: string = migrationsFolder): Promise<MigrationState> {
  const migrations = bundledMigrations(folder);
  const found = await connection.pool.query<{ present: boolean }>("select to_regclass('drizzle.__drizzle_migrations') is not null as present");
  let applied = 0;
  let newest: number | null = null;
  if (found.rows[0]?.present === true) {
    // created_at is a bigint: node-postgres returns it as text.
    const row = await connection.pool.query<{ applied: number; newest: string | null }>(
      "select count(*)::int as applied, max(created_at)::text as newest from drizzle.__drizzle_migrations",
    );
    applied = row.rows[0]?.applied ?? 0;
    const n = row.rows[0]?.newest ?? null;
    newest = n === null ? null : Number(n);
  }
  return {
    applied,
    latest: migrations.at(-1)?.tag ?? null,
    pending: migrations.filter((m) => newest === null || newest < m.when).map((m) => m.tag),
  };
}

/**
 * `/ready`'s question on PostgreSQL: does the database answer within `timeoutMs` milliseconds, and with which
 * migrations. "busy" when it did not answer in time (the pool had no free connection, the server is slow or the
 * network hangs); "unreachable" when it failed (server stopped, login refused). A late answer is dropped, not awaited:
 * the pool's own connection timeout ends it.
 */
export async function probePostgres(connection: PostgresConnection, timeoutMs: number, folder: string = migrationsFolder): Promise<DatabaseProbe> {
  const started = performance.now();
  const elapsedMs = (): number => Math.round(performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), Math.max(0, Math.floor(timeoutMs)));
  });
  const state = postgresMigrationState(connection, folder);
  // Its rejection is handled below or, after a timeout, here: never an unhandled rejection.
  state.catch(() => undefined);
  try {
    const answer = await Promise.race([state, late]);
    if (answer === "late") {
      return { reachable: false, reason: "busy", message: `no answer within ${timeoutMs} ms`, elapsedMs: elapsedMs() };
    }
    return { reachable: true, migrations: answer, elapsedMs: elapsedMs() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { reachable: false, reason: "unreachable", message, elapsedMs: elapsedMs() };
  } finally {
    clearTimeout(timer);
  }
}
