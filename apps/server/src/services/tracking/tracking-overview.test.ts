import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });
});
afterEach(() => h.close());

/** The assignment of a department on a measure, as the coordinator's inbox lists it. */
async function ref(measureNumber: number, department: string) {
  const page = await h.as("miit").inbox.list({ planId: h.planId, department, limit: 200 });
  const row = page.rows.find((r) => r.measureNumber === measureNumber);
  if (row === undefined) throw new Error(`${department} has no assignment on (${measureNumber})`);
  return { id: row.id, expectedVersion: row.version };
}

describe("what lists show without fetching each assignment", () => {
  it("tracking.overview cells carry the pending extension (until, reason, requested at) and the latest decline reason", async () => {
    // (7) "tax policies": MOF and STA.
    h.clock.now = new Date("2026-03-03T01:00:00Z");
    await h.as("sta").assignment.requestExtension({ ...(await ref(7, "STA")), until: "2026-09-30", reason: "数据滞后 data late" });
    h.clock.now = new Date("2026-03-04T01:00:00Z");
    await h.as("mof").assignment.decline({ ...(await ref(7, "MOF")), reason: "first reason" });
    await h.as("miit").assignment.reaffirm({ ...(await ref(7, "MOF")), note: "it is yours" });
    await h.as("mof").assignment.decline({ ...(await ref(7, "MOF")), reason: "不属本部门职责 — second reason" });

    const overview = await h.as("miit").tracking.overview({ planId: h.planId });
    const seven = overview.measures.find((m) => m.number === 7);
    const sta = seven?.assignments.find((a) => a.department === "STA");
    const mof = seven?.assignments.find((a) => a.department === "MOF");
    expect(sta).toMatchObject({
      extensionPending: true,
      pendingExtension: { until: "2026-09-30", reason: "数据滞后 data late", requestedAt: "2026-03-03T01:00:00.000Z" },
      declineReason: null,
    });
    expect(mof).toMatchObject({ status: "declined", declineReason: "不属本部门职责 — second reason", pendingExtension: null });
    // Everyone else: nothing pending, no reason.
    const rest = overview.measures.flatMap((m) => m.assignments).filter((a) => a !== sta && a !== mof);
    expect(rest.every((a) => a.pendingExtension === null && a.declineReason === null)).toBe(true);

    // Decided, the extension leaves the cell; reassigned, the decline reason goes with the status.
    await h.as("miit").assignment.decideExtension({ ...(await ref(7, "STA")), approve: true, note: "" });
    await h.as("miit").assignment.reassign({ ...(await ref(7, "MOF")), toDepartment: "CNIPA", note: "Patents." });
    const after = (await h.as("observer").tracking.overview({ planId: h.planId })).measures.find((m) => m.number === 7);
    expect(after?.assignments.every((a) => a.pendingExtension === null && a.declineReason === null)).toBe(true);
  });

  it("a liaison reads another department's states on a shared measure, not its words", async () => {
    await h.as("sta").assignment.requestExtension({ ...(await ref(7, "STA")), until: "2026-09-30", reason: "STA's own reason" });
    await h.as("mof").assignment.decline({ ...(await ref(7, "MOF")), reason: "MOF's own reason" });

    const byMof = (await h.as("mof").tracking.overview({ planId: h.planId })).measures.find((m) => m.number === 7);
    expect(byMof?.assignments.find((a) => a.department === "STA")).toMatchObject({ extensionPending: true, pendingExtension: null });
    expect(byMof?.assignments.find((a) => a.department === "MOF")).toMatchObject({ status: "declined", declineReason: "MOF's own reason" });

    const bySta = (await h.as("sta").tracking.overview({ planId: h.planId })).measures.find((m) => m.number === 7);
    expect(bySta?.assignments.find((a) => a.department === "MOF")).toMatchObject({ status: "declined", declineReason: null });
    expect(bySta?.assignments.find((a) => a.department === "STA")?.pendingExtension).toMatchObject({ reason: "STA's own reason" });
  });

  it("inbox.list rows carry the measure's excerpt, whether its text is cut, and a declined row's reason", async () => {
    await h.as("mof").assignment.decline({ ...(await ref(7, "MOF")), reason: "not ours" });
    const plan = await h.as("miit").catalog.plan({ planId: h.planId });
    const page = await h.as("miit").inbox.list({ planId: h.planId, department: null, limit: 200 });
    expect(page.rows.length).toBeGreaterThan(25);
    for (const row of page.rows) {
      const measure = plan.measures.find((m) => m.number === row.measureNumber);
      if (measure === undefined) throw new Error(`no measure (${row.measureNumber})`);
      expect(row.textCut, `(${row.measureNumber})`).toBe(measure.textCut);
      // Whole characters: an astral character is never cut in half.
      expect(row.measureExcerpt).toBe([...measure.text].slice(0, 240).join(""));
      expect(row.declineReason).toBe(row.department === "MOF" && row.measureNumber === 7 ? "not ours" : null);
    }
    // The 2020 translation cuts several measures short; the rows say so.
    expect(new Set(page.rows.filter((r) => r.textCut).map((r) => r.measureNumber))).toEqual(
      new Set(plan.measures.filter((m) => m.textCut).map((m) => m.number)),
    );
    expect(page.rows.some((r) => r.textCut)).toBe(true);
    // Searching, the excerpt shows the match.
    const found = await h.as("miit").inbox.list({ planId: h.planId, department: null, search: "credit", limit: 200 });
    expect(found.rows.length).toBeGreaterThan(0);
    for (const row of found.rows) expect(`${row.measureTitle} ${row.measureExcerpt}`.toLowerCase()).toContain("credit");
    const mine = await h.as("mof").inbox.list({ planId: h.planId, status: "declined" });
    expect(mine.rows.map((r) => r.declineReason)).toEqual(["not ours"]);
  });
});
