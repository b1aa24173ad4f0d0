/**
 * A production start on an empty database has no accounts, and no demo accounts are made unless asked (--demo). The
 * first administrator is created with the command line, which works on the database file; until one exists, the
 * server says how at every start.
 */
import { count, eq } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { usersTable } from "@countersign/db/schema";

/** Enabled administrators in the database. */
export function administratorCount(db: Queryable): number {
  return db.select({ n: count() }).from(usersTable).where(eq(usersTable.role, "admin")).get()?.n ?? 0;
}

/**
 * The lines the server prints at start when the database has no administrator yet ([] when it has one): the command
 * that creates the first, with the database path it must be given. The password is read from standard input, never
 * from the command line (where other users of the machine could read it).
 */
export function firstAdministratorHint(db: Queryable, databasePath: string): string[] {
  if (administratorCount(db) > 0) return [];
  return [
    "",
    "No administrator account yet. Create the first one (the password is read from standard input):",
    `  read -rs PASSWORD && printf '%s' "$PASSWORD" | DATABASE_PATH=${databasePath} node apps/server/dist/cli.js user add --username admin --role admin --password-stdin`,
    "Then the coordinator and each department's liaison the same way, e.g.",
    `  ... | DATABASE_PATH=${databasePath} node apps/server/dist/cli.js user add --username miit --role coordinator --department MIIT --password-stdin`,
    "(Demo accounts are made only with --demo.)",
  ];
}
