import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyStoredAuditTrail } from "../../security/audit-verification.js";
import { createHarness, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

let h: Harness;
beforeEach(async () => {
  // The harness's clock is 2026-03-02 (Beijing).
  h = await createHarness();
});
afterEach(() => h.close());

const issue = () => h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });

async function measure(number: number) {
  const overview = await h.as("observer").tracking.overview({ planId: h.planId });
  const m = overview.measures.find((x) => x.number === number);
  if (m === undefined) throw new Error(`no measure (${number})`);
  return m;
}
async function assignmentOf(number: number, department: string) {
  const a = (await measure(number)).assignments.find((x) => x.department === department && x.status !== "withdrawn");
  if (a === undefined) throw new Error(`no assignment of ${department} on (${number})`);
  return a;
}
const ref = async (number: number, department: string) => {
  const a = await assignmentOf(number, department);
  return { id: a.id, expectedVersion: a.version };
};

describe("issuing with a deadline in the past", () => {
  it("is refused unless confirmed as back-dated, naming the field", async () => {
    expect(await refusalOf(() => h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-03-01" }))).toMatchObject({
      code: "BAD_REQUEST",
      refusalCode: "deadline_in_past",
      field: "dueDate",
    });
    expect(
      await refusalOf(() => h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-12-31", dueDates: [{ measureNumber: 7, dueDate: "2025-12-31" }] })),
    ).toMatchObject({ refusalCode: "deadline_in_past", field: "dueDates[0].dueDate" });
    // Today is not the past.
    expect(await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-03-02", backdated: false })).toMatchObject({ status: "issued" });
  });
  it("is recorded when confirmed, and the trail says so", async () => {
    await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2025-12-31", backdated: true });
    const [issued] = await h.rows<{ payload: string }>("select payload from audit_events where type = 'plan.issued'");
    expect(JSON.parse(String(issued?.payload))).toMatchObject({ backdated: true });
  });
});

describe("changes after issue", () => {
  beforeEach(issue);

  it("changes a measure's deadline for its open assignments, with an event each, visible on the assignment", async () => {
    const changed = await h.as("miit").plan.changeDeadline({ planId: h.planId, measureNumber: 7, dueDate: "2026-09-30", note: "Budget cycle." });
    expect(changed.assignmentIds.length).toBe((await measure(7)).assignments.length);
    for (const a of (await measure(7)).assignments) expect(a.dueDate).toBe("2026-09-30");
    const sta = await h.as("sta").assignment.get({ id: (await assignmentOf(7, "STA")).id });
    expect(sta.history.at(-1)).toMatchObject({ type: "assignment.deadline_changed" });
    expect(await refusalOf(() => h.as("miit").plan.changeDeadline({ planId: h.planId, measureNumber: 7, dueDate: "2026-01-01" }))).toMatchObject({
      refusalCode: "deadline_in_past",
    });
    expect(await refusalOf(() => h.as("sta").plan.changeDeadline({ planId: h.planId, measureNumber: 7, dueDate: "2026-12-31" }))).toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("adds a supporting department (reopening a signed-off lead) and removes one from the matrix", async () => {
    // (9): PBOC leads, CBIRC supports.
    await h.as("cbirc").assignment.accept(await ref(9, "CBIRC"));
    await h.as("pboc").assignment.accept(await ref(9, "PBOC"));
    await h.as("cbirc").assignment.signOff({ ...(await ref(9, "CBIRC")), summary: "done" });
    await h.as("pboc").assignment.signOff({ ...(await ref(9, "PBOC")), summary: "consolidated" });
    await h.as("miit").plan.addSupporting({ planId: h.planId, measureNumber: 9, department: "NBS", note: "Figures." });
    expect(await assignmentOf(9, "NBS")).toMatchObject({ role: "supporting", status: "assigned", dueDate: "2026-06-30" });
    expect((await assignmentOf(9, "PBOC")).status).toBe("in_progress");
    const nbsInbox = await h.as("nbs").inbox.list({ planId: h.planId });
    expect(nbsInbox.rows.some((r) => r.measureNumber === 9)).toBe(true);
    expect(await refusalOf(() => h.as("miit").plan.addSupporting({ planId: h.planId, measureNumber: 9, department: "NBS" }))).toMatchObject({
      refusalCode: "already_responsible",
    });

    await h.as("miit").plan.removeSupporting({ planId: h.planId, measureNumber: 9, department: "NBS", reason: "Not needed after all." });
    const nbs = (await measure(9)).assignments.find((a) => a.department === "NBS");
    expect(nbs?.status).toBe("withdrawn");
    const rows = await h.rows<{ department: string }>("select department from responsibilities where plan_id = ? and measure_number = 9", [h.planId]);
    expect(rows.map((r) => r.department).sort()).toEqual(["CBIRC", "PBOC"]);
    expect(await refusalOf(() => h.as("miit").plan.removeSupporting({ planId: h.planId, measureNumber: 9, department: "PBOC", reason: "x" }))).toMatchObject({
      refusalCode: "lead_cannot_be_removed",
    });
  });

  it("changes the lead: a signed-off supporting department promoted is reopened; the former lead supports", async () => {
    await h.as("cbirc").assignment.accept(await ref(9, "CBIRC"));
    await h.as("cbirc").assignment.signOff({ ...(await ref(9, "CBIRC")), summary: "done" });
    await h.as("miit").plan.changeLead({ planId: h.planId, measureNumber: 9, department: "CBIRC", reason: "Banking regulation leads." });
    expect(await assignmentOf(9, "CBIRC")).toMatchObject({ role: "lead", status: "in_progress" });
    expect(await assignmentOf(9, "PBOC")).toMatchObject({ role: "supporting", status: "assigned" });
    const lead = await h.rows<{ department: string }>(
      "select department from responsibilities where plan_id = ? and measure_number = 9 and role = 'lead'",
      [h.planId],
    );
    expect(lead.map((r) => r.department)).toEqual(["CBIRC"]);
    // A department new to the measure becomes an assigned lead.
    await h.as("miit").plan.changeLead({ planId: h.planId, measureNumber: 9, department: "NDRC", reason: "Reform." });
    expect(await assignmentOf(9, "NDRC")).toMatchObject({ role: "lead", status: "assigned" });
    expect((await assignmentOf(9, "CBIRC")).role).toBe("supporting");
  });

  it("reassigns with a note and a deadline; approves an extension with another date", async () => {
    await h.as("mof").assignment.decline({ ...(await ref(7, "MOF")), reason: "Tax administration's." });
    await h.as("miit").assignment.reassign({ ...(await ref(7, "MOF")), toDepartment: "CNIPA", note: "Patents.", dueDate: "2026-08-31" });
    expect(await assignmentOf(7, "CNIPA")).toMatchObject({ status: "assigned", dueDate: "2026-08-31" });
    const cnipa = await h.as("cnipa").assignment.get({ id: (await assignmentOf(7, "CNIPA")).id });
    expect(cnipa.history.at(-1)).toMatchObject({ type: "assignment.reassigned" });

    await h.as("sta").assignment.accept(await ref(7, "STA"));
    await h.as("sta").assignment.requestExtension({ ...(await ref(7, "STA")), until: "2026-12-31", reason: "Data late." });
    await h.as("miit").assignment.decideExtension({ ...(await ref(7, "STA")), approve: true, note: "Three months.", until: "2026-09-30" });
    expect((await assignmentOf(7, "STA")).dueDate).toBe("2026-09-30");
  });

  it("withdraws the whole plan: open work withdrawn, signed-off work kept, nothing else possible but comments", async () => {
    await h.as("cbirc").assignment.accept(await ref(9, "CBIRC"));
    await h.as("cbirc").assignment.signOff({ ...(await ref(9, "CBIRC")), summary: "done" });
    const withdrawn = await h.as("miit").plan.withdraw({ planId: h.planId, reason: "Superseded." });
    expect(withdrawn.assignmentIds.length).toBeGreaterThan(60);
    expect((await h.rows<{ status: string }>("select status from plans where id = ?", [h.planId]))[0]?.status).toBe("withdrawn");
    expect((await measure(9)).assignments.find((a) => a.department === "CBIRC")?.status).toBe("signed_off");
    expect((await measure(9)).assignments.find((a) => a.department === "PBOC")?.status).toBe("withdrawn");
    expect(await refusalOf(async () => h.as("miit").assignment.return({ ...(await ref(9, "CBIRC")), reason: "x" }))).toMatchObject({
      refusalCode: "plan_withdrawn",
    });
    expect(await h.as("cbirc").assignment.comment({ ...(await ref(9, "CBIRC")), body: "noted" })).toBeTruthy();
    expect(await refusalOf(() => h.as("miit").plan.changeDeadline({ planId: h.planId, measureNumber: 9, dueDate: "2026-12-31" }))).toMatchObject({
      refusalCode: "plan_withdrawn",
    });
    expect(await refusalOf(() => h.as("miit").plan.withdraw({ planId: h.planId, reason: "again" }))).toMatchObject({ refusalCode: "plan_withdrawn" });
    expect((await verifyStoredAuditTrail(h.store, h.clock.now, { full: true })).ok).toBe(true);
  });
});
