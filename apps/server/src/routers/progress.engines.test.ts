import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, harnessEngines, refusalOf } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { issuedPlanWithHistory } from "../test-support/seeds.js";

// matrix.get and tracking.* on the store seam (issue 13): the same answers on SQLite and PostgreSQL, a liaison
// seeing the states of the measures it shares only, a province's office refused the national plan.
describe.each(harnessEngines)("matrix and tracking on %s", (engine) => {
  let h: Harness;
  let mofMeasures: Set<number>;
  beforeAll(async () => {
    h = await createHarness({ engine, seed: issuedPlanWithHistory });
    const detail = await h.as("miit").catalog.plan({ planId: h.planId });
    mofMeasures = new Set(detail.responsibilities.filter((r) => r.department === "MOF").map((r) => r.measureNumber));
  });
  afterAll(() => h.close());

  it("matrix.get: the division of work for everyone; states only on the measures the liaison shares", async () => {
    const all = await h.as("observer").matrix.get({ planId: h.planId, withStatus: true });
    const rows = all.matrix.groups.flatMap((g) => g.rows);
    expect(rows.map((r) => r.measure.number)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(rows.every((r) => r.lead !== null)).toBe(true);
    expect(rows.find((r) => r.measure.number === 9)?.measureStatus).toBe("closed");
    const seven = rows.find((r) => r.measure.number === 7);
    expect(seven?.cells.find((c) => c.department === "MOF")?.status).toBe("declined");
    expect(all.dueDates).toHaveLength(25);

    const mof = await h.as("mof").matrix.get({ planId: h.planId, withStatus: true });
    const mofRows = mof.matrix.groups.flatMap((g) => g.rows);
    expect(mofRows.map((r) => r.lead)).toEqual(rows.map((r) => r.lead));
    const withStates = mofRows.filter((r) => r.cells.some((c) => c.status !== null)).map((r) => r.measure.number);
    expect(withStates.length).toBeGreaterThan(0);
    expect(withStates.every((n) => mofMeasures.has(n))).toBe(true);
    expect(new Set(withStates)).toEqual(mofMeasures);

    const plain = await h.as("mof").matrix.get({ planId: h.planId });
    expect(plain.matrix.groups.flatMap((g) => g.rows).every((r) => r.cells.every((c) => c.status === null))).toBe(true);
  });

  it("tracking.overview: the whole grid for the coordinator; a liaison its shared measures, its own tally, its own words", async () => {
    const miit = await h.as("miit").tracking.overview({ planId: h.planId });
    expect(miit.measures).toHaveLength(25);
    expect(miit.plan).toMatchObject({ id: h.planId, status: "issued" });
    const seven = miit.measures.find((m) => m.number === 7);
    expect(seven?.assignments.find((a) => a.department === "STA")).toMatchObject({
      extensionPending: true,
      pendingExtension: { until: "2026-09-30", reason: "数据滞后 data late", requestedAt: "2026-03-03T01:00:00.000Z" },
    });
    expect(seven?.assignments.find((a) => a.department === "MOF")).toMatchObject({ status: "declined", declineReason: "不属本部门职责" });
    expect(miit.measures.find((m) => m.number === 9)).toMatchObject({ status: "closed", closed: true });
    expect(miit.departments.length).toBeGreaterThanOrEqual(17);
    expect(miit.totals.assignments).toBe(miit.measures.reduce((n, m) => n + m.assignments.length, 0));

    const mof = await h.as("mof").tracking.overview({ planId: h.planId });
    expect(new Set(mof.measures.map((m) => m.number))).toEqual(mofMeasures);
    expect(mof.departments.map((d) => d.department)).toEqual(["MOF"]);
    const mofSeven = mof.measures.find((m) => m.number === 7);
    // STA's words (its extension's reason) are not MOF's to read; its state is.
    expect(mofSeven?.assignments.find((a) => a.department === "STA")).toMatchObject({ extensionPending: true, pendingExtension: null });
    expect(mofSeven?.assignments.find((a) => a.department === "MOF")?.declineReason).toBe("不属本部门职责");
  });

  it("tracking.overdue: past the due date, the open work, latest first; a liaison its own department's", async () => {
    expect(await h.as("miit").tracking.overdue({ planId: h.planId })).toEqual([]);
    h.clock.now = new Date("2026-08-01T02:00:00Z");
    try {
      const all = await h.as("miit").tracking.overdue({ planId: h.planId });
      expect(all.length).toBeGreaterThan(25);
      // (9) was signed off and closed: nothing owed there.
      expect(all.some((o) => o.measureNumber === 9)).toBe(false);
      expect(all.map((o) => [o.dueDate, o.measureNumber, o.id])).toEqual(
        [...all.map((o) => [o.dueDate, o.measureNumber, o.id] as const)].sort((x, y) => x[0].localeCompare(y[0]) || x[1] - y[1] || x[2] - y[2]),
      );
      expect(all[0]).toMatchObject({ dueDate: "2026-06-30", lateness: expect.any(String), daysLate: expect.any(Number) });
      expect(all.find((o) => o.measureNumber === 7)?.measureTitle.length).toBeGreaterThan(0);
      const mof = await h.as("mof").tracking.overdue({ planId: h.planId });
      expect(mof.length).toBeGreaterThan(0);
      expect(mof.every((o) => o.department === "MOF")).toBe(true);
    } finally {
      h.clock.now = new Date("2026-03-05T01:00:00Z");
    }
  });

  it("tracking.trend: open and done per week from the trail; a liaison its own department's rate only", async () => {
    const all = await h.as("miit").tracking.trend({ planId: h.planId, weeks: 4 });
    expect(all.weeks.length).toBeGreaterThan(0);
    expect(Math.max(...all.weeks.map((w) => w.done))).toBe(2);
    expect(all.departments.length).toBeGreaterThanOrEqual(17);
    const mof = await h.as("mof").tracking.trend({ planId: h.planId, weeks: 4 });
    expect(mof.departments.map((d) => d.department)).toEqual(["MOF"]);
    expect(Math.max(...mof.weeks.map((w) => w.open + w.done))).toBeLessThan(Math.max(...all.weeks.map((w) => w.open + w.done)));
  });

  it("refuses a province's office the national plan's matrix and grid, and answers not_found for no plan", async () => {
    for (const call of [
      () => h.as("zj-office").matrix.get({ planId: h.planId }),
      () => h.as("zj-office").tracking.overview({ planId: h.planId }),
      () => h.as("zj-office").tracking.overdue({ planId: h.planId }),
      () => h.as("zj-office").tracking.trend({ planId: h.planId }),
    ]) {
      expect(await refusalOf(call)).toMatchObject({ code: "FORBIDDEN", refusalCode: "not_visible" });
    }
    expect(await refusalOf(() => h.as("miit").matrix.get({ planId: 99_999 }))).toMatchObject({ refusalCode: "not_found" });
    expect(await refusalOf(() => h.as("miit").tracking.overview({ planId: 99_999 }))).toMatchObject({ refusalCode: "not_found" });
  });
});

describe("matrix and tracking: the same answers on both engines", () => {
  it("answer alike for the coordinator, a liaison, an observer and a province's office", async () => {
    const [sqlite, postgres] = await Promise.all(harnessEngines.map((engine) => createHarness({ engine, seed: issuedPlanWithHistory })));
    if (sqlite === undefined || postgres === undefined) throw new Error("two harnesses expected");
    try {
      for (const username of ["miit", "mof", "sta", "observer", "zj-office"]) {
        const answers = async (h: Harness) => {
          const c = h.as(username);
          const settle = (p: Promise<unknown>) => p.catch((error: unknown) => String(error));
          return {
            matrix: await settle(c.matrix.get({ planId: h.planId, withStatus: true })),
            tracking: await settle(c.tracking.overview({ planId: h.planId })),
            trend: await settle(c.tracking.trend({ planId: h.planId, weeks: 8 })),
            overdue: await settle(
              (async () => {
                h.clock.now = new Date("2026-08-01T02:00:00Z");
                try {
                  return await c.tracking.overdue({ planId: h.planId });
                } finally {
                  h.clock.now = new Date("2026-03-05T01:00:00Z");
                }
              })(),
            ),
          };
        };
        expect(await answers(postgres)).toEqual(await answers(sqlite));
      }
    } finally {
      await Promise.all([sqlite.close(), postgres.close()]);
    }
  });
});
