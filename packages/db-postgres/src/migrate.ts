import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type { PostgresConnection } from "./connect.js";

/** The committed drizzle-kit migrations, found beside `src` and `dist` alike. */
export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

// Any fixed 64-bit key, the same in every instance: "countersign migrations".
const migrationLockKey = 7_345_913_042_117n;

/**
 * Applies every committed migration not yet applied (drizzle records them in `drizzle.__drizzle_migrations`).
 * Several instances starting at once on one database take turns on a session-level advisory lock, so each
 * migration runs once. Needs a pool of at least two connections (one holds the lock).
 */
export async function migratePostgres(connection: PostgresConnection): Promise<void> {
  const lock = await connection.pool.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [migrationLockKey.toString()]);
    try {
      await migrate(connection.db, { migrationsFolder });
    } finally {
      await lock.query("select pg_advisory_unlock($1)", [migrationLockKey.toString()]);
    }
  } finally {
    lock.release();
  }
}
