// What only the PostgreSQL adapter has: its migrations (and that they mirror SQLite's tables), the retry of units
// of work that fail to serialise, and the LISTEN connection coming back after it is lost.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "@countersign/db";
import type { LiveEvent } from "@countersign/db";
import { connectPostgres } from "./connect.js";
import { PostgresLiveEventBus } from "./live-bus.js";
import { migratePostgres, migrationsFolder } from "./migrate.js";
import { createPostgresStore, sqlState } from "./store.js";
import { freshDatabaseUrl, migratedDatabase } from "./test-support/databases.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function database() {
  const d = await migratedDatabase();
  cleanups.push(d.dispose);
  return d;
}

describe("the PostgreSQL migrations", () => {
  it("create every SQLite table with the same columns (so a copy is row for row), plus the chain head", async () => {
    const { connection } = await database();
    const pgColumns = await connection.pool.query<{ table_name: string; column_name: string; is_nullable: string }>(
      `select table_name, column_name, is_nullable from information_schema.columns
       where table_schema = 'public' order by table_name, column_name`,
    );
    const sqlite = openDatabase(":memory:");
    cleanups.push(async () => sqlite.close());
    const tables = sqlite.sqlite
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'")
      .all() as { name: string }[];
    const sqliteColumns = tables.flatMap(({ name }) =>
      (sqlite.sqlite.prepare(`pragma table_info(${name})`).all() as { name: string; notnull: number; pk: number }[]).map(
        (c) => `${name}.${c.name} ${c.notnull === 1 || c.pk === 1 ? "NO" : "YES"}`,
      ),
    );
    const mirrored = pgColumns.rows
      .filter((r) => r.table_name !== "audit_chain_head")
      .map((r) => `${r.table_name}.${r.column_name} ${r.is_nullable}`);
    expect(mirrored.sort()).toEqual(sqliteColumns.sort());
    expect(pgColumns.rows.filter((r) => r.table_name === "audit_chain_head").map((r) => r.column_name).sort()).toEqual([
      "hash",
      "last_id",
      "one",
      "seq",
    ]);
    const triggers = await connection.pool.query<{ tgname: string }>(
      "select tgname from pg_trigger where not tgisinternal and tgrelid = 'assignments'::regclass order by tgname",
    );
    expect(triggers.rows.map((r) => r.tgname)).toEqual(["assignment_counts_delete", "assignment_counts_insert", "assignment_counts_update"]);
  });

  it("apply once when several instances start together, and again as a no-op", async () => {
    const { url, drop } = await freshDatabaseUrl();
    const instances = [connectPostgres(url), connectPostgres(url), connectPostgres(url)];
    cleanups.push(async () => {
      for (const c of instances) await c.close();
      await drop();
    });
    await Promise.all(instances.map((c) => migratePostgres(c)));
    await migratePostgres(instances[0] ?? connectPostgres(url));
    const applied = await instances[1]?.pool.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
    // Every migration of the journal, once (counted from it, so a new migration needs no edit here).
    const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    expect(applied?.rows[0]?.n).toBe(journal.entries.length);
    const head = await instances[2]?.pool.query("select seq, last_id, hash from audit_chain_head");
    expect(head?.rows).toEqual([{ seq: 0, last_id: 0, hash: "0".repeat(64) }]);
  });
});

describe("the PostgreSQL unit of work", () => {
  /** Two serializable units of work that each read the other's write set: one of them fails to serialise. */
  async function writeSkew(maxAttempts: number) {
    const { connection } = await database();
    const retries: string[] = [];
    const store = createPostgresStore(connection, { maxAttempts, onRetry: (_n, state) => retries.push(state) });
    cleanups.push(() => store.close());
    let runs = 0;
    // Both read the keys of user 1 and then add one: under SERIALIZABLE, PostgreSQL refuses the second to commit.
    const both = await Promise.allSettled(
      ["a", "b"].map((key) =>
        store.transaction(
          async (tx) => {
            runs += 1;
            const before = await tx.db.execute<{ n: number }>(sql`select count(*)::int as n from idempotency_keys where user_id = 1`);
            await sleep(50);
            await tx.db.execute(
              sql`insert into idempotency_keys (user_id, key, procedure, request_hash, response, created_at)
                  values (1, ${key}, 'p', 'h', ${String(before.rows[0]?.n)}, '2026-01-01T00:00:00.000Z')`,
            );
          },
          { isolation: "serializable" },
        ),
      ),
    );
    const rows = await connection.pool.query<{ key: string; response: string }>("select key, response from idempotency_keys order by response");
    return { both, retries, runs, rows: rows.rows };
  }

  it("retries a unit of work that failed to serialise (SQLSTATE 40001) until it commits", async () => {
    const { both, retries, runs, rows } = await writeSkew(5);
    expect(both.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(retries).toContain("40001");
    expect(runs).toBeGreaterThanOrEqual(3);
    // Retried from the start, the second saw the first one's row: serial results.
    expect(rows.map((r) => r.response)).toEqual(["0", "1"]);
  });

  it("gives up after maxAttempts and rethrows the serialisation failure", async () => {
    const { both, runs } = await writeSkew(1);
    const failed = both.filter((r) => r.status === "rejected");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.status === "rejected" && sqlState(failed[0].reason)).toBe("40001");
    expect(runs).toBe(2);
  });
});

describe("the LISTEN/NOTIFY live-event bus", () => {
  const event = (planId: number): LiveEvent => ({
    planId,
    assignmentIds: [1],
    measureNumbers: [1],
    departments: ["MOF"],
    audience: ["MOF"],
    at: "2026-01-03T00:00:00.000Z",
  });

  it("listens again after its connection is ended, and hears what is published afterwards", async () => {
    const { connection, url } = await database();
    const listening = new PostgresLiveEventBus(url, connection.pool, 100);
    const publishing = new PostgresLiveEventBus(url, connection.pool);
    cleanups.push(async () => {
      await listening.close();
      await publishing.close();
    });
    const heard: number[] = [];
    await listening.subscribe((e) => heard.push(e.planId));
    await publishing.publish(event(1));
    const pid = await listening.listenerBackendPid();
    expect(pid).not.toBeNull();
    await connection.pool.query("select pg_terminate_backend($1)", [pid]);
    const deadline = Date.now() + 5000;
    // Listening again: a live connection with another server process.
    const listeningAgain = async () => {
      const now = await listening.listenerBackendPid();
      return now !== null && now !== pid;
    };
    while (Date.now() < deadline && !(await listeningAgain())) await sleep(50);
    expect(await listeningAgain()).toBe(true);
    await publishing.publish(event(2));
    while (Date.now() < deadline && !heard.includes(2)) await sleep(20);
    expect(heard).toEqual([1, 2]);
  });
});
