import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { isDatabaseBusy, writeLockAvailable } from "./busy.js";
import { openDatabase, writeTransaction } from "./client.js";
import type { OpenedDatabase } from "./client.js";
import { auditEventsTable } from "./schema/audit-events.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function fileDatabase(busyTimeoutMs: number): OpenedDatabase {
  const dir = mkdtempSync(join(tmpdir(), "countersign-busy-"));
  const o = openDatabase(join(dir, "countersign.sqlite"), { busyTimeoutMs });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => o.close());
  return o;
}

describe("a second connection holding the write lock", () => {
  it("makes a write fail as busy after the short timeout, and the health probe say so at once", () => {
    // A busy timeout far above the probe's bound: a probe that waited on it would be seen, on any machine.
    const opened = fileDatabase(1000);
    expect(writeLockAvailable(opened.db)).toBe(true);
    const other = new Database(opened.path);
    cleanups.push(() => other.close());
    other.exec("BEGIN IMMEDIATE");

    const started = performance.now();
    expect(writeLockAvailable(opened.db)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
    // The probe put the connection's own busy timeout back.
    expect(opened.sqlite.pragma("busy_timeout", { simple: true })).toBe(1000);

    let caught: unknown = null;
    try {
      writeTransaction(opened.db, (tx) => tx.select().from(auditEventsTable).all());
    } catch (error) {
      caught = error;
    }
    expect(isDatabaseBusy(caught)).toBe(true);

    other.exec("ROLLBACK");
    expect(writeLockAvailable(opened.db)).toBe(true);
    expect(writeTransaction(opened.db, (tx) => tx.select().from(auditEventsTable).all())).toEqual([]);
  });

  it("tells busy errors (also wrapped as a cause) from others", () => {
    const busy = Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    expect(isDatabaseBusy(busy)).toBe(true);
    expect(isDatabaseBusy(new Error("Failed query", { cause: new Error("x", { cause: busy }) }))).toBe(true);
    expect(isDatabaseBusy(Object.assign(new Error("constraint"), { code: "SQLITE_CONSTRAINT" }))).toBe(false);
    expect(isDatabaseBusy(null)).toBe(false);
    expect(isDatabaseBusy("SQLITE_BUSY")).toBe(false);
  });

  it("counts PostgreSQL's lock_not_available (55P03, its lock_timeout passed) as busy, and not other SQLSTATEs", () => {
    const lockTimeout = Object.assign(new Error("canceling statement due to lock timeout"), { code: "55P03" });
    expect(isDatabaseBusy(new Error("Failed query", { cause: lockTimeout }))).toBe(true);
    expect(isDatabaseBusy(Object.assign(new Error("serialization"), { code: "40001" }))).toBe(false);
    expect(isDatabaseBusy(Object.assign(new Error("unique"), { code: "23505" }))).toBe(false);
  });
});
