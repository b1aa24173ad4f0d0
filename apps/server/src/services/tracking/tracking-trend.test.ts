import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

let h: Harness;
beforeEach(async () => {
  // Issued Monday 2 March 2026, 10:00 Beijing time, every assignment due 30 June.
  h = await createHarness({ now: new Date("2026-03-02T02:00:00Z") });
  await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });
});
afterEach(() => h.close());

async function ref(measureNumber: number, department: string) {
  const page = await h.as("miit").inbox.list({ planId: h.planId, department, limit: 200 });
  const row = page.rows.find((r) => r.measureNumber === measureNumber);
  if (row === undefined) throw new Error(`${department} has no assignment on (${measureNumber})`);
  return { id: row.id, expectedVersion: row.version };
}

async function acceptAndSignOff(liaison: string, measureNumber: number, department: string): Promise<void> {
  const accepted = await h.as(liaison).assignment.accept(await ref(measureNumber, department));
  await h.as(liaison).assignment.signOff({ id: accepted.id, expectedVersion: accepted.version, summary: "Done." });
}

describe("tracking.trend", () => {
  it("counts open and done per week and each department's on-time rate from the audit trail", async () => {
    // (22) intellectual property: CNIPA alone, signed off in the second week, on time.
    h.clock.now = new Date("2026-03-10T02:00:00Z");
    await acceptAndSignOff("cnipa", 22, "CNIPA");
    // (7) tax policies: MOF supports; it signs off two days after the due date: late.
    h.clock.now = new Date("2026-07-02T02:00:00Z");
    await acceptAndSignOff("mof", 7, "MOF");
    h.clock.now = new Date("2026-07-06T02:00:00Z");

    const overview = await h.as("miit").tracking.overview({ planId: h.planId });
    const total = overview.totals.assignments;
    const trend = await h.as("miit").tracking.trend({ planId: h.planId, weeks: 3 });
    expect(trend.weeks).toEqual([
      { weekStart: "2026-06-22", weekEnd: "2026-06-28", open: total - 1, done: 1 },
      { weekStart: "2026-06-29", weekEnd: "2026-07-05", open: total - 2, done: 2 },
      { weekStart: "2026-07-06", weekEnd: "2026-07-12", open: total - 2, done: 2 },
    ]);
    const all = await h.as("observer").tracking.trend({ planId: h.planId });
    expect(all.weeks).toHaveLength(19); // 2 March to 6 July, under the default of 26
    expect(all.weeks[0]).toEqual({ weekStart: "2026-03-02", weekEnd: "2026-03-08", open: total, done: 0 });
    expect(all.weeks[1]).toMatchObject({ open: total - 1, done: 1 });

    // Past the due date, every assignment has come due: the one on-time sign-off is CNIPA's.
    const tallyOf = (d: string) => overview.departments.find((t) => t.department === d)?.total ?? 0;
    expect(trend.departments.map((d) => d.department)).toEqual(overview.departments.map((d) => d.department));
    for (const d of trend.departments) {
      const onTime = d.department === "CNIPA" ? 1 : 0;
      expect(d, d.department).toEqual({ department: d.department, onTime, late: tallyOf(d.department) - onTime, rate: onTime / tallyOf(d.department) });
    }
  });

  it("shows a liaison the measures their department shares and only their own rate", async () => {
    h.clock.now = new Date("2026-03-10T02:00:00Z");
    await acceptAndSignOff("cnipa", 22, "CNIPA");
    const mine = await h.as("mof").tracking.overview({ planId: h.planId });
    const trend = await h.as("mof").tracking.trend({ planId: h.planId });
    expect(trend.departments).toEqual([{ department: "MOF", onTime: 0, late: 0, rate: null }]);
    // CNIPA's sign-off on (22) is outside MOF's measures: MOF's chart does not count it.
    expect(trend.weeks.at(-1)).toEqual({ weekStart: "2026-03-09", weekEnd: "2026-03-15", open: mine.totals.assignments, done: 0 });
  });

  it("refuses an unknown plan and an anonymous caller", async () => {
    expect((await refusalOf(() => h.as("miit").tracking.trend({ planId: 9999 }))).code).toBe("NOT_FOUND");
    expect((await refusalOf(() => h.anonymous().tracking.trend({ planId: h.planId }))).code).toBe("UNAUTHORIZED");
  });
});
