import { describe, expect, it } from "vitest";
import { departments } from "./departments.js";
import { buildResponsibilityMatrix } from "./matrix.js";
import type { MatrixInput } from "./matrix.js";
import { defaultPlan } from "./plan-2020.js";
import { proposedDivision2020 } from "./proposed-division-2020.js";
import type { Responsibility } from "./types.js";
import type { AssignmentRecord, TrailEvent } from "./as-of.js";
import { departmentView, replayAsOf } from "./as-of.js";

const defaultInput: MatrixInput = {
  plan: defaultPlan,
  departments,
  responsibilities: proposedDivision2020.map(({ measureNumber, department, role }) => ({ measureNumber, department, role })),
};

/*
 * A history built by hand. Times are UTC; Beijing is UTC+8, so 15:59:59Z is 23:59:59 the same day in Beijing and
 * 16:00:00Z is already the next day there.
 *   #1 measure 1, MIIT lead, due 2021-03-10: accepted 3-2, in progress 3-5, extension to 3-20 approved 3-12,
 *      signed off at 23:59:59 on 3-18 (Beijing).
 *   #2 measure 1, MOF supporting: declined 3-2, reassigned to NDRC at 00:00 on 3-4 (Beijing), accepted 3-5,
 *      signed off 3-6.
 *   #3 measure 2, STA lead, issued on 3-15.
 *   Measure 1 closed 3-19, reopened 3-25, closed again 3-26.
 */
const assignments: AssignmentRecord[] = [
  { id: 1, measureNumber: 1, department: "MIIT", role: "lead", status: "signed_off", dueDate: "2021-03-20", issuedAt: "2021-03-01T02:00:00.000Z" },
  { id: 2, measureNumber: 1, department: "NDRC", role: "supporting", status: "signed_off", dueDate: "2021-03-31", issuedAt: "2021-03-01T02:00:00.000Z" },
  { id: 3, measureNumber: 2, department: "STA", role: "lead", status: "assigned", dueDate: "ongoing", issuedAt: "2021-03-15T02:00:00.000Z" },
];

const responsibilities: Responsibility[] = [
  { measureNumber: 1, department: "MIIT", role: "lead" },
  { measureNumber: 1, department: "NDRC", role: "supporting" },
  { measureNumber: 2, department: "STA", role: "lead" },
];

let seq = 0;
function ev(at: string, type: string, assignmentId: number | null, from: string | null, to: string | null, payload: Record<string, unknown> = {}, measureNumber: number | null = null): TrailEvent {
  seq += 1;
  return { seq, at, type, assignmentId, measureNumber, fromStatus: from, toStatus: to, payload };
}

const events: TrailEvent[] = [
  ev("2021-03-01T02:00:00.000Z", "plan.issued", null, null, null),
  ev("2021-03-01T02:00:00.000Z", "assignment.issued", 1, null, "assigned", { dueDate: "2021-03-10" }, 1),
  ev("2021-03-01T02:00:00.000Z", "assignment.issued", 2, null, "assigned", { dueDate: "2021-03-31" }, 1),
  ev("2021-03-02T01:00:00.000Z", "assignment.accepted", 1, "assigned", "accepted", {}, 1),
  ev("2021-03-02T03:00:00.000Z", "assignment.declined", 2, "assigned", "declined", { reason: "not ours" }, 1),
  ev("2021-03-03T16:00:00.000Z", "assignment.reassigned", 2, "declined", "assigned", { fromDepartment: "MOF", toDepartment: "NDRC" }, 1),
  ev("2021-03-05T01:00:00.000Z", "assignment.progress_reported", 1, "accepted", "in_progress", { note: "started" }, 1),
  ev("2021-03-05T02:00:00.000Z", "assignment.accepted", 2, "assigned", "accepted", {}, 1),
  ev("2021-03-06T02:00:00.000Z", "assignment.signed_off", 2, "accepted", "signed_off", { summary: "done" }, 1),
  ev("2021-03-09T02:00:00.000Z", "assignment.extension_requested", 1, "in_progress", "in_progress", { until: "2021-03-20" }, 1),
  ev("2021-03-12T02:00:00.000Z", "assignment.extension_approved", 1, "in_progress", "in_progress", { approve: true, until: "2021-03-20" }, 1),
  ev("2021-03-15T02:00:00.000Z", "assignment.issued", 3, null, "assigned", { dueDate: "ongoing" }, 2),
  ev("2021-03-18T15:59:59.000Z", "assignment.signed_off", 1, "in_progress", "signed_off", { summary: "done" }, 1),
  ev("2021-03-19T01:00:00.000Z", "measure.closed", null, null, null, {}, 1),
  ev("2021-03-25T01:00:00.000Z", "measure.reopened", null, null, null, {}, 1),
  ev("2021-03-26T01:00:00.000Z", "measure.closed", null, null, null, {}, 1),
];

