import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assignmentActionTypes } from "@countersign/domain";
import { appRouter } from "../../router.js";
import { verifyStoredAuditTrail } from "../../security/audit-verification.js";
import { createHarness, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30", dueDates: [{ measureNumber: 24, dueDate: "ongoing" }] });
});
afterEach(() => h.close());

async function ref(measureNumber: number, department: string): Promise<{ id: number; expectedVersion: number }> {
  const overview = await h.as("observer").tracking.overview({ planId: h.planId });
  const a = overview.measures.find((m) => m.number === measureNumber)?.assignments.find((x) => x.department === department);
  if (a === undefined) throw new Error(`no assignment of ${department} on (${measureNumber})`);
  return { id: a.id, expectedVersion: a.version };
}

describe("the assignment procedures", () => {
  it("are one per entry of the domain's action registry, named by its key, beside assignment.get", () => {
    const procedures = Object.keys(appRouter._def.procedures).filter((name) => name.startsWith("assignment."));
    expect(procedures.sort()).toEqual(["assignment.get", ...assignmentActionTypes.map((type) => `assignment.${type}`)].sort());
  });

  it("validate with the registry's schema: a required text that shows nothing is refused before the workflow", async () => {
    const refusal = await refusalOf(async () => h.as("sta").assignment.decline({ ...(await ref(10, "STA")), reason: " \u200b " }));
    expect(refusal).toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("actOnAssignment records what the workflow decides", () => {
  it("leaves a trail whose replay gives the stored deadlines, after a change after issue and a reassignment with a new one", async () => {
    await h.as("miit").plan.changeDeadline({ planId: h.planId, measureNumber: 7, dueDate: "2026-09-30", note: "Budget cycle." });
    await h.as("sta").assignment.decline({ ...(await ref(10, "STA")), reason: "outside our remit" });
    await h.as("miit").assignment.reassign({ ...(await ref(10, "STA")), toDepartment: "MOF", note: "Tax policy.", dueDate: "2026-12-31" });
    const verdict = await verifyStoredAuditTrail(h.store, h.clock.now, { full: true });
    expect(verdict).toMatchObject({ ok: true, stateChecked: true });
  });

  it("returning a supporting sign-off reopens the lead's sign-off, with an event on each", async () => {
    // (9): PBOC leads, CBIRC supports.
    await h.as("cbirc").assignment.accept(await ref(9, "CBIRC"));
    await h.as("pboc").assignment.accept(await ref(9, "PBOC"));
    await h.as("cbirc").assignment.signOff({ ...(await ref(9, "CBIRC")), summary: "done" });
    await h.as("pboc").assignment.signOff({ ...(await ref(9, "PBOC")), summary: "consolidated" });
    const returned = await h.as("miit").assignment.return({ ...(await ref(9, "CBIRC")), reason: "figures missing" });
    expect(returned.status).toBe("in_progress");
    const lead = await h.as("miit").assignment.get({ id: (await ref(9, "PBOC")).id });
    expect(lead.assignment.status).toBe("in_progress");
    expect(lead.history.at(-1)).toMatchObject({ type: "assignment.lead_reopened", from: "signed_off", to: "in_progress" });
    expect(lead.measure.status).toBe("in_progress");
  });

  it("keeps an extension request until the coordinator decides, then moves the due date", async () => {
    const sta = h.as("sta");
    await sta.assignment.accept(await ref(7, "STA"));
    const requested = await sta.assignment.requestExtension({ ...(await ref(7, "STA")), until: "2026-09-30", reason: "data late" });
    expect(requested.pendingExtension).toEqual({ until: "2026-09-30", reason: "data late" });
    expect(
      await refusalOf(async () => sta.assignment.requestExtension({ ...(await ref(7, "STA")), until: "2026-10-30", reason: "again" })),
    ).toMatchObject({ refusalCode: "extension_pending" });
    const decided = await h.as("miit").assignment.decideExtension({ ...(await ref(7, "STA")), approve: true, note: "" });
    expect(decided).toMatchObject({ dueDate: "2026-09-30", pendingExtension: null });
    const rows = await h.rows("select status, previous_due_date, until from extension_requests where assignment_id = ?", [decided.id]);
    expect(rows).toMatchObject([{ status: "approved", previous_due_date: "2026-06-30", until: "2026-09-30" }]);
    const detail = await sta.assignment.get({ id: decided.id });
    expect(detail.extensionRequests).toHaveLength(1);
    expect(detail.history.map((e) => e.type)).toContain("assignment.extension_approved");
  });

  it("after a decline the coordinator reassigns: the responsibility moves and the matrix follows", async () => {
    await h.as("sta").assignment.decline({ ...(await ref(10, "STA")), reason: "outside our remit" });
    const declined = await ref(10, "STA");
    const moved = await h.as("miit").assignment.reassign({ ...declined, toDepartment: "MOF", note: "Tax policy is its remit." });
    expect(moved).toMatchObject({ department: "MOF", status: "assigned" });
    const responsible = (await h.rows<{ department: string }>("select department from responsibilities where measure_number = ?", [10])).map(
      (r) => r.department,
    );
    expect(responsible).toContain("MOF");
    expect(responsible).not.toContain("STA");
    const matrix = await h.as("miit").matrix.get({ planId: h.planId, withStatus: true });
    const row = matrix.matrix.groups.flatMap((g) => g.rows).find((r) => r.measure.number === 10);
    expect(row?.supporting).toContain("MOF");
    expect(row?.cells.find((c) => c.department === "MOF")?.status).toBe("assigned");
    // MOF now has it; STA opens it only as its past holder (its own words, no actions).
    expect((await h.as("mof").assignment.get({ id: moved.id })).assignment.department).toBe("MOF");
    expect(await h.as("sta").assignment.get({ id: moved.id })).toMatchObject({ access: "past_holder" });
    expect(await refusalOf(() => h.as("ndrc").assignment.get({ id: moved.id }))).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await refusalOf(() => h.as("miit").assignment.reassign({ id: moved.id, expectedVersion: moved.version, toDepartment: "CBIRC", note: "Banking." })),
    ).toMatchObject({ refusalCode: "invalid_state" });
  });

  it("withdrawing cancels a pending extension request; reminders and comments are recorded", async () => {
    await h.as("ndrc").assignment.accept(await ref(4, "NDRC"));
    await h.as("ndrc").assignment.requestExtension({ ...(await ref(4, "NDRC")), until: "2026-07-30", reason: "more time" });
    await h.as("miit").assignment.remind({ ...(await ref(4, "NDRC")), message: "please report" });
    await h.as("miit").assignment.comment({ ...(await ref(4, "NDRC")), body: "请尽快反馈 ✓" });
    await h.as("ndrc").assignment.comment({ ...(await ref(4, "NDRC")), body: "收到" });
    const withdrawn = await h.as("miit").assignment.withdraw({ ...(await ref(4, "NDRC")), reason: "merged into (12)" });
    expect(withdrawn).toMatchObject({ status: "withdrawn", pendingExtension: null });
    expect(withdrawn.lastRemindedAt).not.toBeNull();
    const detail = await h.as("ndrc").assignment.get({ id: withdrawn.id });
    expect(detail.comments.map((c) => [c.author, c.body])).toEqual([
      ["miit", "请尽快反馈 ✓"],
      ["ndrc", "收到"],
    ]);
    expect(detail.extensionRequests.map((e) => e.status)).toEqual(["cancelled"]);
    expect(detail.allowedActions).toEqual(["comment"]);
    expect(await verifyStoredAuditTrail(h.store, h.clock.now, { full: true })).toMatchObject({ ok: true });
  });

  it("a measure closed by the coordinator refuses changes until it is reopened", async () => {
    await h.as("cnipa").assignment.accept(await ref(22, "CNIPA"));
    await h.as("cnipa").assignment.signOff({ ...(await ref(22, "CNIPA")), summary: "done" });
    await h.as("miit").measure.close({ planId: h.planId, measureNumber: 22, note: "办结" });
    expect(
      await refusalOf(async () => h.as("miit").assignment.return({ ...(await ref(22, "CNIPA")), reason: "again" })),
    ).toMatchObject({ refusalCode: "measure_closed" });
    expect(await refusalOf(() => h.as("miit").measure.close({ planId: h.planId, measureNumber: 22, note: "" }))).toMatchObject({
      refusalCode: "invalid_state",
    });
    const reopened = await h.as("miit").measure.reopen({ planId: h.planId, measureNumber: 22, note: "new facts" });
    expect(reopened).toMatchObject({ closed: false, status: "countersigned" });
    const back = await h.as("miit").assignment.return({ ...(await ref(22, "CNIPA")), reason: "again" });
    expect(back.status).toBe("in_progress");
  });
});
