import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { defaultPlan, proposedDivision2020 } from "@countersign/domain";
import { appendAuditEvent, verifyAuditChain, walkAuditChain } from "./audit.js";
import { openDatabase, resolveDatabasePath, writeTransaction } from "./client.js";
import type { OpenedDatabase } from "./client.js";
import { loadDefaultPlan } from "./load-plan.js";
import { auditEventsTable } from "./schema/audit-events.js";
import { departmentsTable } from "./schema/departments.js";
import { measuresTable } from "./schema/measures.js";
import { plansTable } from "./schema/plans.js";
import { responsibilitiesTable } from "./schema/responsibilities.js";

const opened: OpenedDatabase[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fileDatabase(): OpenedDatabase {
  const dir = mkdtempSync(join(tmpdir(), "countersign-db-"));
  dirs.push(dir);
  const o = openDatabase(join(dir, "nested", "countersign.sqlite"));
  opened.push(o);
  return o;
}

describe("openDatabase", () => {
  it("creates the folder, applies the migrations and sets the durability pragmas", () => {
    const { sqlite } = fileDatabase();
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("synchronous", { simple: true })).toBe(2); // FULL
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
    const tables = sqlite
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining(["assignments", "audit_events", "idempotency_keys", "sessions", "users", "extension_requests"]),
    );
  });

  it("resolves DATABASE_PATH, else ./data/countersign.sqlite under the directory the command started in", () => {
    expect(resolveDatabasePath({ DATABASE_PATH: "/x/y.sqlite" })).toBe("/x/y.sqlite");
    expect(resolveDatabasePath({ INIT_CWD: "/repo" })).toBe("/repo/data/countersign.sqlite");
  });

  it("refuses an async callback in a write transaction", () => {
    const { db } = openDatabase(":memory:");
    expect(() => writeTransaction(db, async () => 1)).toThrow(/synchronous/);
  });
});

describe("loadDefaultPlan", () => {
  it("loads the 17 departments and the 2020 plan as a draft, once", () => {
    const { db } = fileDatabase();
    const first = loadDefaultPlan(db);
    const second = loadDefaultPlan(db);
    expect(first.created).toBe(true);
    expect(second).toEqual({ planId: first.planId, created: false });
    expect(db.select({ n: count() }).from(departmentsTable).get()?.n).toBe(17);
    const plan = db.select().from(plansTable).where(eq(plansTable.key, defaultPlan.key)).get();
    expect(plan?.status).toBe("draft");
    expect(db.select({ n: count() }).from(measuresTable).get()?.n).toBe(25);
    expect(db.select({ n: count() }).from(responsibilitiesTable).get()?.n).toBe(proposedDivision2020.length);
    const leads = db
      .select({ n: count() })
      .from(responsibilitiesTable)
      .where(eq(responsibilitiesTable.role, "lead"))
      .get();
    expect(leads?.n).toBe(proposedDivision2020.filter((r) => r.role === "lead").length);
    expect(db.select({ n: count() }).from(auditEventsTable).get()?.n).toBe(1);
  });
});

describe("audit chain", () => {
  function withEvents(n: number): OpenedDatabase {
    const o = fileDatabase();
    writeTransaction(o.db, (tx) => {
      for (let i = 0; i < n; i += 1) {
        appendAuditEvent(tx, {
          at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
          type: "assignment.commented",
          actorUserId: 1,
          actorUsername: "mof",
          actorRole: "liaison",
          actorDepartment: "MOF",
          assignmentId: 7,
          payload: { body: `第${i}条 ✓ مرحبا`, z: 1, a: null },
        });
      }
    });
    return o;
  }

  it("chains events by seq and verifies", () => {
    const { db } = withEvents(5);
    const rows = db.select().from(auditEventsTable).all();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[1]?.prevHash).toBe(rows[0]?.hash);
    expect(rows[0]?.payload).toBe('{"a":null,"body":"第0条 ✓ مرحبا","z":1}');
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, events: 5 });
  });

  it("names the first edited, deleted or reordered event", () => {
    const edited = withEvents(5);
    edited.sqlite.prepare("update audit_events set payload = '{}' where seq = 3").run();
    expect(verifyAuditChain(edited.db)).toMatchObject({ ok: false, firstBroken: { seq: 3 }, reason: "hash_mismatch" });

    const deleted = withEvents(5);
    deleted.sqlite.prepare("delete from audit_events where seq = 2").run();
    expect(verifyAuditChain(deleted.db)).toMatchObject({ ok: false, firstBroken: { seq: 3 }, reason: "seq_gap" });

    const reordered = withEvents(5);
    reordered.db.run(sql`update audit_events set seq = case seq when 2 then 1002 when 3 then 2 else seq end`);
    reordered.db.run(sql`update audit_events set seq = 3 where seq = 1002`);
    expect(verifyAuditChain(reordered.db)).toMatchObject({ ok: false, firstBroken: { seq: 2 } });

    // The chain itself still links after its newest events go; the id counter shows they were there.
    const truncated = withEvents(5);
    truncated.sqlite.prepare("delete from audit_events where seq >= 4").run();
    expect(verifyAuditChain(truncated.db)).toMatchObject({ ok: false, events: 3, firstBroken: { seq: 4 }, reason: "tail_missing" });
  });

  it("keeps the chain head apart, moved by each append, and names swapped ids and a tail cut with its counter reset", () => {
    const o = withEvents(5);
    expect(o.sqlite.prepare("select seq, hash = (select hash from audit_events where seq = 5) as same from audit_chain_head").get()).toEqual({ seq: 5, same: 1 });

    const swapped = withEvents(5);
    swapped.sqlite.exec("update audit_events set id = -1 where seq = 2; update audit_events set id = 2 where seq = 4; update audit_events set id = 4 where id = -1");
    expect(walkAuditChain(swapped.db).chain).toEqual({ id: 4, seq: 2, reason: "id_order" });

    const cut = withEvents(5);
    cut.sqlite.exec("delete from audit_events where seq >= 4; update sqlite_sequence set seq = 3 where name = 'audit_events'");
    expect(verifyAuditChain(cut.db)).toMatchObject({ ok: false, events: 3, firstBroken: { seq: 4 }, reason: "tail_missing" });

    const replaced = withEvents(5);
    replaced.sqlite.exec("update audit_chain_head set hash = 'x'");
    expect(walkAuditChain(replaced.db).tail).toMatchObject({ seq: 5, reason: "head_mismatch" });

    const behind = withEvents(5);
    behind.sqlite.exec("update audit_chain_head set seq = 3");
    expect(walkAuditChain(behind.db).tail).toMatchObject({ seq: 4, reason: "head_behind" });

    const resumed = walkAuditChain(o.db, { from: { seq: 3, hash: String(o.sqlite.prepare("select hash from audit_events where seq = 3").pluck().get()) } });
    expect(resumed).toMatchObject({ events: 5, chain: null, tail: null, verifiedHead: { seq: 5 } });
  });
});
