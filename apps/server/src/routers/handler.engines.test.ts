import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, harnessEngines, refusalOf } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { issuedPlanWithHandler } from "../test-support/seeds.js";

// A handler's (承办人) reach through the converted read procedures, on both engines (issue 13): the SQL of the reach
// lives in each adapter, so each engine's is tested. mof.tax was handed MOF's (7); mof.budget nothing.
describe.each(harnessEngines)("a handler's views on %s", (engine) => {
  let h: Harness;
  let given: number;
  beforeAll(async () => {
    h = await createHarness({ engine, seed: issuedPlanWithHandler });
    const seven = (await h.as("miit").tracking.overview({ planId: h.planId })).measures.find((m) => m.number === 7);
    const mof = seven?.assignments.find((a) => a.department === "MOF");
    if (mof === undefined) throw new Error("MOF has no assignment on (7)");
    given = mof.id;
  });
  afterAll(() => h.close());

  it("tracking.overview and matrix.get: only the assignment handed to the handler", async () => {
    const mine = await h.as("mof.tax").tracking.overview({ planId: h.planId });
    expect(mine.measures.map((m) => [m.number, m.assignments.map((a) => a.id)])).toEqual([[7, [given]]]);
    expect((await h.as("mof.budget").tracking.overview({ planId: h.planId })).measures).toEqual([]);
    const matrix = await h.as("mof.tax").matrix.get({ planId: h.planId, withStatus: true });
    const stated = matrix.matrix.groups.flatMap((g) => g.rows).flatMap((r) => r.cells.filter((c) => c.status !== null).map((c) => [r.measure.number, c.department]));
    expect(stated).toEqual([[7, "MOF"]]);
  });

  it("tracking.overdue and tracking.trend: only the assignment handed to the handler", async () => {
    h.clock.now = new Date("2026-08-01T02:00:00Z");
    try {
      expect((await h.as("mof.tax").tracking.overdue({ planId: h.planId })).map((o) => o.id)).toEqual([given]);
      expect(await h.as("mof.budget").tracking.overdue({ planId: h.planId })).toEqual([]);
      expect((await h.as("mof").tracking.overdue({ planId: h.planId })).length).toBeGreaterThan(1);
      const trend = await h.as("mof.tax").tracking.trend({ planId: h.planId, weeks: 52 });
      expect(Math.max(...trend.weeks.map((w) => w.open + w.done))).toBe(1);
    } finally {
      h.clock.now = new Date("2026-03-03T01:00:00Z");
    }
  });

  it("audit.list and measure.history: the handed assignment's events only; a colleague's refused", async () => {
    const trail = await h.as("mof.tax").audit.list({ limit: 200 });
    expect(trail.rows.length).toBeGreaterThan(0);
    expect(trail.rows.every((r) => r.assignmentId === given)).toBe(true);
    expect(trail.rows.map((r) => r.type)).toContain("assignment.handler_assigned");
    expect((await h.as("mof.budget").audit.list({ limit: 200 })).rows.filter((r) => r.type !== "access.refused")).toEqual([]);
    expect(await refusalOf(() => h.as("mof.budget").audit.list({ assignmentId: given }))).toMatchObject({ refusalCode: "not_your_assignment" });

    const history = await h.as("mof.tax").measure.history({ planId: h.planId, measureNumber: 7 });
    expect(history.events.every((e) => e.assignmentId === null || e.assignmentId === given)).toBe(true);
    expect(history.events.some((e) => e.assignmentId === given)).toBe(true);
    expect(await refusalOf(() => h.as("mof.budget").measure.history({ planId: h.planId, measureNumber: 7 }))).toMatchObject({
      refusalCode: "not_your_department",
    });
  });
});
