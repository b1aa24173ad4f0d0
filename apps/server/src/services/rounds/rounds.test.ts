import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyStoredAuditTrail } from "../../security/audit-verification.js";
import { createHarness, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { tickRounds } from "./close-round.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: new Date("2026-01-02T02:00:00Z") });
  await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });
});
afterEach(() => h.close());

/** The kinds of an account's in-app notices, oldest first (the test's own look at the database). */
async function noticeKindsOf(username: string): Promise<string[]> {
  const id = (await h.userOf(username)).id;
  return (await h.rows<{ kind: string }>("select kind from notifications where user_id = ? order by id", [id])).map((n) => n.kind);
}

/** Whether the whole audit trail verifies (chain, head, replay), on either engine. */
async function trailVerifies(): Promise<boolean> {
  return (await verifyStoredAuditTrail(h.store, h.clock.now, { full: true })).ok;
}

const text = { progress: "已印发实施细则", problems: "无", nextSteps: "开展督查" };

async function openQ4(extra: Partial<{ measureNumbers: number[]; departments: string[]; recurrence: "none" | "monthly" | "quarterly" }> = {}) {
  return h.as("miit").round.open({
    planId: h.planId,
    title: "2025年第四季度进展",
    periodStart: "2025-10-01",
    periodEnd: "2025-12-31",
    dueDate: "2026-01-10",
    measureNumbers: [7],
    departments: ["MOF", "STA"],
    recurrence: "none",
    ...extra,
  });
}

/** An account of a department with a part in it, made as the administrator makes it. */
async function person(username: string, department: string, part: "handler" | "leader", divisionId: number | null = null): Promise<void> {
  const admin = h.as("admin");
  const { account } = await admin.admin.create({ username, role: "liaison", department, displayNameZh: "张伟", displayNameEn: null, ssoIdentity: null });
  await admin.admin.setDepartmentPart({ id: account.id, departmentRole: part, divisionId });
}

