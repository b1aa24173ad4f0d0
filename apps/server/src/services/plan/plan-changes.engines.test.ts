import { afterEach, describe, expect, it } from "vitest";
import { createHarness, harnessEngines, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

// The changes after issue and the plan's text in its other language on the store seam (issue 13): the same answers,
// rows, audit events and notices on SQLite and on PostgreSQL; the chain verifies after each.
describe.each(harnessEngines)("the plan's changes after issue on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  // The harness's clock is 2026-03-02 (Beijing); the plan is issued in the seed, due 2026-06-30.
  const issued = () => createHarness({ engine, seed: async ({ as, planId }) => void (await as("miit").plan.issue({ planId, dueDate: "2026-06-30" })) });

  async function measureOf(harness: Harness, number: number) {
    const overview = await harness.as("observer").tracking.overview({ planId: harness.planId });
    const m = overview.measures.find((x) => x.number === number);
    if (m === undefined) throw new Error(`no measure (${number})`);
    return m;
  }
  const divisionOf = (harness: Harness, number: number) =>
    harness.store.read(async (repos) => (await repos.catalog.responsibilities(harness.planId)).filter((r) => r.measureNumber === number).map((r) => [r.department, r.role]));
  const noticesOf = (harness: Harness, department: string) =>
    harness.store.read(async (repos) => {
      const [account] = await repos.notices.enabledAccountsIn([department]);
      return account === undefined ? [] : repos.notices.listFor(account, 100);
    });

  it("plan.changeDeadline moves a measure's open assignments, one event each; refuses the past and anyone but the coordinator", async () => {
    h = await issued();
    const harness = h;
    const planId = harness.planId;
    const changed = await harness.as("miit").plan.changeDeadline({ planId, measureNumber: 7, dueDate: "2026-09-30", note: "Budget cycle." });
    const seven = await measureOf(harness, 7);
    expect(changed).toMatchObject({ planId, measureNumbers: [7] });
    expect(changed.assignmentIds).toHaveLength(seven.assignments.length);
    for (const a of seven.assignments) expect(a).toMatchObject({ dueDate: "2026-09-30", version: 2 });
    expect(await refusalOf(() => harness.as("miit").plan.changeDeadline({ planId, measureNumber: 7, dueDate: "2026-01-01" }))).toMatchObject({ refusalCode: "deadline_in_past" });
    expect(await harness.as("miit").plan.changeDeadline({ planId, measureNumber: 7, dueDate: "2026-01-01", backdated: true })).toMatchObject({ planId });
    expect(await refusalOf(() => harness.as("sta").plan.changeDeadline({ planId, measureNumber: 7, dueDate: "2026-12-31" }))).toMatchObject({ code: "FORBIDDEN" });
    const events = await harness.store.read((repos) => repos.auditTrail.page({ planId, organisation: { id: "CN", national: true }, limit: 200 }));
    expect(events.filter((e) => e.type === "assignment.deadline_changed")).toHaveLength(2 * seven.assignments.length);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });

  it("plan.addSupporting and plan.removeSupporting engage and release a department, the matrix and its notices following", async () => {
    h = await issued();
    const harness = h;
    const planId = harness.planId;
    const before = await divisionOf(harness, 9);
    const added = await harness.as("miit").plan.addSupporting({ planId, measureNumber: 9, department: "NBS", note: "Figures." });
    expect(added.departments).toEqual(["NBS"]);
    expect((await measureOf(harness, 9)).assignments.find((a) => a.department === "NBS")).toMatchObject({ role: "supporting", status: "assigned", dueDate: "2026-06-30" });
    expect(await divisionOf(harness, 9)).toEqual([...before, ["NBS", "supporting"]]);
    expect(await refusalOf(() => harness.as("miit").plan.addSupporting({ planId, measureNumber: 9, department: "NBS" }))).toMatchObject({ refusalCode: "already_responsible" });
    expect(await refusalOf(() => harness.as("miit").plan.addSupporting({ planId, measureNumber: 9, department: "XYZ" }))).toMatchObject({ refusalCode: "unknown_department" });

    const heardBefore = (await noticesOf(harness, "NBS")).length;
    await harness.as("miit").plan.removeSupporting({ planId, measureNumber: 9, department: "NBS", reason: "Not needed after all." });
    expect((await measureOf(harness, 9)).assignments.find((a) => a.department === "NBS")?.status).toBe("withdrawn");
    expect(await divisionOf(harness, 9)).toEqual(before);
    // The withdrawal reaches the department's notices.
    expect((await noticesOf(harness, "NBS")).length).toBeGreaterThan(heardBefore);
    const lead = before.find(([, role]) => role === "lead")?.[0] ?? "";
    expect(await refusalOf(() => harness.as("miit").plan.removeSupporting({ planId, measureNumber: 9, department: lead, reason: "x" }))).toMatchObject({
      refusalCode: "lead_cannot_be_removed",
    });
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
    expect(await harness.store.checkAssignmentCounts()).toEqual([]);
  });

  it("plan.changeLead promotes a supporting department and a new one, the former lead supporting", async () => {
    h = await issued();
    const harness = h;
    const planId = harness.planId;
    await harness.as("miit").plan.changeLead({ planId, measureNumber: 9, department: "CBIRC", reason: "Banking regulation leads." });
    const nine = await measureOf(harness, 9);
    expect(nine.assignments.find((a) => a.department === "CBIRC")).toMatchObject({ role: "lead" });
    expect(nine.assignments.find((a) => a.department === "PBOC")).toMatchObject({ role: "supporting" });
    expect((await divisionOf(harness, 9)).filter(([, role]) => role === "lead")).toEqual([["CBIRC", "lead"]]);
    await harness.as("miit").plan.changeLead({ planId, measureNumber: 9, department: "NDRC", reason: "Reform." });
    expect((await measureOf(harness, 9)).assignments.find((a) => a.department === "NDRC")).toMatchObject({ role: "lead", status: "assigned" });
    expect((await divisionOf(harness, 9)).filter(([, role]) => role === "lead")).toEqual([["NDRC", "lead"]]);
    expect(await refusalOf(() => harness.as("pboc").plan.changeLead({ planId, measureNumber: 9, department: "PBOC", reason: "x" }))).toMatchObject({ code: "FORBIDDEN" });
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });

  it("plan.withdraw withdraws the open work and the plan; a change after it is refused", async () => {
    h = await issued();
    const harness = h;
    const planId = harness.planId;
    const withdrawn = await harness.as("miit").plan.withdraw({ planId, reason: "Superseded." });
    expect(withdrawn.assignmentIds.length).toBeGreaterThan(60);
    expect((await harness.store.read((repos) => repos.catalog.plan(planId)))?.status).toBe("withdrawn");
    expect((await measureOf(harness, 9)).assignments.every((a) => a.status === "withdrawn")).toBe(true);
    expect(await refusalOf(() => harness.as("miit").plan.changeDeadline({ planId, measureNumber: 9, dueDate: "2026-12-31" }))).toMatchObject({ refusalCode: "plan_withdrawn" });
    expect(await refusalOf(() => harness.as("miit").plan.withdraw({ planId, reason: "again" }))).toMatchObject({ refusalCode: "plan_withdrawn" });
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
    expect(await harness.store.checkAssignmentCounts()).toEqual([]);
  });

  it("a change after issue or a withdrawal of a draft is refused (plan_not_issued), writing nothing", async () => {
    h = await createHarness({ engine });
    const harness = h;
    expect(await refusalOf(() => harness.as("miit").plan.changeDeadline({ planId: harness.planId, measureNumber: 7, dueDate: "2026-12-31" }))).toMatchObject({
      refusalCode: "plan_not_issued",
    });
    expect(await refusalOf(() => harness.as("miit").plan.withdraw({ planId: harness.planId, reason: "x" }))).toMatchObject({ refusalCode: "plan_not_issued" });
    expect((await harness.store.read((repos) => repos.catalog.plan(harness.planId)))?.status).toBe("draft");
    expect(await harness.store.read((repos) => repos.catalog.assignmentCounts([harness.planId]))).toEqual([]);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });
});

