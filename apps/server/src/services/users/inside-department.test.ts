import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyStoredAuditTrail } from "../../security/audit-verification.js";
import { createHarness, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { auditEventsOf } from "../../test-support/store-reads.js";

let h: Harness;
let divisions: { tax: number; budget: number };

/** An account of a department with a part in it, made as the administrator makes it. */
async function person(username: string, department: string, part: "handler" | "leader", divisionId: number | null = null): Promise<number> {
  const admin = h.as("admin");
  const { account } = await admin.admin.create({ username, role: "liaison", department, displayNameZh: "张伟", displayNameEn: null, ssoIdentity: null });
  await admin.admin.setDepartmentPart({ id: account.id, departmentRole: part, divisionId });
  return account.id;
}

async function ref(measureNumber: number, department: string): Promise<{ id: number; expectedVersion: number }> {
  const overview = await h.as("observer").tracking.overview({ planId: h.planId });
  const a = overview.measures.find((m) => m.number === measureNumber)?.assignments.find((x) => x.department === department);
  if (a === undefined) throw new Error(`no assignment of ${department} on (${measureNumber})`);
  return { id: a.id, expectedVersion: a.version };
}

beforeEach(async () => {
  h = await createHarness();
  await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30", dueDates: [{ measureNumber: 24, dueDate: "ongoing" }] });
  const admin = h.as("admin");
  divisions = {
    tax: (await admin.admin.createDivision({ department: "MOF", nameZh: "税政司", nameEn: "Tax Policy Department" })).id,
    budget: (await admin.admin.createDivision({ department: "MOF", nameZh: "预算司", nameEn: null })).id,
  };
});
afterEach(() => h.close());

describe("inside a department: 分办, the handler's inbox, the leader's approval", () => {
  it("offers 分办 only when the department has a handler, and otherwise says how to add one", async () => {
    const mof = h.as("mof");
    await mof.assignment.accept(await ref(7, "MOF"));
    const availability = async () => (await mof.assignment.get({ id: (await ref(7, "MOF")).id })).actionAvailability.find((a) => a.action === "assignHandler");
    // MOF has divisions but no handler yet: not offered, and the refusal says who adds one, and where.
    expect(await availability()).toMatchObject({ allowed: false, refusal: { code: "no_handler" } });
    expect((await availability())?.refusal?.message).toMatch(/administrator adds a division and a handler on the Administration page/);
    expect((await mof.assignment.get({ id: (await ref(7, "MOF")).id })).allowedActions).not.toContain("assignHandler");
    // The server refuses it the same way whatever the client offers.
    expect(await refusalOf(async () => mof.assignment.assignHandler({ ...(await ref(7, "MOF")), divisionId: divisions.tax, handlerId: 1, note: "税政司承办" }))).toMatchObject({
      refusalCode: "no_handler",
    });
    // A leader is not someone to hand work to; a disabled handler neither.
    await person("mof.leader", "MOF", "leader");
    expect(await availability()).toMatchObject({ allowed: false });
    const handlerId = await person("mof.tax", "MOF", "handler", divisions.tax);
    expect(await availability()).toMatchObject({ allowed: true, refusal: null });
    await h.as("admin").admin.disable({ id: handlerId });
    expect(await availability()).toMatchObject({ allowed: false, refusal: { code: "no_handler" } });
  });

  it("the liaison hands work to a handler, who reports and drafts the sign-off; the leader returns it, then approves it", async () => {
    const handlerId = await person("mof.tax", "MOF", "handler", divisions.tax);
    await person("mof.budget", "MOF", "handler", divisions.budget);
    await person("mof.leader", "MOF", "leader");
    await person("ndrc.leader", "NDRC", "leader");
    await h.as("admin").admin.setLeaderApproval({ department: "MOF", required: true });

    // (7): STA leads, MOF supports.
    await h.as("mof").assignment.accept(await ref(7, "MOF"));
    const given = await h.as("mof").assignment.assignHandler({ ...(await ref(7, "MOF")), divisionId: divisions.tax, handlerId, note: "税政司承办" });
    expect(given).toMatchObject({ divisionId: divisions.tax, handlerUserId: handlerId, status: "accepted" });

    // The handler's inbox: what was given to them; the other division's handler sees none of it; the department's inbox everything.
    const mine = await h.as("mof.tax").inbox.list({ planId: h.planId });
    expect(mine.rows.map((r) => r.id)).toEqual([given.id]);
    expect(mine.total).toBe(1);
    expect((await h.as("mof.budget").inbox.list({ planId: h.planId })).rows).toEqual([]);
    expect((await h.as("mof").inbox.list({ planId: h.planId })).rows.length).toBeGreaterThan(1);
    expect((await h.as("mof.tax").inbox.plans({})).map((p) => p.open)).toEqual([1]);

    expect(await refusalOf(() => h.as("mof.budget").assignment.get({ id: given.id }))).toMatchObject({ code: "FORBIDDEN", refusalCode: "not_your_assignment" });
    expect(await refusalOf(async () => h.as("mof.budget").assignment.reportProgress({ ...(await ref(7, "MOF")), note: "x" }))).toMatchObject({
      refusalCode: "not_your_assignment",
    });
    expect(await refusalOf(() => h.as("mof.budget").audit.list({ assignmentId: given.id }))).toMatchObject({ code: "FORBIDDEN" });

    const tax = h.as("mof.tax");
    await tax.assignment.reportProgress({ ...(await ref(7, "MOF")), note: "起草中" });
    const drafted = await tax.assignment.signOff({ ...(await ref(7, "MOF")), summary: "已出台配套政策" });
    expect(drafted).toMatchObject({ status: "in_progress", pendingApproval: { kind: "signOff", summary: "已出台配套政策", by: handlerId } });

    // The leader's queue holds it; a leader of another department may not decide it.
    const queue = await h.as("mof.leader").inbox.list({ planId: h.planId, awaitingApproval: true });
    expect(queue.rows.map((r) => r.id)).toEqual([given.id]);
    expect(await refusalOf(async () => h.as("ndrc.leader").assignment.approve({ ...(await ref(7, "MOF")), note: "" }))).toMatchObject({
      code: "FORBIDDEN",
      refusalCode: "not_your_department",
    });
    expect(await refusalOf(async () => h.as("mof").assignment.approve({ ...(await ref(7, "MOF")), note: "" }))).toMatchObject({ refusalCode: "wrong_role" });

    const rejected = await h.as("mof.leader").assignment.reject({ ...(await ref(7, "MOF")), reason: "请补充数据" });
    expect(rejected).toMatchObject({ status: "in_progress", pendingApproval: null });
    const back = await tax.assignment.get({ id: given.id });
    expect(back.history.at(-1)).toMatchObject({ type: "assignment.approval_rejected" });

    await tax.assignment.signOff({ ...(await ref(7, "MOF")), summary: "已补充数据" });
    const approved = await h.as("mof.leader").assignment.approve({ ...(await ref(7, "MOF")), note: "同意报结" });
    expect(approved).toMatchObject({ status: "signed_off", pendingApproval: null });

    // The lead ministry sees it signed off, with the leader as the actor of the sign-off.
    const seen = await h.as("miit").assignment.get({ id: given.id });
    expect(seen.assignment.status).toBe("signed_off");
    const types = seen.history.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["assignment.handler_assigned", "assignment.approval_requested", "assignment.approval_rejected", "assignment.signed_off"]));
    expect(await h.store.verifyAuditChain()).toMatchObject({ ok: true });
    // Replaying the trail gives the stored state: each act is one event (the version moves once per act).
    expect(await verifyStoredAuditTrail(h.store, h.clock.now, { full: true })).toMatchObject({ ok: true });
  });

  it("without the department's rule, the handler's sign-off goes out at once; extension requests wait for the leader where it is on", async () => {
    const handlerId = await person("mof.tax", "MOF", "handler", divisions.tax);
    await person("mof.leader", "MOF", "leader");
    await h.as("mof").assignment.accept(await ref(7, "MOF"));
    await h.as("mof").assignment.assignHandler({ ...(await ref(7, "MOF")), divisionId: divisions.tax, handlerId, note: "承办" });

    await h.as("admin").admin.setLeaderApproval({ department: "MOF", required: true });
    const drafted = await h.as("mof.tax").assignment.requestExtension({ ...(await ref(7, "MOF")), until: "2026-09-30", reason: "数据滞后" });
    expect(drafted).toMatchObject({ pendingExtension: null, pendingApproval: { kind: "extension", until: "2026-09-30" } });
    const requestsOf = (assignmentId: number) =>
      h.rows<{ status: string; requestedByUserId: number; until: string }>(
        'select status, requested_by_user_id as "requestedByUserId", "until" from extension_requests where assignment_id = ?',
        [assignmentId],
      );
    expect(await requestsOf(drafted.id)).toEqual([]);
    const sent = await h.as("mof.leader").assignment.approve({ ...(await ref(7, "MOF")), note: "" });
    expect(sent).toMatchObject({ pendingExtension: { until: "2026-09-30" }, pendingApproval: null });
    expect(await requestsOf(drafted.id)).toMatchObject([
      { status: "pending", requestedByUserId: handlerId, until: "2026-09-30" },
    ]);

    await h.as("admin").admin.setLeaderApproval({ department: "MOF", required: false });
    const signed = await h.as("mof.tax").assignment.signOff({ ...(await ref(7, "MOF")), summary: "完成" });
    expect(signed.status).toBe("signed_off");
  });

  it("refuses 分办 to another division's handler or a non-handler, and to anyone but the liaison", async () => {
    const handlerId = await person("mof.tax", "MOF", "handler", divisions.tax);
    const leaderId = await person("mof.leader", "MOF", "leader");
    await h.as("mof").assignment.accept(await ref(7, "MOF"));
    expect(
      await refusalOf(async () => h.as("mof").assignment.assignHandler({ ...(await ref(7, "MOF")), divisionId: divisions.budget, handlerId, note: "x" })),
    ).toMatchObject({ code: "BAD_REQUEST", refusalCode: "invalid_handler" });
    expect(
      await refusalOf(async () => h.as("mof").assignment.assignHandler({ ...(await ref(7, "MOF")), divisionId: divisions.tax, handlerId: leaderId, note: "x" })),
    ).toMatchObject({ refusalCode: "invalid_handler" });
    expect(
      await refusalOf(async () => h.as("mof.leader").assignment.assignHandler({ ...(await ref(7, "MOF")), divisionId: divisions.tax, handlerId, note: "x" })),
    ).toMatchObject({ code: "FORBIDDEN", refusalCode: "wrong_role" });
  });
});