describe("reporting rounds", () => {
  it("opens a round with one report per assignment in scope, notifies each department, audits it", async () => {
    const opened = await openQ4();
    // (7) tax policies: STA leads, MOF supports (proposed division of 2020); NDRC and SAMR are left out of this round.
    expect(opened.departments).toEqual(["MOF", "STA"]);
    expect(opened.reports).toBe(2);
    const round = await h.as("miit").round.get({ roundId: opened.id });
    expect(round.reports.map((r) => [r.department, r.role, r.status, r.standing])).toEqual([
      ["STA", "lead", "not_reported", "not_reported"],
      ["MOF", "supporting", "not_reported", "not_reported"],
    ]);
    // The plan's issue told MOF of its new assignments (assignment.event); the round adds one notice.
    expect((await noticeKindsOf("mof")).filter((k) => k !== "assignment.event")).toEqual(["round.opened"]);
    const ev = await h.rows("select id from audit_events where type = 'round.opened'");
    expect(ev).toHaveLength(1);
  });

  it("only the coordinator opens a round", async () => {
    const refusal = await refusalOf(() =>
      h.as("mof").round.open({ planId: h.planId, title: "x", periodStart: "2026-01-01", periodEnd: "2026-01-31", dueDate: "2026-02-05", measureNumbers: [], departments: [], recurrence: "none" }),
    );
    expect(refusal.code).toBe("FORBIDDEN");
  });

  it("a liaison drafts, submits, revises until the due date; sees and writes only its department's reports", async () => {
    const opened = await openQ4();
    const mofView = await h.as("mof").round.get({ roundId: opened.id });
    expect(mofView.reports.map((r) => r.department)).toEqual(["MOF"]);
    const mine = mofView.reports[0];
    if (mine === undefined) throw new Error("no report");

    // Another department cannot act on it, nor tell that it exists.
    const staView = await h.as("sta").round.get({ roundId: opened.id });
    expect(staView.reports.map((r) => r.department)).toEqual(["STA"]);
    const refused = await refusalOf(() => h.as("sta").round.saveDraft({ reportId: mine.id, expectedVersion: 1, ...text }));
    expect(refused).toMatchObject({ code: "FORBIDDEN", refusalCode: "not_your_department" });
    // A liaison the round does not ask does not see it.
    expect((await refusalOf(() => h.as("ndrc").round.get({ roundId: opened.id }))).refusalCode).toBe("not_found");
    expect(await h.as("ndrc").round.list({ planId: h.planId })).toEqual([]);

    const draft = await h.as("mof").round.saveDraft({ reportId: mine.id, expectedVersion: 1, ...text, problems: "" });
    expect(draft.status).toBe("draft");
    // The coordinator does not read a draft's text.
    const coordinatorView = (await h.as("miit").round.get({ roundId: opened.id })).reports.find((r) => r.department === "MOF");
    expect(coordinatorView).toMatchObject({ status: "draft", progress: null, allowedActions: ["remind"] });
    // A submission needs every heading.
    expect((await refusalOf(() => h.as("mof").round.submit({ reportId: mine.id, expectedVersion: 2, ...text, problems: " " }))).refusalCode).toBe(
      "heading_required",
    );
    const submitted = await h.as("mof").round.submit({ reportId: mine.id, expectedVersion: 2, ...text });
    expect(submitted).toMatchObject({ status: "submitted", late: false });
    // A stale version is a conflict.
    expect((await refusalOf(() => h.as("mof").round.submit({ reportId: mine.id, expectedVersion: 2, ...text }))).code).toBe("CONFLICT");
    // Revised on the due day (23:00 Beijing), refused after it.
    h.clock.now = new Date("2026-01-10T15:00:00Z");
    await h.as("mof").round.submit({ reportId: mine.id, expectedVersion: 3, ...text, nextSteps: "开展督查，年底总结" });
    h.clock.now = new Date("2026-01-10T16:30:00Z");
    expect((await refusalOf(() => h.as("mof").round.submit({ reportId: mine.id, expectedVersion: 4, ...text }))).refusalCode).toBe("past_due");

    const grid = await h.as("miit").round.get({ roundId: opened.id });
    expect(grid.reports.map((r) => [r.department, r.standing])).toEqual([
      ["STA", "late"],
      ["MOF", "reported"],
    ]);
    expect(grid.statistics).toMatchObject({ total: 2, reported: 1, late: 1, departments: 2, departmentsComplete: 1 });
  });

  it("the coordinator reminds the late and returns a report with a reason; the department is told and submits again", async () => {
    const opened = await openQ4();
    const [sta, mof] = (await h.as("miit").round.get({ roundId: opened.id })).reports;
    if (mof === undefined || sta === undefined) throw new Error("reports missing");
    await h.as("mof").round.submit({ reportId: mof.id, expectedVersion: 1, ...text });
    h.clock.now = new Date("2026-01-12T02:00:00Z");
    await h.as("miit").round.remind({ reportId: sta.id, expectedVersion: 1, message: "请尽快报送" });
    expect((await refusalOf(() => h.as("miit").round.remind({ reportId: mof.id, expectedVersion: 2, message: "" }))).refusalCode).toBe("invalid_state");
    expect((await refusalOf(() => h.as("miit").round.return({ reportId: mof.id, expectedVersion: 2, reason: " " }))).refusalCode).toBe("reason_required");
    await h.as("miit").round.return({ reportId: mof.id, expectedVersion: 2, reason: "请补充佐证材料" });
    // The plan's issue told each department of its new assignments; here only the round's notices count.
    const kinds = async (user: string) => (await noticeKindsOf(user)).filter((k) => k !== "assignment.event");
    expect(await kinds("mof")).toEqual(["round.opened", "round_report.returned"]);
    expect(await kinds("sta")).toEqual(["round.opened", "round_report.reminded"]);
    const view = (await h.as("mof").round.get({ roundId: opened.id })).reports[0];
    expect(view).toMatchObject({ status: "returned", standing: "returned", returnedReason: "请补充佐证材料", allowedActions: ["saveDraft", "submit"] });
    const again = await h.as("mof").round.submit({ reportId: mof.id, expectedVersion: 3, ...text });
    expect(again).toMatchObject({ status: "submitted", late: true });
    const sub = await h.rows<{ payload: string }>("select payload from audit_events where type = 'round_report.submitted' order by seq");
    expect(sub.map((e) => JSON.parse(e.payload).late)).toEqual([false, true]);
    expect(await trailVerifies()).toBe(true);
  });

  it("closing a quarterly round opens the next quarter; the tick rolls over and warns of the due date once", async () => {
    const opened = await openQ4({ recurrence: "quarterly", measureNumbers: [], departments: ["MOF"] });
    const before = await h.as("miit").round.get({ roundId: opened.id });
    const closed = await h.as("miit").round.close({ roundId: opened.id, expectedVersion: before.version });
    expect(closed.nextRoundId).not.toBeNull();
    const next = await h.as("miit").round.get({ roundId: closed.nextRoundId ?? 0 });
    expect(next).toMatchObject({ periodStart: "2026-01-01", periodEnd: "2026-03-31", dueDate: "2026-04-10", recurrence: "quarterly", status: "open" });
    expect(next.title).toBe("2025年第四季度进展 (2026-01-01 – 2026-03-31)");
    expect(next.reports.length).toBe(before.reports.length);
    expect(next.reports.every((r) => r.department === "MOF")).toBe(true);
    // A closed round takes nothing more.
    const old = before.reports[0];
    if (old === undefined) throw new Error("no report");
    expect((await refusalOf(() => h.as("mof").round.submit({ reportId: old.id, expectedVersion: 1, ...text }))).refusalCode).toBe("round_closed");

    // The tick: due soon from 2026-04-08 (Beijing), once; rollover once Q2 is over (2026-07-01).
    const tick = (at: string) => tickRounds(h.store, new Date(at), { webhook: false, email: false, emailTo: [] });
    expect(await tick("2026-03-20T02:00:00Z")).toEqual({ rolledOver: [], dueSoonNotified: [] });
    expect((await tick("2026-04-08T02:00:00Z")).dueSoonNotified).toEqual([next.id]);
    expect(await tick("2026-06-30T02:00:00Z")).toEqual({ rolledOver: [], dueSoonNotified: [] });
    const rolled = await tick("2026-07-01T02:00:00Z");
    expect(rolled.rolledOver.map((r) => r.id)).toEqual([next.id]);
    const [third] = await h.rows<{ id: number }>("select id, period_start, period_end, due_date, status from report_rounds where previous_round_id = ?", [next.id]);
    expect(third).toMatchObject({ period_start: "2026-04-01", period_end: "2026-06-30", due_date: "2026-07-10", status: "open" });
    expect((await tick("2026-07-08T02:00:00Z")).dueSoonNotified).toEqual([third?.id]);
    expect((await tick("2026-07-09T02:00:00Z")).dueSoonNotified).toEqual([]);
    expect(await trailVerifies()).toBe(true);
  });

  it("where MOF requires its leader's approval, a handler's report waits for the leader, who returns it, then approves it (late by the approval's time)", async () => {
    const division = (await h.as("admin").admin.createDivision({ department: "MOF", nameZh: "税政司", nameEn: null })).id;
    await person("mof.tax", "MOF", "handler", division);
    await person("mof.leader", "MOF", "leader");
    await person("sta.leader", "STA", "leader");
    await h.as("admin").admin.setLeaderApproval({ department: "MOF", required: true });
    const opened = await openQ4();
    const mine = (await h.as("mof.tax").round.get({ roundId: opened.id })).reports[0];
    if (mine === undefined) throw new Error("no report");

    const sent = await h.as("mof.tax").round.submit({ reportId: mine.id, expectedVersion: 1, ...text });
    expect(sent).toMatchObject({ status: "awaiting_approval", late: false });
    // The lead ministry sees a report not yet submitted, without its text; the leader sees it with Approve and Return.
    const coordinatorView = (await h.as("miit").round.get({ roundId: opened.id })).reports.find((r) => r.department === "MOF");
    expect(coordinatorView).toMatchObject({ status: "awaiting_approval", standing: "not_reported", progress: null, submittedAt: null });
    const leaderView = (await h.as("mof.leader").round.get({ roundId: opened.id })).reports[0];
    expect(leaderView).toMatchObject({ status: "awaiting_approval", progress: text.progress, allowedActions: ["approve", "reject"] });
    // Nobody else decides: the handler, the liaison, another department's leader, the coordinator.
    for (const who of ["mof.tax", "mof", "miit"]) {
      expect((await refusalOf(() => h.as(who).round.approve({ reportId: mine.id, expectedVersion: 2 }))).refusalCode).toBe("wrong_role");
    }
    expect((await refusalOf(() => h.as("sta.leader").round.approve({ reportId: mine.id, expectedVersion: 2 }))).refusalCode).toBe("not_your_department");
    // While it waits, the department writes nothing over it.
    expect((await refusalOf(() => h.as("mof").round.saveDraft({ reportId: mine.id, expectedVersion: 2, ...text }))).refusalCode).toBe("approval_pending");

    // The leader is told it waits (and only the leader: not the handler, not the liaison).
    const kindsOf = async (username: string) => (await noticeKindsOf(username)).filter((k) => k.startsWith("round_report."));
    expect(await kindsOf("mof.leader")).toEqual(["round_report.approval_requested"]);
    expect(await kindsOf("mof.tax")).toEqual([]);
    expect(await kindsOf("mof")).toEqual([]);

    const back = await h.as("mof.leader").round.reject({ reportId: mine.id, expectedVersion: 2, reason: "请补充数据" });
    // The department is told of the return, with the reason.
    expect(await kindsOf("mof.tax")).toEqual(["round_report.rejected"]);
    expect(back.status).toBe("returned_by_leader");
    expect((await h.as("mof.tax").round.get({ roundId: opened.id })).reports[0]).toMatchObject({ status: "returned_by_leader", returnedReason: "请补充数据" });
    expect((await h.as("miit").round.get({ roundId: opened.id })).reports.find((r) => r.department === "MOF")).toMatchObject({ returnedReason: null, progress: null });
    expect((await refusalOf(() => h.as("mof.leader").round.reject({ reportId: mine.id, expectedVersion: 3, reason: "x" }))).refusalCode).toBe("invalid_state");

    await h.as("mof.tax").round.submit({ reportId: mine.id, expectedVersion: 3, ...text, problems: "资金到位较慢" });
    // Submitted to the leader before the due date (2026-01-10), approved after it: late, as the approval is the submission.
    h.clock.now = new Date("2026-01-12T02:00:00Z");
    const approved = await h.as("mof.leader").round.approve({ reportId: mine.id, expectedVersion: 4 });
    expect(approved).toMatchObject({ status: "submitted", late: true });
    const out = (await h.as("miit").round.get({ roundId: opened.id })).reports.find((r) => r.department === "MOF");
    expect(out).toMatchObject({ status: "submitted", standing: "reported_late", problems: "资金到位较慢", submittedAt: "2026-01-12T02:00:00.000Z", returnedReason: null });

    const events = (
      await h.rows<{ type: string; actor: string }>("select type, actor_username as actor from audit_events where department = 'MOF' order by seq")
    ).filter((e) => e.type.startsWith("round_report."));
    expect(events).toEqual([
      { type: "round_report.approval_requested", actor: "mof.tax" },
      { type: "round_report.rejected", actor: "mof.leader" },
      { type: "round_report.approval_requested", actor: "mof.tax" },
      { type: "round_report.approved", actor: "mof.leader" },
    ]);
    expect(await trailVerifies()).toBe(true);
  });

  it("with approval on, the leader's own report goes out at once; with it off, a handler's too", async () => {
    await person("mof.leader", "MOF", "leader");
    await person("sta.tax", "STA", "handler", (await h.as("admin").admin.createDivision({ department: "STA", nameZh: "货物和劳务税司", nameEn: null })).id);
    await h.as("admin").admin.setLeaderApproval({ department: "MOF", required: true });
    const opened = await openQ4();
    const reports = (await h.as("miit").round.get({ roundId: opened.id })).reports;
    const mof = reports.find((r) => r.department === "MOF");
    const sta = reports.find((r) => r.department === "STA");
    if (mof === undefined || sta === undefined) throw new Error("no reports");
    expect(await h.as("mof.leader").round.submit({ reportId: mof.id, expectedVersion: 1, ...text })).toMatchObject({ status: "submitted", late: false });
    expect(await h.as("sta.tax").round.submit({ reportId: sta.id, expectedVersion: 1, ...text })).toMatchObject({ status: "submitted" });
  });
});