// The replay must not depend on the order rows are read in.
const shuffled = [...events].reverse();

function at(date: string) {
  const state = replayAsOf({ assignments, responsibilities, events: shuffled, date });
  const byId = new Map(state.assignments.map((a) => [a.id, a]));
  return { state, a1: byId.get(1), a2: byId.get(2), a3: byId.get(3) };
}

describe("replayAsOf", () => {
  it("has nothing issued before the plan was issued, and puts the reassigned responsibility back", () => {
    const { state } = at("2021-02-28");
    expect(state.assignments).toEqual([]);
    expect(state.closedMeasures).toEqual([]);
    expect(state.responsibilities).toContainEqual({ measureNumber: 1, department: "MOF", role: "supporting" });
    expect(state.responsibilities).not.toContainEqual(expect.objectContaining({ department: "NDRC" }));
    expect(state.cutoff.toISOString()).toBe("2021-02-28T16:00:00.000Z");
  });

  it("rebuilds statuses, departments and due dates day by day", () => {
    let s = at("2021-03-01");
    expect([s.a1?.status, s.a1?.dueDate, s.a2?.status, s.a2?.department, s.a3]).toEqual(["assigned", "2021-03-10", "assigned", "MOF", undefined]);
    s = at("2021-03-02");
    expect([s.a1?.status, s.a2?.status]).toEqual(["accepted", "declined"]);
    s = at("2021-03-05");
    expect([s.a1?.status, s.a2?.status, s.a2?.department]).toEqual(["in_progress", "accepted", "NDRC"]);
    s = at("2021-03-17");
    expect([s.a1?.status, s.a1?.dueDate, s.a2?.status, s.a3?.status]).toEqual(["in_progress", "2021-03-20", "signed_off", "assigned"]);
  });

  it("cuts at midnight Beijing time, not UTC", () => {
    // The reassignment at 16:00Z on 3-3 happened on 3-4 in Beijing.
    expect(at("2021-03-03").a2?.department).toBe("MOF");
    expect(at("2021-03-03").a2?.status).toBe("declined");
    expect(at("2021-03-04").a2?.department).toBe("NDRC");
    expect(at("2021-03-04").a2?.status).toBe("assigned");
    // The sign-off at 15:59:59Z on 3-18 is still 3-18 in Beijing.
    expect(at("2021-03-18").a1?.status).toBe("signed_off");
    expect(at("2021-03-14").a3).toBeUndefined();
    expect(at("2021-03-15").a3?.status).toBe("assigned");
  });

  it("judges lateness on the day itself, with the due date then in force", () => {
    expect([at("2021-03-08").a1?.lateness, at("2021-03-08").a1?.daysLate]).toEqual(["due_soon", 0]);
    expect([at("2021-03-10").a1?.lateness, at("2021-03-10").a1?.daysLate]).toEqual(["due_soon", 0]);
    // Past the first due date, before the extension was approved.
    expect([at("2021-03-11").a1?.lateness, at("2021-03-11").a1?.daysLate, at("2021-03-11").a1?.dueDate]).toEqual(["overdue", 1, "2021-03-10"]);
    // The extension to 3-20 was approved on 3-12: no longer late.
    expect([at("2021-03-12").a1?.lateness, at("2021-03-12").a1?.daysLate, at("2021-03-12").a1?.dueDate]).toEqual(["none", 0, "2021-03-20"]);
    expect(at("2021-03-18").a1?.lateness).toBe("none");
  });

  it("follows the closing and reopening of measures", () => {
    expect(at("2021-03-18").state.closedMeasures).toEqual([]);
    expect(at("2021-03-19").state.closedMeasures).toEqual([1]);
    expect(at("2021-03-25").state.closedMeasures).toEqual([]);
    expect(at("2021-03-26").state.closedMeasures).toEqual([1]);
  });

  it("feeds the domain's matrix: the as-of matrix shows MOF before the reassignment and the statuses then", () => {
    const { state } = at("2021-03-02");
    const matrix = buildResponsibilityMatrix({
      plan: defaultPlan,
      departments,
      responsibilities: state.responsibilities,
      assignments: state.assignments,
      closedMeasures: state.closedMeasures,
    });
    const row = matrix.groups[0]?.rows[0];
    const cell = (code: string) => row?.cells.find((c) => c.department === code);
    expect(cell("MOF")).toMatchObject({ role: "supporting", status: "declined" });
    expect(cell("NDRC")).toMatchObject({ role: null, status: null });
    expect(cell("MIIT")).toMatchObject({ role: "lead", status: "accepted" });
    expect(row?.measureStatus).toBe("in_progress");
  });

  it("takes the deadline before a later change from the event that changed it, when the trail starts after the issue", () => {
    // #4 was issued before the trail began (no issue event); its deadline moved on 3-12 from 3-10 to 3-20.
    const issuedEarlier: AssignmentRecord = { id: 4, measureNumber: 2, department: "MOF", role: "supporting", status: "in_progress", dueDate: "2021-03-20", issuedAt: "2021-02-01T02:00:00.000Z" };
    const trail = [
      ev("2021-03-12T02:00:00.000Z", "assignment.extension_approved", 4, "in_progress", "in_progress", { approve: true, until: "2021-03-20", previousDueDate: "2021-03-10" }, 2),
    ];
    const input = { assignments: [issuedEarlier], responsibilities: [], events: trail };
    expect(replayAsOf({ ...input, date: "2021-03-11" }).assignments[0]).toMatchObject({ dueDate: "2021-03-10", lateness: "overdue" });
    expect(replayAsOf({ ...input, date: "2021-03-13" }).assignments[0]).toMatchObject({ dueDate: "2021-03-20" });
  });
  it("keeps the current state where the trail says nothing, and refuses a date that is not one", () => {
    const quiet = replayAsOf({ assignments, responsibilities, events: [], date: "2021-04-01" });
    expect(quiet.assignments.map((a) => [a.id, a.status, a.department, a.dueDate])).toEqual([
      [1, "signed_off", "MIIT", "2021-03-20"],
      [2, "signed_off", "NDRC", "2021-03-31"],
      [3, "assigned", "STA", "ongoing"],
    ]);
    expect(() => replayAsOf({ assignments, responsibilities, events, date: "2021-02-30" })).toThrow(RangeError);
  });
});

describe("departmentView", () => {
  it("keeps only the department's measures, with every department that shares them", () => {
    const view = departmentView(defaultInput, "STA");
    const measures = view.plan.measures.map((m) => m.number);
    expect(measures.length).toBeGreaterThan(0);
    expect(measures.length).toBeLessThan(25);
    const matrix = buildResponsibilityMatrix(view);
    expect(matrix.columns).toHaveLength(17);
    const staColumn = matrix.columns.findIndex((c) => c.code === "STA");
    for (const row of matrix.groups.flatMap((g) => g.rows)) expect(row.cells[staColumn]?.role).not.toBeNull();
    for (const group of matrix.groups) expect(group.rows.length).toBeGreaterThan(0);
    expect(matrix.totals[staColumn]?.lead).toBe(buildResponsibilityMatrix(defaultInput).totals[staColumn]?.lead);
  });
});