describe("a handler's views of states: only what was handed to them or to their division (policy.ts inScope)", () => {
  it("tracking overview, overdue list, trend and matrix carry only the handler's assignments; the liaison's the department's and shared measures", async () => {
    const handlerId = await person("mof.tax", "MOF", "handler", divisions.tax);
    await person("mof.budget", "MOF", "handler", divisions.budget);
    await h.as("mof").assignment.accept(await ref(7, "MOF"));
    const given = await h.as("mof").assignment.assignHandler({ ...(await ref(7, "MOF")), divisionId: divisions.tax, handlerId, note: "税政司承办" });
    // Past every due date: the overdue list holds the department's open work.
    h.clock.now = new Date("2026-08-01T02:00:00Z");

    const mine = await h.as("mof.tax").tracking.overview({ planId: h.planId });
    expect(mine.measures.map((m) => [m.number, m.assignments.map((a) => a.id)])).toEqual([[7, [given.id]]]);
    expect(mine.totals.assignments).toBe(1);
    expect(mine.departments.map((d) => [d.department, d.total])).toEqual([["MOF", 1]]);
    const none = await h.as("mof.budget").tracking.overview({ planId: h.planId });
    expect(none.measures).toEqual([]);
    expect(none.totals.assignments).toBe(0);
    // The liaison: every measure MOF shares, with the other departments' states on them.
    const department = await h.as("mof").tracking.overview({ planId: h.planId });
    expect(department.measures.length).toBeGreaterThan(1);
    expect(department.measures.find((m) => m.number === 7)?.assignments.map((a) => a.department)).toContain("STA");

    expect((await h.as("mof.tax").tracking.overdue({ planId: h.planId })).map((o) => o.id)).toEqual([given.id]);
    expect(await h.as("mof.budget").tracking.overdue({ planId: h.planId })).toEqual([]);
    expect((await h.as("mof").tracking.overdue({ planId: h.planId })).length).toBeGreaterThan(1);

    const trend = await h.as("mof.tax").tracking.trend({ planId: h.planId, weeks: 52 });
    expect(Math.max(...trend.weeks.map((w) => w.open + w.done))).toBe(1);

    // The matrix: the division of work on every measure as for everyone; states only on the handler's cell.
    const matrix = await h.as("mof.tax").matrix.get({ planId: h.planId, withStatus: true });
    const rows = matrix.matrix.groups.flatMap((g) => g.rows);
    const stated = rows.flatMap((r) => r.cells.filter((c) => c.status !== null).map((c) => [r.measure.number, c.department]));
    expect(stated).toEqual([[7, "MOF"]]);
    expect(rows.find((r) => r.measure.number === 7)?.cells.find((c) => c.department === "STA")?.role).toBe("lead");
    const budgetMatrix = await h.as("mof.budget").matrix.get({ planId: h.planId, withStatus: true });
    expect(budgetMatrix.matrix.groups.flatMap((g) => g.rows).flatMap((r) => r.cells).filter((c) => c.status !== null)).toEqual([]);
  });
});

