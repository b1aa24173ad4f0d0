import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, harnessEngines, refusalOf } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { issuedPlanWithHistory } from "../test-support/seeds.js";

// audit.list and measure.history on the store seam (issue 13): the same answers on SQLite and PostgreSQL, a liaison
// reading its own department's events only, a province's office refused the national plan's.
describe.each(harnessEngines)("the trail and a measure's history on %s", (engine) => {
  let h: Harness;
  let assignmentOf: (measureNumber: number, department: string) => number;
  beforeAll(async () => {
    h = await createHarness({ engine, seed: issuedPlanWithHistory });
    const overview = await h.as("miit").tracking.overview({ planId: h.planId });
    assignmentOf = (measureNumber, department) => {
      const a = overview.measures.find((m) => m.number === measureNumber)?.assignments.find((x) => x.department === department);
      if (a === undefined) throw new Error(`no assignment of ${department} on (${measureNumber})`);
      return a.id;
    };
  });
  afterAll(() => h.close());

  it("measure.history: the closing, who did it, the events; a liaison its own department's and the measure's", async () => {
    const history = await h.as("observer").measure.history({ planId: h.planId, measureNumber: 9 });
    expect(history.closure).toMatchObject({
      closed: true,
      closedAt: "2026-03-04T01:00:00.000Z",
      closeNote: "办结 closed",
      closedBy: { username: "miit" },
      reopenedBy: null,
    });
    const types = history.events.map((e) => e.type);
    expect(types.filter((t) => t === "assignment.signed_off")).toHaveLength(2);
    expect(types.at(-1)).toBe("measure.closed");
    expect(history.events.map((e) => e.id)).toEqual([...history.events.map((e) => e.id)].sort((a, b) => a - b));
    expect(history.events.find((e) => e.type === "measure.closed")?.actor.person).toMatchObject({ username: "miit" });

    const cbirc = await h.as("cbirc").measure.history({ planId: h.planId, measureNumber: 9 });
    expect(cbirc.events.length).toBeGreaterThan(0);
    expect(cbirc.events.length).toBeLessThan(history.events.length);
    expect(cbirc.events.every((e) => e.assignmentId === null || e.department === "CBIRC")).toBe(true);
    expect(cbirc.events.some((e) => e.type === "measure.closed")).toBe(true);
    expect(await refusalOf(() => h.as("cnipa").measure.history({ planId: h.planId, measureNumber: 9 }))).toMatchObject({
      refusalCode: "not_your_department",
    });
    expect(await refusalOf(() => h.as("zj-office").measure.history({ planId: h.planId, measureNumber: 9 }))).toMatchObject({
      code: "FORBIDDEN",
      refusalCode: "not_visible",
    });
    expect(await refusalOf(() => h.as("observer").measure.history({ planId: 99_999, measureNumber: 9 }))).toMatchObject({ refusalCode: "not_found" });
  });

  it("audit.list: newest first, paged by cursor without overlap; a liaison its own department's events only", async () => {
    const miit = h.as("miit");
    const first = await miit.audit.list({ limit: 5 });
    expect(first.rows).toHaveLength(5);
    expect(first.nextCursor).toBe(first.rows.at(-1)?.id);
    const second = await miit.audit.list({ limit: 5, cursor: first.nextCursor ?? undefined });
    const ids = [...first.rows, ...second.rows].map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(10);
    // The newest event of the seed's (the refusals other tests here recorded come after it).
    const closed = [...first.rows, ...second.rows].find((r) => r.type !== "access.refused");
    expect(closed?.type).toBe("measure.closed");
    expect(closed?.actor.person).toMatchObject({ username: "miit" });

    const mof = await h.as("mof").audit.list({ planId: h.planId, limit: 200 });
    expect(mof.rows.length).toBeGreaterThan(0);
    expect(mof.rows.every((r) => r.department === "MOF")).toBe(true);
    const declined = mof.rows.find((r) => r.type === "assignment.declined");
    expect(declined?.payload).toMatchObject({ reason: "不属本部门职责" });

    const own = await h.as("mof").audit.list({ assignmentId: assignmentOf(7, "MOF") });
    expect(own.rows.map((r) => r.type)).toContain("assignment.declined");
    expect(await refusalOf(() => h.as("mof").audit.list({ assignmentId: assignmentOf(7, "STA") }))).toMatchObject({
      refusalCode: "not_your_department",
    });
  });

  it("audit.list: a province's office is refused the national plan's trail and reads none of it unasked", async () => {
    expect(await refusalOf(() => h.as("zj-office").audit.list({ planId: h.planId }))).toMatchObject({ code: "FORBIDDEN", refusalCode: "not_visible" });
    const zhejiang = await h.as("zj-office").audit.list({ limit: 200 });
    expect(zhejiang.rows.filter((r) => r.planId === h.planId)).toEqual([]);
    expect(zhejiang.rows.filter((r) => r.planId === null)).toEqual([]);
  });
});

describe("the trail and a measure's history: the same answers on both engines", () => {
  it("answer alike, page for page, for the coordinator, liaisons, an observer and a province's office", async () => {
    const [sqlite, postgres] = await Promise.all(harnessEngines.map((engine) => createHarness({ engine, seed: issuedPlanWithHistory })));
    if (sqlite === undefined || postgres === undefined) throw new Error("two harnesses expected");
    try {
      for (const username of ["miit", "mof", "cbirc", "observer", "zj-office"]) {
        const answers = async (h: Harness) => {
          const c = h.as(username);
          const settle = (p: Promise<unknown>) => p.catch((error: unknown) => String(error));
          const first = await c.audit.list({ limit: 7 });
          return {
            first,
            second: await c.audit.list({ limit: 7, cursor: first.nextCursor ?? undefined }),
            plan: await settle(c.audit.list({ planId: h.planId, limit: 200 })),
            nine: await settle(c.measure.history({ planId: h.planId, measureNumber: 9 })),
            seven: await settle(c.measure.history({ planId: h.planId, measureNumber: 7 })),
          };
        };
        expect(await answers(postgres)).toEqual(await answers(sqlite));
      }
    } finally {
      await Promise.all([sqlite.close(), postgres.close()]);
    }
  });
});
