import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { appendAuditEvent, verifyAuditChain } from "./audit.js";
import { isDatabaseBusy } from "./busy.js";
import { openDatabase, writeTransaction } from "./client.js";
import { GroupCommit } from "./group-commit.js";
import { createSqliteStore } from "./store/sqlite-store.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** A database file as the server opens one (WAL, synchronous = FULL) with one table, and a second connection on it. */
function files(): { sqlite: SqliteDatabase; other: SqliteDatabase; count: () => number; values: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), "countersign-group-commit-"));
  const path = join(dir, "db.sqlite");
  const sqlite = new Database(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("busy_timeout = 0");
  sqlite.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
  const other = new Database(path);
  other.pragma("busy_timeout = 0");
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => sqlite.close(),
    () => other.close(),
  );
  // Read on the second connection: it sees only what has committed.
  const count = () => (other.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n;
  const values = () => (other.prepare("SELECT v FROM t ORDER BY id").all() as { v: string }[]).map((r) => r.v);
  return { sqlite, other, count, values };
}

const insert = (sqlite: SqliteDatabase, v: string) => () => Number(sqlite.prepare("INSERT INTO t (v) VALUES (?)").run(v).lastInsertRowid);

describe("GroupCommit", () => {
  it("commits the writes asked for in one turn in one transaction, and answers each only once committed", async () => {
    const { sqlite, count, values } = files();
    const writes = new GroupCommit(sqlite, { enabled: true, maxBatch: 64, maxWaitMs: 0 });
    const seenAtAnswer: number[] = [];
    const answers = ["a", "b", "c", "d"].map((v) =>
      writes.run(insert(sqlite, v)).then((id) => {
        seenAtAnswer.push(count());
        return id;
      }),
    );
    // Nothing ran yet: the batch waits for the end of this turn.
    expect(count()).toBe(0);
    expect(await Promise.all(answers)).toEqual([1, 2, 3, 4]);
    // Every answer came after the COMMIT: another connection already saw all four rows.
    expect(seenAtAnswer).toEqual([4, 4, 4, 4]);
    expect(values()).toEqual(["a", "b", "c", "d"]);
    expect(writes.stats()).toEqual({ batches: 1, writes: 4 });
    expect(sqlite.inTransaction).toBe(false);
  });

  it("undoes a refused write alone: its neighbours in the batch are kept, each settles on its own", async () => {
    const { sqlite, values } = files();
    const writes = new GroupCommit(sqlite, { enabled: true, maxBatch: 64, maxWaitMs: 0 });
    const refused = new Error("refused");
    const results = await Promise.allSettled([
      writes.run(insert(sqlite, "first")),
      writes.run(() => {
        insert(sqlite, "written, then refused")();
        throw refused;
      }),
      // A constraint failure in the middle (duplicate value) is undone alone too.
      writes.run(insert(sqlite, "first")),
      writes.run(insert(sqlite, "last")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect(results[1]).toEqual({ status: "rejected", reason: refused });
    expect(values()).toEqual(["first", "last"]);
    expect(writes.stats().batches).toBe(1);
  });

  it("nests a write's own writeTransaction as a savepoint, and appends the audit chain in commit order", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-group-commit-"));
    const opened = openDatabase(join(dir, "db.sqlite"));
    cleanups.push(
      () => rmSync(dir, { recursive: true, force: true }),
      () => opened.close(),
    );
    const writes = new GroupCommit(opened.sqlite, { enabled: true, maxBatch: 64, maxWaitMs: 0 });
    const event = (n: number) => ({
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
      type: "measure.closed" as const,
      actorUserId: null,
      actorUsername: "tester",
      actorRole: "coordinator" as const,
      actorDepartment: null,
      planId: null,
      measureNumber: n,
      assignmentId: null,
      department: null,
      fromStatus: null,
      toStatus: null,
      payload: {},
    });
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((n) =>
        writes.run(() =>
          writeTransaction(opened.db, (tx) => {
            const row = appendAuditEvent(tx, event(n));
            if (n === 3) throw new Error("refused after appending");
            return row.seq;
          }),
        ),
      ),
    );
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : "refused"))).toEqual([1, 2, "refused", 3, 4]);
    expect(verifyAuditChain(opened.db)).toMatchObject({ ok: true, events: 4 });
    expect(writes.stats()).toEqual({ batches: 1, writes: 5 });
  });

  it("refuses every write of a batch as busy when another connection holds the write lock, storing none; they run again later", async () => {
    const { sqlite, other, count } = files();
    const writes = new GroupCommit(sqlite, { enabled: true, maxBatch: 64, maxWaitMs: 0 });
    other.exec("BEGIN IMMEDIATE");
    const results = await Promise.allSettled([writes.run(insert(sqlite, "x")), writes.run(insert(sqlite, "y"))]);
    expect(results.every((r) => r.status === "rejected" && isDatabaseBusy(r.reason))).toBe(true);
    other.exec("ROLLBACK");
    expect(count()).toBe(0);
    expect(sqlite.inTransaction).toBe(false);
    await Promise.all([writes.run(insert(sqlite, "x")), writes.run(insert(sqlite, "y"))]);
    expect(count()).toBe(2);
  });

  it("waits for a unit of work of the async store open on the same connection, then commits", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-group-commit-"));
    const opened = openDatabase(join(dir, "db.sqlite"));
    cleanups.push(
      () => rmSync(dir, { recursive: true, force: true }),
      () => opened.close(),
    );
    opened.sqlite.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
    const store = createSqliteStore(opened);
    const writes = new GroupCommit(opened.sqlite, { enabled: true, maxBatch: 64, maxWaitMs: 0 });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const order: string[] = [];
    const unitOfWork = store.transaction(async (tx) => {
      tx.db.run(sql`INSERT INTO t (v) VALUES ('unit of work')`);
      await held;
      order.push("unit of work");
    });
    await new Promise((resolve) => setImmediate(resolve));
    const batch = writes.run(insert(opened.sqlite, "batch")).then(() => order.push("batch"));
    // The batch's turn comes after the unit of work: nothing of it runs inside that open transaction.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writes.stats().batches).toBe(0);
    release();
    await Promise.all([unitOfWork, batch]);
    expect(order).toEqual(["unit of work", "batch"]);
    expect(opened.sqlite.prepare("SELECT v FROM t ORDER BY id").all()).toEqual([{ v: "unit of work" }, { v: "batch" }]);
  });

  it("keeps to maxBatch writes per transaction", async () => {
    const { sqlite, values } = files();
    const writes = new GroupCommit(sqlite, { enabled: true, maxBatch: 2, maxWaitMs: 0 });
    await Promise.all(["a", "b", "c", "d", "e"].map((v) => writes.run(insert(sqlite, v))));
    expect(values()).toEqual(["a", "b", "c", "d", "e"]);
    expect(writes.stats()).toEqual({ batches: 3, writes: 5 });
  });

  it("waits up to maxWaitMs for writes asked for later to join the batch", async () => {
    const { sqlite, values } = files();
    const writes = new GroupCommit(sqlite, { enabled: true, maxBatch: 64, maxWaitMs: 200 });
    const first = writes.run(insert(sqlite, "a"));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = writes.run(insert(sqlite, "b"));
    await Promise.all([first, second]);
    expect(values()).toEqual(["a", "b"]);
    expect(writes.stats()).toEqual({ batches: 1, writes: 2 });
  });

  it("turned off, runs and commits each write at once, as before", async () => {
    const { sqlite, count } = files();
    const writes = new GroupCommit(sqlite, { enabled: false, maxBatch: 64, maxWaitMs: 0 });
    const answer = writes.run(() => writeTransactionOn(sqlite, "a"));
    // Committed before run() returned.
    expect(count()).toBe(1);
    expect(await answer).toBe(1);
    expect(writes.stats()).toEqual({ batches: 0, writes: 0 });
  });

  it("refuses an async write (its writes would land after the COMMIT)", async () => {
    const { sqlite, count } = files();
    const writes = new GroupCommit(sqlite, { enabled: true, maxBatch: 64, maxWaitMs: 0 });
    await expect(writes.run(async () => 1)).rejects.toThrow(/synchronous/);
    await writes.run(insert(sqlite, "after"));
    expect(count()).toBe(1);
  });
});

function writeTransactionOn(sqlite: SqliteDatabase, v: string): number {
  return sqlite.transaction(() => insert(sqlite, v)())();
}
