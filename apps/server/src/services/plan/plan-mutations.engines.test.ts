import { afterEach, describe, expect, it } from "vitest";
import { proposedDivision2020 } from "@countersign/domain";
import { createHarness, harnessEngines, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

// The plan router's mutations on the store seam (issue 13): the same answers, rows, audit events and notices on
// SQLite and on PostgreSQL, each change and its events in one unit of work (the chain verifies after).
describe.each(harnessEngines)("the plan's division and issue on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  const eventsOf = (harness: Harness, planId: number) =>
    harness.store.read(async (repos) => (await repos.auditTrail.page({ planId, organisation: { id: "CN", national: true }, limit: 500 })).map((e) => e.type));

  it("plan.setResponsibilities replaces a draft measure's division, keeps a staying department's justification, and audits it", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const result = await harness.as("miit").plan.setResponsibilities({ planId: harness.planId, measureNumber: 7, lead: "MOF", supporting: ["STA", "CNIPA"] });
    expect(result.map((r) => [r.department, r.role, r.position])).toEqual([
      ["MOF", "lead", 0],
      ["STA", "supporting", 1],
      ["CNIPA", "supporting", 2],
    ]);
    expect(result[1]?.justification).not.toBeNull(); // STA was proposed for "tax"
    expect(result[2]?.justification).toBeNull();
    const stored = await harness.store.read(async (repos) => (await repos.catalog.responsibilities(harness.planId)).filter((r) => r.measureNumber === 7));
    expect(stored.map((r) => [r.department, r.role])).toEqual([
      ["MOF", "lead"],
      ["STA", "supporting"],
      ["CNIPA", "supporting"],
    ]);
    expect(stored[1]?.justification).toEqual(result[1]?.justification);
    expect((await eventsOf(harness, harness.planId))[0]).toBe("plan.responsibilities_set");
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });

  it("plan.setResponsibilities refuses: not the coordinator, a department twice, an unknown department, no such measure, not a draft", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const miit = harness.as("miit");
    const planId = harness.planId;
    const leadOf7 = () => harness.store.read(async (repos) => (await repos.catalog.responsibilities(planId)).find((r) => r.measureNumber === 7 && r.role === "lead")?.department);
    const leadBefore = await leadOf7();
    expect(leadBefore).toBeDefined();
    expect(leadBefore).not.toBe("MOF");
    expect(await refusalOf(() => harness.as("mof").plan.setResponsibilities({ planId, measureNumber: 7, lead: "MOF", supporting: [] }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusalOf(() => miit.plan.setResponsibilities({ planId, measureNumber: 7, lead: "MOF", supporting: ["MOF"] }))).toMatchObject({ code: "BAD_REQUEST", field: "supporting" });
    expect(await refusalOf(() => miit.plan.setResponsibilities({ planId, measureNumber: 7, lead: "XYZ", supporting: [] }))).toMatchObject({
      refusalCode: "unknown_department",
      field: "lead",
    });
    expect(await refusalOf(() => miit.plan.setResponsibilities({ planId, measureNumber: 99, lead: "MOF", supporting: [] }))).toMatchObject({ code: "NOT_FOUND", field: "measureNumber" });
    await miit.plan.issue({ planId, dueDate: "2026-12-31" });
    expect(await refusalOf(() => miit.plan.setResponsibilities({ planId, measureNumber: 7, lead: "MOF", supporting: [] }))).toMatchObject({ refusalCode: "plan_not_draft" });
    // Nothing of the refused edits was written: measure (7) keeps its lead.
    expect(await leadOf7()).toBe(leadBefore);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });

  it("plan.issue creates one assignment per responsibility with its due date, its audit events and the notices", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const planId = harness.planId;
    const issued = await harness.as("miit").plan.issue({ planId, dueDate: "2026-12-31", dueDates: [{ measureNumber: 24, dueDate: "ongoing" }] });
    expect(issued).toEqual({ planId, status: "issued", assignments: proposedDivision2020.length });
    const state = await harness.store.read(async (repos) => {
      const plan = await repos.catalog.plan(planId);
      const mof = await repos.notices.enabledAccountsIn(["MOF"]);
      const notices = mof[0] === undefined ? [] : await repos.notices.listFor(mof[0], 100);
      return { plan, counts: await repos.catalog.assignmentCounts([planId]), notices };
    });
    expect(state.plan).toMatchObject({ status: "issued", defaultDueDate: "2026-12-31", assignedByUserId: harness.user("miit").id });
    expect(state.counts).toEqual([{ planId, n: proposedDivision2020.length }]);
    const mofWork = proposedDivision2020.filter((r) => r.department === "MOF").length;
    expect(state.notices.filter((n) => n.kind === "assignment.event")).toHaveLength(mofWork);
    const overview = await harness.as("miit").tracking.overview({ planId });
    expect(overview.measures.find((m) => m.number === 24)?.assignments.every((a) => a.dueDate === "ongoing")).toBe(true);
    expect(overview.measures.find((m) => m.number === 1)?.dueDate).toBe("2026-12-31");
    expect(overview.totals.byStatus.assigned).toBe(issued.assignments);
    const types = await eventsOf(harness, planId);
    expect(types[0]).toBe("plan.issued");
    expect(types.filter((t) => t === "assignment.issued")).toHaveLength(proposedDivision2020.length);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
    expect(await harness.store.checkAssignmentCounts()).toEqual([]);
  });

  it("plan.issue refuses: not the coordinator, a back-dated deadline unless confirmed, not a draft", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const planId = harness.planId;
    const miit = harness.as("miit");
    expect(await refusalOf(() => harness.as("mof").plan.issue({ planId, dueDate: "2026-12-31" }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusalOf(() => miit.plan.issue({ planId, dueDate: "2020-12-31" }))).toMatchObject({ refusalCode: "deadline_in_past", field: "dueDate" });
    expect(await refusalOf(() => miit.plan.issue({ planId, dueDate: "ongoing", dueDates: [{ measureNumber: 26, dueDate: "ongoing" }] }))).toMatchObject({
      field: "dueDates[0].measureNumber",
    });
    expect((await harness.store.read((repos) => repos.catalog.plan(planId)))?.status).toBe("draft");
    const issued = await miit.plan.issue({ planId, dueDate: "2020-12-31", backdated: true });
    expect(issued.assignments).toBe(proposedDivision2020.length);
    expect(await refusalOf(() => miit.plan.issue({ planId, dueDate: "2026-12-31" }))).toMatchObject({ refusalCode: "plan_not_draft" });
    expect(await harness.store.read(async (repos) => repos.catalog.assignmentCounts([planId]))).toEqual([{ planId, n: proposedDivision2020.length }]);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });

  it("plan.issue refuses a measure without a lead, and writes nothing", async () => {
    h = await createHarness({
      engine,
      seed: ({ database }) => {
        database.sqlite.prepare("delete from responsibilities where measure_number = 3 and role = 'lead'").run();
      },
    });
    const harness = h;
    expect(await refusalOf(() => harness.as("miit").plan.issue({ planId: harness.planId, dueDate: "ongoing" }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      refusalCode: "measure_without_lead",
    });
    expect(await harness.store.read(async (repos) => repos.catalog.assignmentCounts([harness.planId]))).toEqual([]);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });
});

// An implementation plan (实施方案, issue 16): the cascade's checks read through the unit of work on either engine, so
// its division among the province's own departments and its issue work on PostgreSQL as on SQLite.
describe.each(harnessEngines)("an implementation plan's division and issue on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it("plan.setResponsibilities applies the cascade's rule, and plan.issue the parent's deadlines", async () => {
    let derivedPlanId = 0;
    h = await createHarness({
      engine,
      seed: async ({ as, planId }) => {
        await as("miit").plan.issue({ planId, dueDate: "2027-12-31" });
        await as("miit").cascade.forward({ planId, to: ["450000"], planDeadline: "2026-06-30" });
        const [pending] = await as("gx-office").cascade.pending();
        if (pending === undefined) throw new Error("no forwarding to Guangxi");
        derivedPlanId = (await as("gx-office").cascade.derive({ forwardingId: pending.forwardingId })).planId;
      },
    });
    const harness = h;
    const gx = harness.as("gx-office");
    const edit = (lead: string) => gx.plan.setResponsibilities({ planId: derivedPlanId, measureNumber: 7, lead, supporting: [] });
    // A central department is not a member of Guangxi's leading group.
    expect(await refusalOf(() => edit("MOFCOM"))).toMatchObject({ refusalCode: "unknown_department" });
    expect((await edit("450000-MOFCOM"))[0]).toMatchObject({ department: "450000-MOFCOM", role: "lead" });
    const lead = await harness.store.read(async (repos) => (await repos.catalog.responsibilities(derivedPlanId)).find((r) => r.measureNumber === 7 && r.role === "lead"));
    expect(lead?.department).toBe("450000-MOFCOM");
    // A deadline after the national plan's (2027-12-31) is refused; the parent's own is accepted.
    expect(await refusalOf(() => gx.plan.issue({ planId: derivedPlanId, dueDate: "2027-12-31", dueDates: [{ measureNumber: 7, dueDate: "2028-06-30" }] }))).toMatchObject({ refusalCode: "deadline_after_parent" });
    expect(await gx.plan.issue({ planId: derivedPlanId, dueDate: "2027-12-31" })).toMatchObject({ planId: derivedPlanId, status: "issued" });
    const view = await harness.as("miit").cascade.regionalView({ planId: harness.planId });
    expect(view.columns.map((c) => c.id)).toContain("450000");
    expect(view.drillDown["450000"]).toEqual([derivedPlanId]);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });
});
