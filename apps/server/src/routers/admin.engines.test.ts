import { afterEach, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import type { PostgresTx } from "@countersign/db-postgres";
import { schema as pgSchema } from "@countersign/db-postgres";
import { auditEventsTable } from "@countersign/db/schema";
import { createCaller } from "../router.js";
import type { ActingUser } from "../services/shared/acting-user.js";
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

describe.each(harnessEngines)("account administration on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });
  const open = async (): Promise<Harness> => {
    h = await createHarness({ engine });
    return h;
  };
  /** A caller acting as an account made during the test (the harness's `as` knows only the seed's accounts). */
  const callerAs = (h: Harness, user: ActingUser) => createCaller(h.context(user));

  it("lists every account by user name, for the administrator only", async () => {
    const h = await open();
    const accounts = await h.as("admin").admin.accounts();
    const names = accounts.map((a) => a.username);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(accounts.find((a) => a.username === "mof")).toMatchObject({
      role: "liaison",
      department: "MOF",
      person: { username: "mof", department: { code: "MOF", shortZh: "财政部" } },
      disabled: false,
      openSessions: 0,
      resetPending: false,
    });
    expect(await refusalOf(() => h.as("miit").admin.accounts())).toMatchObject({ code: "FORBIDDEN", refusalCode: "admin_only" });
  });

  it("creates an account with a one-time code, edits it, resets its password, disables and enables it: each act audited", async () => {
    const h = await open();
    const admin = h.as("admin").admin;
    const before = await chainLength(h);
    // A unit of the register the installation lacks (MOE) joins it with its first account.
    const made = await admin.create({ username: "moe.zhang", role: "liaison", department: "MOE", displayNameZh: "张伟", displayNameEn: null, ssoIdentity: null });
    expect(made.account).toMatchObject({ username: "moe.zhang", role: "liaison", department: "MOE", resetPending: true, disabled: false });
    expect(made.reset.link).toBe(`/reset-password#code=${made.reset.code}`);
    const id = made.account.id;
    const edited = await admin.update({ id, displayNameZh: "张伟", displayNameEn: "Zhang Wei", role: "liaison", department: "MOE", ssoIdentity: "zhang@moe" });
    expect(edited).toMatchObject({ sessionsEnded: 0, account: { displayNameEn: "Zhang Wei", ssoIdentity: "zhang@moe" } });
    const reset = await admin.resetPassword({ id });
    expect(reset.code).not.toBe(made.reset.code);
    expect(await admin.disable({ id, reason: "left the ministry" })).toMatchObject({ changed: true, account: { disabled: true } });
    expect(await admin.disable({ id })).toMatchObject({ changed: false });
    expect(await admin.enable({ id })).toMatchObject({ changed: true, account: { disabled: false } });
    // department.added (MOE), user.created, user.password_reset_issued ×2, user.updated, user.disabled, user.enabled.
    await chainGrewBy(h, before, 7);
    expect(await eventsOf(h, "department.added")).toEqual([expect.objectContaining({ actorUsername: "admin", payload: expect.objectContaining({ code: "MOE", source: "register" }) })]);
    expect(await eventsOf(h, "user.created")).toEqual([
      expect.objectContaining({ actorUsername: "admin", department: "MOE", payload: { username: "moe.zhang", role: "liaison", department: "MOE", userId: id } }),
    ]);
    expect((await eventsOf(h, "user.password_reset_issued")).map((e) => e.payload["earlierVoided"])).toEqual([0, 1]);
    expect(await eventsOf(h, "user.updated")).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ changed: "displayNameEn,ssoIdentity", ssoIdentityBefore: null, ssoIdentityAfter: "zhang@moe" }) }),
    ]);
    expect(await eventsOf(h, "user.disabled")).toEqual([expect.objectContaining({ payload: { username: "moe.zhang", userId: id, reason: "left the ministry", sessionsEnded: 0 } })]);
    expect(await eventsOf(h, "user.enabled")).toHaveLength(1);
    const listed = await admin.accounts();
    expect(listed.find((a) => a.id === id)).toMatchObject({ resetPending: true, disabled: false, person: { department: { code: "MOE", shortZh: "教育部" } } });
  });

  it("makes a province's first account: its local register joins, each department audited", async () => {
    const h = await open();
    const made = await h.as("admin").admin.create({ username: "gd-office", role: "coordinator", department: "440000-MIIT", displayNameZh: "广东省领导小组办公室", displayNameEn: null, ssoIdentity: null });
    expect(made.account).toMatchObject({ department: "440000-MIIT" });
    const added = await eventsOf(h, "department.added");
    expect(added.length).toBeGreaterThan(15);
    expect(added.every((e) => e.payload["source"] === "account" && e.payload["organisation"] === "440000")).toBe(true);
    expect(await refusalOf(() => h.as("admin").admin.create({ username: "nowhere", role: "coordinator", department: "449999-MIIT", displayNameZh: "无此单位", displayNameEn: null, ssoIdentity: null }))).toMatchObject({
      refusalCode: "unknown_department",
    });
    expect((await h.store.verifyAuditChain()).ok).toBe(true);
  });

  it("refuses: not an administrator, a taken name or identity, one's own account, the last administrator", async () => {
    const h = await open();
    const admin = h.as("admin").admin;
    const adminId = h.user("admin").id;
    const mofId = h.user("mof").id;
    expect(await refusalOf(() => h.as("miit").admin.disable({ id: mofId }))).toMatchObject({ code: "FORBIDDEN", refusalCode: "admin_only" });
    expect(await refusalOf(() => h.as("mof").admin.create({ username: "x1", role: "observer", department: null, displayNameZh: null, displayNameEn: "X", ssoIdentity: null }))).toMatchObject({
      refusalCode: "admin_only",
    });
    expect(await refusalOf(() => admin.create({ username: "mof", role: "observer", department: null, displayNameZh: null, displayNameEn: "Another", ssoIdentity: null }))).toMatchObject({
      refusalCode: "invalid_input",
      field: "username",
    });
    expect(await refusalOf(() => admin.disable({ id: adminId }))).toMatchObject({ refusalCode: "own_account" });
    expect(await refusalOf(() => admin.update({ id: adminId, displayNameZh: "管理员", displayNameEn: "Administrator", role: "observer", department: null, ssoIdentity: null }))).toMatchObject({
      refusalCode: "own_account",
    });
    // A second administrator, disabled: then the first is the last enabled one, and may not be disabled or demoted.
    const second = await admin.create({ username: "admin2", role: "admin", department: null, displayNameZh: null, displayNameEn: "Second", ssoIdentity: "admin2@gov" });
    expect(await refusalOf(() => admin.create({ username: "admin3", role: "admin", department: null, displayNameZh: null, displayNameEn: "Third", ssoIdentity: "admin2@gov" }))).toMatchObject({
      refusalCode: "invalid_input",
      field: "ssoIdentity",
    });
    await admin.disable({ id: second.account.id });
    const other = callerAs(h, { id: second.account.id, username: "admin2", displayName: "Second", role: "admin", department: null });
    const before = await chainLength(h);
    expect(await refusalOf(() => other.admin.disable({ id: adminId }))).toMatchObject({ code: "PRECONDITION_FAILED", refusalCode: "last_admin" });
    expect(await refusalOf(() => other.admin.update({ id: adminId, displayNameZh: "管理员", displayNameEn: "Administrator", role: "observer", department: null, ssoIdentity: null }))).toMatchObject({
      refusalCode: "last_admin",
    });
    // Refused, nothing written; once the second is enabled again, the first may be disabled by it.
    await chainGrewBy(h, before, 0);
    await admin.enable({ id: second.account.id });
    expect(await other.admin.disable({ id: adminId, reason: "handed over" })).toMatchObject({ changed: true });
    expect((await eventsOf(h, "user.disabled")).map((e) => [e.actorUsername, e.payload["username"]])).toEqual([
      ["admin", "admin2"],
      ["admin2", "admin"],
    ]);
    expect((await h.store.verifyAuditChain()).ok).toBe(true);
  });

  it("two administrators disabling each other at once: one wins, the other is the last administrator and is refused", async () => {
    const h = await open();
    const admin = h.as("admin").admin;
    const adminId = h.user("admin").id;
    const second = await admin.create({ username: "admin2", role: "admin", department: null, displayNameZh: null, displayNameEn: "Second", ssoIdentity: null });
    const other = callerAs(h, { id: second.account.id, username: "admin2", displayName: "Second", role: "admin", department: null });
    const outcomes = await Promise.allSettled([admin.disable({ id: second.account.id }), other.admin.disable({ id: adminId })]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected");
    expect(await refusalOf(() => (refused === undefined ? Promise.resolve() : Promise.reject(refused.reason)))).toMatchObject({ refusalCode: "last_admin" });
    const enabledAdmins = (await admin.accounts()).filter((a) => a.role === "admin" && !a.disabled);
    expect(enabledAdmins).toHaveLength(1);
    expect((await h.store.verifyAuditChain()).ok).toBe(true);
  });

  it("divisions, a department account's part, the leader's approval; the department's people", async () => {
    const h = await open();
    const admin = h.as("admin").admin;
    const before = await chainLength(h);
    const tax = await admin.createDivision({ department: "MOF", nameZh: "税政司", nameEn: "Tax Policy Department" });
    expect(tax).toMatchObject({ department: "MOF", nameZh: "税政司" });
    const made = await admin.create({ username: "mof.tax", role: "liaison", department: "MOF", displayNameZh: "李明", displayNameEn: null, ssoIdentity: null });
    const part = await admin.setDepartmentPart({ id: made.account.id, departmentRole: "handler", divisionId: tax.id });
    expect(part).toMatchObject({ sessionsEnded: 0, account: { username: "mof.tax" } });
    expect(await admin.setDepartmentPart({ id: made.account.id, departmentRole: "handler", divisionId: tax.id })).toMatchObject({ sessionsEnded: 0 });
    expect(await admin.setLeaderApproval({ department: "MOF", required: true })).toEqual({ changed: true });
    expect(await admin.setLeaderApproval({ department: "MOF", required: true })).toEqual({ changed: false });
    // division.created, user.created, user.password_reset_issued, user.department_role_changed, department.leader_approval_set.
    await chainGrewBy(h, before, 5);
    expect(await eventsOf(h, "user.department_role_changed")).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ departmentRoleBefore: "liaison", departmentRoleAfter: "handler", divisionIdAfter: tax.id }) }),
    ]);
    expect(await eventsOf(h, "department.leader_approval_set")).toEqual([expect.objectContaining({ department: "MOF", payload: { required: true } })]);
    const people = await h.as("mof").department.people({});
    expect(people).toMatchObject({ department: "MOF", leaderApproval: true, divisions: [{ id: tax.id, nameZh: "税政司" }] });
    expect(people.people.find((p) => p.username === "mof.tax")).toMatchObject({ departmentRole: "handler", divisionId: tax.id, disabled: false });
    expect(await refusalOf(() => h.as("mof").department.people({ department: "MIIT" }))).toMatchObject({ refusalCode: "not_your_department" });
    expect(await refusalOf(() => h.as("mof").admin.createDivision({ department: "MOF", nameZh: "预算司", nameEn: null }))).toMatchObject({ refusalCode: "admin_only" });
    expect(await refusalOf(() => admin.createDivision({ department: "NOPE", nameZh: "无", nameEn: null }))).toMatchObject({ refusalCode: "unknown_department" });
    expect(await refusalOf(() => admin.setDepartmentPart({ id: made.account.id, departmentRole: "handler", divisionId: 999999 }))).toMatchObject({ refusalCode: "not_found" });
    expect((await h.store.verifyAuditChain()).ok).toBe(true);
  });
});