describe.each(harnessEngines)("plan.addTranslation on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  const chinese = [
    "关于健全支持中小企业发展制度的若干意见",
    "一、完善支持中小企业发展的基础性制度",
    "（一）健全中小企业法律法规体系。以《中华人民共和国中小企业促进法》为基础，加快构建具有中国特色、支持中小企业发展的法律法规体系。",
    "（二）坚持公平竞争制度。全面实施市场准入负面清单制度。",
    "二、坚持和完善中小企业财税支持制度",
    "（七）完善税费优惠政策。落实好中小企业减税降费政策。",
  ].join("\n");

  it("stores the aligned texts (replacing earlier ones), audits them, and refuses the plan's own language and anyone but the coordinator", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const planId = harness.planId;
    const added = await harness.as("miit").plan.addTranslation({ planId, text: chinese });
    expect(added).toMatchObject({ planId, language: "zh", aligned: [1, 2, 7], extra: [] });
    await harness.as("miit").plan.addTranslation({ planId, text: chinese.replace("减税降费", "减税") });
    const stored = await harness.store.read(async (repos) => {
      const seven = await repos.catalog.measure(planId, 7);
      return seven === undefined ? [] : repos.catalog.measureTranslations([seven.id]);
    });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ language: "zh" });
    expect(stored[0]?.text).toContain("减税");
    expect(stored[0]?.text).not.toContain("降费");
    const [latest] = await harness.store.read((repos) => repos.auditTrail.page({ planId, organisation: { id: "CN", national: true }, limit: 1 }));
    expect(latest).toMatchObject({ type: "plan.translation_added", actorUsername: "miit" });
    expect(await refusalOf(() => harness.as("miit").plan.addTranslation({ planId, text: "I. Something\n(1) improve the legal framework for small firms." }))).toMatchObject({
      code: "BAD_REQUEST",
      field: "text",
    });
    expect(await refusalOf(() => harness.as("mof").plan.addTranslation({ planId, text: chinese }))).toMatchObject({ code: "FORBIDDEN" });
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });
});
