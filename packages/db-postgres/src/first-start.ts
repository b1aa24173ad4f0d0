import { count, eq } from "drizzle-orm";
import type { ActorRole } from "@countersign/domain";
import type { PostgresConnection } from "./connect.js";
import { copyFromSqlite, nonEmptyTables } from "./copy-from-sqlite.js";
import type { CopyFromSqliteReport } from "./copy-from-sqlite.js";
import { migratePostgres } from "./migrate.js";
import { plansTable } from "./schema/plans.js";
import { usersTable } from "./schema/users.js";

// Any fixed 64-bit key, the same in every instance, other than the migrations' own: "countersign first start".
const firstStartLockKey = 7_345_913_042_118n;

/** What `seedEmptyDatabase` did. */
export type FirstStartSeed<T> =
  | { seeded: true; built: T; report: CopyFromSqliteReport }
  | { seeded: false; nonEmpty: string[] };

/**
 * A server's first start on an empty PostgreSQL database: applies the migrations, and only when no table holds a row
 * yet, `build()` writes a SQLite file (the default plan, the demo: the same code as on SQLite) and `copyFromSqlite`
 * copies it in (one transaction, chain and counts re-verified). Instances starting together take turns on a
 * session-level advisory lock, so one copies and the others find the data there; a database holding any row is left
 * alone (`seeded: false`, naming the tables). The pool needs at least three connections (the lock, the migrations'
 * lock, the copy).
 * Errors: `build`'s; `copyFromSqlite`'s; an Error when the copy's verification fails (counts, chain), with the copy
 * committed: start again after looking (the database is no longer empty, so nothing is copied twice).
 */
export async function seedEmptyDatabase<T>(
  connection: PostgresConnection,
  build: () => Promise<{ sqlitePath: string; built: T }>,
): Promise<FirstStartSeed<T>> {
  await migratePostgres(connection);
  const lock = await connection.pool.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [firstStartLockKey.toString()]);
    try {
      const nonEmpty = await nonEmptyTables(lock);
      if (nonEmpty.length > 0) return { seeded: false, nonEmpty: nonEmpty.map((t) => t.table) };
      const { sqlitePath, built } = await build();
      const report = await copyFromSqlite(sqlitePath, connection);
      if (!report.ok) {
        const mismatched = report.tables.filter((t) => t.source !== t.target).map((t) => t.table);
        throw new Error(
          `first start: the copy into PostgreSQL did not verify (${mismatched.length > 0 ? `counts differ in ${mismatched.join(", ")}; ` : ""}` +
            `chain ${report.chain.ok ? "verified" : "did not verify"}; ${report.countMismatches.length} kept counts disagree)`,
        );
      }
      return { seeded: true, built, report };
    } finally {
      await lock.query("select pg_advisory_unlock($1)", [firstStartLockKey.toString()]);
    }
  } finally {
    lock.release();
  }
}

/** How many accounts of this role exist (the start-up lines: is there an administrator yet). */
export async function postgresAccounts(connection: PostgresConnection, role: ActorRole): Promise<number> {
  const rows = await connection.db.select({ n: count() }).from(usersTable).where(eq(usersTable.role, role));
  return rows[0]?.n ?? 0;
}

/** Whether an account of this name exists. */
export async function postgresAccountExists(connection: PostgresConnection, username: string): Promise<boolean> {
  const rows = await connection.db.select({ id: usersTable.id }).from(usersTable).where(eq(usersTable.username, username)).limit(1);
  return rows.length > 0;
}

/** The id of the plan with this key, or null. */
export async function postgresPlanIdByKey(connection: PostgresConnection, key: string): Promise<number | null> {
  const rows = await connection.db.select({ id: plansTable.id }).from(plansTable).where(eq(plansTable.key, key)).limit(1);
  return rows[0]?.id ?? null;
}