describe("administration of divisions and parts", () => {
  it("is the administrator's, audited, and checks the division belongs to the account's department", async () => {
    expect(await refusalOf(() => h.as("mof").admin.createDivision({ department: "MOF", nameZh: "办公厅", nameEn: null }))).toMatchObject({
      code: "FORBIDDEN",
      refusalCode: "admin_only",
    });
    const admin = h.as("admin");
    const { account } = await admin.admin.create({ username: "ndrc.x", role: "liaison", department: "NDRC", displayNameZh: "李娜", displayNameEn: null, ssoIdentity: null });
    expect(await refusalOf(() => admin.admin.setDepartmentPart({ id: account.id, departmentRole: "handler", divisionId: divisions.tax }))).toMatchObject({
      refusalCode: "division_mismatch",
    });
    expect(await refusalOf(() => admin.admin.setDepartmentPart({ id: account.id, departmentRole: "handler", divisionId: null }))).toMatchObject({
      refusalCode: "division_required",
    });
    expect(await refusalOf(() => admin.admin.createDivision({ department: "MOF", nameZh: "税政司 Tax", nameEn: null }))).toMatchObject({ code: "BAD_REQUEST" });
    const observer = h.user("observer");
    expect(await refusalOf(() => admin.admin.setDepartmentPart({ id: observer.id, departmentRole: "leader", divisionId: null }))).toMatchObject({
      refusalCode: "department_role_not_allowed",
    });
    const types = (await auditEventsOf(h)).filter((e) => e.actorUsername === "admin").map((e) => e.type);
    expect(types.filter((t) => t === "division.created")).toHaveLength(2);

    const people = await h.as("mof").department.people({});
    expect(people.divisions.map((d) => d.nameZh)).toEqual(["税政司", "预算司"]);
    expect(await refusalOf(() => h.as("ndrc").department.people({ department: "MOF" }))).toMatchObject({ code: "FORBIDDEN" });
  });
});
