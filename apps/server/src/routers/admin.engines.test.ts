import { afterEach, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import type { PostgresTx } from "@countersign/db-postgres";
import { schema as pgSchema } from "@countersign/db-postgres";
import { auditEventsTable } from "@countersign/db/schema";
import { createHarness, harnessEngines, refusalOf } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";

interface StoredEvent {
  type: string;
  actorUsername: string | null;
  department: string | null;
  payload: Record<string, unknown>;
}

/** The audit events of `type`, oldest first, as the engine under test stored them. */
async function eventsOf(h: Harness, type: string): Promise<StoredEvent[]> {
  const pick = <T extends { type: string; actorUsername: string | null; department: string | null; payload: string }>(rows: T[]): StoredEvent[] =>
    rows.map((r) => ({ type: r.type, actorUsername: r.actorUsername, department: r.department, payload: JSON.parse(r.payload) as Record<string, unknown> }));
  if (h.engine === "sqlite") {
    const a = auditEventsTable;
    return pick(h.database.db.select().from(a).where(eq(a.type, type)).orderBy(asc(a.seq)).all());
  }
  // The test reads the PostgreSQL table itself: the seam has no verb for reading the trail back yet.
  return h.store.transaction(async (tx) => {
    const a = pgSchema.auditEventsTable;
    return pick(await (tx.db as PostgresTx).select().from(a).where(eq(a.type, type)).orderBy(asc(a.seq)));
  });
}

/** The chain verifies, and holds `added` more events than it did at `before`. */
async function chainGrewBy(h: Harness, before: number, added: number): Promise<void> {
  const verdict = await h.store.verifyAuditChain();
  expect(verdict).toMatchObject({ ok: true, events: before + added });
}

async function chainLength(h: Harness): Promise<number> {
  return (await h.store.verifyAuditChain()).events;
}

describe.each(harnessEngines)("the department register on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });
  const open = async (): Promise<Harness> => {
    h = await createHarness({ engine });
    return h;
  };

  it("lists the departments with their history and finds register units, for the administrator only", async () => {
    const h = await open();
    const departments = await h.as("admin").admin.departments();
    expect(departments.map((d) => d.code)).toContain("MOF");
    expect(departments.find((d) => d.code === "MOF")).toMatchObject({ nameZh: "财政部", kind: expect.any(String), retiredOn: null, history: expect.any(Object) });
    const hits = await h.as("admin").admin.registerSearch({ query: "教育部" });
    expect(hits[0]).toMatchObject({ code: "MOE", present: false });
    expect((await h.as("admin").admin.registerSearch({ query: "财政" })).find((x) => x.code === "MOF")).toMatchObject({ present: true });
    expect(await refusalOf(() => h.as("mof").admin.departments())).toMatchObject({ code: "FORBIDDEN", refusalCode: "admin_only" });
    expect(await refusalOf(() => h.as("miit").admin.registerSearch({ query: "教育" }))).toMatchObject({ refusalCode: "admin_only" });
  });

  it("adds a register unit and a custom one, renames and retires, each with its audit event in the chain", async () => {
    const h = await open();
    const admin = h.as("admin");
    const before = await chainLength(h);
    expect(await admin.admin.addDepartment({ code: "moe" })).toMatchObject({ code: "MOE", nameZh: "教育部", retiredOn: null });
    expect(await admin.admin.addDepartment({ code: "SME_FUND", nameZh: "中小企业发展基金", nameEn: "SME Development Fund" })).toEqual({
      code: "SME_FUND",
      nameZh: "中小企业发展基金",
      nameEn: "SME Development Fund",
      shortZh: "中小企业发展基金",
      shortEn: "SME_FUND",
      kind: "custom",
      retiredOn: null,
    });
    expect(await admin.admin.renameDepartment({ code: "SME_FUND", shortZh: "基金" })).toMatchObject({ code: "SME_FUND", shortZh: "基金", nameZh: "中小企业发展基金" });
    expect(await admin.admin.retireDepartment({ code: "SME_FUND", on: "2026-04-01" })).toMatchObject({ retiredOn: "2026-04-01" });
    await chainGrewBy(h, before, 4);
    expect(await eventsOf(h, "department.added")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorUsername: "admin", department: "MOE", payload: expect.objectContaining({ code: "MOE", source: "register" }) }),
        expect.objectContaining({ actorUsername: "admin", department: "SME_FUND", payload: expect.objectContaining({ source: "administrator", kind: "custom" }) }),
      ]),
    );
    expect(await eventsOf(h, "department.renamed")).toEqual([
      expect.objectContaining({ actorUsername: "admin", payload: { code: "SME_FUND", shortZhBefore: "中小企业发展基金", shortZh: "基金" } }),
    ]);
    expect(await eventsOf(h, "department.retired")).toEqual([expect.objectContaining({ payload: { code: "SME_FUND", retiredOn: "2026-04-01" } })]);
    const listed = await admin.admin.departments();
    expect(listed.find((d) => d.code === "SME_FUND")).toMatchObject({ shortZh: "基金", retiredOn: "2026-04-01" });
    expect(listed.find((d) => d.code === "MOE")).toMatchObject({ kind: expect.any(String) });
  });

  it("refuses: not an administrator, a code already there, an unknown one, a second retirement; nothing is written", async () => {
    const h = await open();
    const before = await chainLength(h);
    expect(await refusalOf(() => h.as("miit").admin.addDepartment({ code: "MOE" }))).toMatchObject({ code: "FORBIDDEN", refusalCode: "admin_only" });
    expect(await refusalOf(() => h.as("mof").admin.retireDepartment({ code: "MOF" }))).toMatchObject({ refusalCode: "admin_only" });
    const admin = h.as("admin");
    expect(await refusalOf(() => admin.admin.addDepartment({ code: "MOF" }))).toMatchObject({ refusalCode: "invalid_input", field: "code" });
    expect(await refusalOf(() => admin.admin.addDepartment({ code: "NOT_IN_REGISTER" }))).toMatchObject({ refusalCode: "invalid_input", field: "nameZh" });
    expect(await refusalOf(() => admin.admin.renameDepartment({ code: "NOPE", nameZh: "无" }))).toMatchObject({ refusalCode: "not_found" });
    await admin.admin.retireDepartment({ code: "NDRC", on: "2026-03-01" });
    expect(await refusalOf(() => admin.admin.retireDepartment({ code: "NDRC" }))).toMatchObject({ refusalCode: "invalid_input", field: "code" });
    // The retirement, and the two acts refused as not an administrator's (FORBIDDEN is kept in the trail); the other
    // refusals wrote nothing.
    await chainGrewBy(h, before, 1 + 2);
    expect((await eventsOf(h, "access.refused")).map((e) => e.actorUsername)).toEqual(["miit", "mof"]);
    expect(await eventsOf(h, "department.added")).toEqual([]);
  });
});
