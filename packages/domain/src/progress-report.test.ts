import { describe, expect, it } from "vitest";
import { departments } from "./departments.js";
import type { ProgressInput } from "./progress-report.js";
import { buildProgressReport } from "./progress-report.js";

/** Two sections, four measures, three departments: small enough to count by hand. */
const input: ProgressInput = {
  plan: {
    departments: ["MIIT", "MOF", "STA"],
    sections: [
      { number: 1, numeral: "I", title: "first" },
      { number: 2, numeral: "II", title: "second" },
    ],
    measures: [
      { number: 1, section: 1, title: "one", text: "", textCut: false },
      { number: 2, section: 1, title: "two", text: "", textCut: false },
      { number: 3, section: 2, title: "three", text: "", textCut: false },
      { number: 4, section: 2, title: "four", text: "", textCut: false },
    ],
  },
  departments,
  responsibilities: [
    { measureNumber: 1, department: "MIIT", role: "lead" },
    { measureNumber: 1, department: "MOF", role: "supporting" },
    { measureNumber: 2, department: "MOF", role: "lead" },
    { measureNumber: 3, department: "STA", role: "lead" },
    { measureNumber: 3, department: "MIIT", role: "supporting" },
    { measureNumber: 4, department: "MIIT", role: "lead" },
  ],
  assignments: [
    // (1): both signed off, and closed.
    { measureNumber: 1, department: "MIIT", role: "lead", status: "signed_off", lateness: "none", daysLate: 0, dueDate: "2021-03-31" },
    { measureNumber: 1, department: "MOF", role: "supporting", status: "signed_off", lateness: "none", daysLate: 0, dueDate: "2021-03-31" },
    // (2): signed off, not closed: countersigned.
    { measureNumber: 2, department: "MOF", role: "lead", status: "signed_off", lateness: "none", daysLate: 0, dueDate: "ongoing" },
    // (3): the lead is late (not yet accepted), the supporting department long overdue in progress.
    { measureNumber: 3, department: "STA", role: "lead", status: "assigned", lateness: "overdue", daysLate: 4, dueDate: "2021-03-31" },
    { measureNumber: 3, department: "MIIT", role: "supporting", status: "in_progress", lateness: "long_overdue", daysLate: 40, dueDate: "2021-02-28" },
    // (4): accepted, due soon; plus a withdrawn assignment that must not count anywhere.
    { measureNumber: 4, department: "MIIT", role: "lead", status: "accepted", lateness: "due_soon", daysLate: 0, dueDate: "2021-04-05" },
    { measureNumber: 4, department: "MOF", role: "supporting", status: "withdrawn", lateness: "none", daysLate: 0, dueDate: "2021-04-05" },
  ],
  closedMeasures: [1],
};

describe("buildProgressReport", () => {
  const report = buildProgressReport(input);

  it("counts per section: measures, countersigned (closed included), closed, and the assignments' states", () => {
    expect(report.sections.map((s) => ({ n: s.section.number, ...s, section: undefined }))).toEqual([
      { n: 1, section: undefined, measures: 2, countersigned: 2, closed: 1, assignments: 3, acknowledged: 3, signedOff: 3, overdue: 0 },
      { n: 2, section: undefined, measures: 2, countersigned: 0, closed: 0, assignments: 3, acknowledged: 2, signedOff: 0, overdue: 2 },
    ]);
    expect(report.totals).toEqual({ measures: 4, countersigned: 2, closed: 1, assignments: 6, acknowledged: 5, signedOff: 3, overdue: 2 });
  });

  it("counts per department in order of signature, with its lead and supporting responsibilities", () => {
    expect(report.departments.map((d) => [d.department.code, d.lead, d.supporting, d.assignments, d.acknowledged, d.signedOff, d.overdue])).toEqual([
      ["MIIT", 2, 1, 3, 3, 1, 1],
      ["MOF", 1, 1, 2, 2, 2, 0],
      ["STA", 1, 0, 1, 0, 0, 1],
    ]);
    expect(report.departments[0]?.department.nameZh).toBe("工业和信息化部");
  });

  it("lists the overdue items, most days late first", () => {
    expect(report.overdue.map((o) => [o.measureNumber, o.department.code, o.role, o.status, o.lateness, o.daysLate, o.measureTitle])).toEqual([
      [3, "MIIT", "supporting", "in_progress", "long_overdue", 40, "three"],
      [3, "STA", "lead", "assigned", "overdue", 4, "three"],
    ]);
  });
});

describe("buildProgressReport for one department", () => {
  it("counts only that department's assignments, keeping measure states from everyone's", () => {
    const report = buildProgressReport({ ...input, countOnly: "MIIT" });
    expect(report.departments.map((d) => d.department.code)).toEqual(["MIIT"]);
    expect(report.totals).toEqual({ measures: 4, countersigned: 2, closed: 1, assignments: 3, acknowledged: 3, signedOff: 1, overdue: 1 });
    expect(report.overdue.map((o) => o.department.code)).toEqual(["MIIT"]);
  });
});
