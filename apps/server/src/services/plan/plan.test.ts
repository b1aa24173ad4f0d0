import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { proposedDivision2020 } from "@countersign/domain";
import { createHarness, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe("the division of work before issuing", () => {
  it("catalog.plan gives sections, measures and the proposed division with its justifications", async () => {
    const plan = await h.as("observer").catalog.plan({ planId: h.planId });
    expect(plan.plan.status).toBe("draft");
    expect(plan.departments).toHaveLength(17);
    expect(plan.sections).toHaveLength(7);
    expect(plan.measures).toHaveLength(25);
    expect(plan.responsibilities).toHaveLength(proposedDivision2020.length);
    expect(plan.responsibilities.find((r) => r.measureNumber === 22)).toMatchObject({
      department: "CNIPA",
      role: "lead",
      justification: { kind: "phrase" },
    });
    const plans = await h.as("mof").catalog.plans();
    expect(plans).toMatchObject([{ id: h.planId, status: "draft", measures: 25, assignments: 0 }]);
  });

  it("refuses a draft's division to a liaison (catalog.plan, matrix), and gives it once the plan is issued", async () => {
    const mof = h.as("mof");
    for (const read of [() => mof.catalog.plan({ planId: h.planId }), () => mof.matrix.get({ planId: h.planId })]) {
      const refusal = await refusalOf(read);
      expect(refusal.refusalCode).toBe("plan_not_issued");
      expect(refusal.message).toMatch(/still a draft/);
    }
    // The lead ministry's side reads it; the catalogue still lists the draft by name to everyone.
    expect((await h.as("miit").catalog.plan({ planId: h.planId })).responsibilities.length).toBeGreaterThan(0);
    expect((await mof.catalog.plans()).map((p) => p.id)).toContain(h.planId);
    await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-12-31" });
    expect((await mof.catalog.plan({ planId: h.planId })).responsibilities.length).toBeGreaterThan(0);
    expect((await mof.matrix.get({ planId: h.planId })).planId).toBe(h.planId);
  });

  it("the coordinator edits a measure's lead and supporting departments; a department that stays keeps its justification", async () => {
    const miit = h.as("miit");
    const result = await miit.plan.setResponsibilities({ planId: h.planId, measureNumber: 7, lead: "MOF", supporting: ["STA", "CNIPA"] });
    expect(result.map((r) => [r.department, r.role])).toEqual([
      ["MOF", "lead"],
      ["STA", "supporting"],
      ["CNIPA", "supporting"],
    ]);
    expect(result[1]?.justification).not.toBeNull(); // STA was proposed for "tax"
    expect(result[2]?.justification).toBeNull();
    const matrix = await miit.matrix.get({ planId: h.planId });
    const row = matrix.matrix.groups.flatMap((g) => g.rows).find((r) => r.measure.number === 7);
    expect(row).toMatchObject({ lead: "MOF", measureStatus: null });
    expect(row?.supporting.sort()).toEqual(["CNIPA", "STA"]);

    expect(
      await refusalOf(() => miit.plan.setResponsibilities({ planId: h.planId, measureNumber: 7, lead: "MOF", supporting: ["MOF"] })),
    ).toMatchObject({ code: "BAD_REQUEST", field: "supporting" });
    expect(
      await refusalOf(() => miit.plan.setResponsibilities({ planId: h.planId, measureNumber: 7, lead: "XYZ", supporting: [] })),
    ).toMatchObject({ code: "BAD_REQUEST", refusalCode: "unknown_department", field: "lead" });
    expect(
      await refusalOf(() => miit.plan.setResponsibilities({ planId: h.planId, measureNumber: 99, lead: "MOF", supporting: [] })),
    ).toMatchObject({ code: "NOT_FOUND", field: "measureNumber" });
    expect(
      await refusalOf(() => miit.plan.issue({ planId: h.planId, dueDate: "ongoing", dueDates: [{ measureNumber: 26, dueDate: "ongoing" }] })),
    ).toMatchObject({ code: "BAD_REQUEST", field: "dueDates[0].measureNumber" });
  });

  it("issues one assignment per responsibility with its due date, and pages the trail by cursor", async () => {
    const miit = h.as("miit");
    const issued = await miit.plan.issue({ planId: h.planId, dueDate: "2026-12-31", dueDates: [{ measureNumber: 24, dueDate: "ongoing" }] });
    expect(issued.assignments).toBe(proposedDivision2020.length);
    const overview = await miit.tracking.overview({ planId: h.planId });
    expect(overview.plan.status).toBe("issued");
    expect(overview.measures.find((m) => m.number === 24)?.assignments.every((a) => a.dueDate === "ongoing")).toBe(true);
    expect(overview.measures.find((m) => m.number === 1)?.dueDate).toBe("2026-12-31");
    expect(overview.totals.byStatus.assigned).toBe(issued.assignments);

    const seen: number[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await miit.audit.list({ planId: h.planId, limit: 9, ...(cursor === undefined ? {} : { cursor }) });
      seen.push(...page.rows.map((r) => r.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    // plan.loaded, one assignment.issued per assignment, plan.issued; newest first, no repeats.
    expect(seen).toHaveLength(issued.assignments + 2);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });

  it("refuses to issue while a measure has no lead", async () => {
    await h.rows("delete from responsibilities where measure_number = 3 and role = 'lead'");
    expect(await refusalOf(() => h.as("miit").plan.issue({ planId: h.planId, dueDate: "ongoing" }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      refusalCode: "measure_without_lead",
    });
  });
});
