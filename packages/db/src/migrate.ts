import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { Database as SqliteDatabase } from "better-sqlite3";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { registerSearchFunctions } from "./search.js";

/** The committed drizzle-kit migrations, found beside `src` and `dist` alike. */
export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Applies every committed migration not yet applied (drizzle records them in `__drizzle_migrations`). */
export function migrateDatabase<TSchema extends Record<string, unknown>>(db: BetterSQLite3Database<TSchema> & { $client: SqliteDatabase }): void {
  // Migration 0014 fills the measures' search index through this function.
  registerSearchFunctions(db.$client);
  migrate(db, { migrationsFolder });
}
