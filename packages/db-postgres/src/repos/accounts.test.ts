import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { PostgresConnection } from "../connect.js";
import { migratedDatabase } from "../test-support/databases.js";
import { postgresRepositories } from "./repositories.js";

// The accounts repository lists by user name in SQLite's order (the bytes), whatever the cluster's locale: a
// deployment's cluster is seldom initialised with the C locale the test cluster has.
describe("the PostgreSQL accounts repository", () => {
  let disposeDatabase: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await disposeDatabase?.();
    disposeDatabase = null;
  });

  it("lists accounts in byte order of their user names even where the column's collation orders otherwise", async () => {
    const { connection, dispose } = await migratedDatabase();
    disposeDatabase = dispose;
    await collateByLanguage(connection);
    const repos = postgresRepositories(connection.db);
    const names = ["ab", "B", "a-c", "a.b", "a_b", "Zed", "z"];
    for (const username of names) {
      await repos.accounts.insert({
        username,
        displayName: username,
        displayNameZh: null,
        displayNameEn: username,
        role: "observer",
        department: null,
        ssoIdentity: null,
        passwordHash: "x",
        createdAt: "2026-03-02T02:00:00.000Z",
      });
    }
    const bytewise = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    // The column's own order differs (so the test can fail): ICU's root collation puts "ab" before "B".
    const columnOrder = await connection.db.execute<{ username: string }>(sql`select username from users order by username`);
    expect(columnOrder.rows.map((r) => r.username)).not.toEqual(bytewise);
    expect((await repos.accounts.list()).map((a) => a.username)).toEqual(bytewise);
  });
});

/** Gives `users.username` ICU's language-neutral collation, as a cluster initialised with a language locale would. */
async function collateByLanguage(connection: PostgresConnection): Promise<void> {
  await connection.db.execute(sql`alter table users alter column username type text collate "und-x-icu"`);
}
