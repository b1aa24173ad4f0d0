import { describe, expect, it } from "vitest";
import { buildDivisionTable, buildResponsibilityMatrix, formatDeadline, measureDueDates, type MatrixInput } from "./matrix.js";
import type { Department } from "./types.js";

const dept = (code: string, order: number, shortZh: string): Department => ({
  code,
  nameEn: `${code} ministry`,
  nameZh: `${shortZh}部`,
  shortEn: code,
  shortZh,
  order,
  successor: null,
});

const input: MatrixInput = {
  plan: {
    departments: ["MIIT", "MOF", "STA"],
    sections: [
      { number: 2, numeral: "II", title: "Second" },
      { number: 1, numeral: "I", title: "First" },
    ],
    measures: [
      { number: 3, section: 2, title: "third", text: "Third.", textCut: false },
      { number: 1, section: 1, title: "first", text: "First.", textCut: true },
      { number: 2, section: 1, title: "second", text: "Second.", textCut: false },
    ],
  },
  departments: [dept("MIIT", 1, "工信部"), dept("MOF", 2, "财政部"), dept("STA", 3, "税务总局")],
  responsibilities: [
    { measureNumber: 1, department: "MIIT", role: "lead" },
    { measureNumber: 2, department: "STA", role: "lead" },
    { measureNumber: 2, department: "MOF", role: "supporting" },
    { measureNumber: 3, department: "MOF", role: "lead" },
    { measureNumber: 3, department: "STA", role: "supporting" },
    { measureNumber: 3, department: "MIIT", role: "supporting" },
  ],
};

describe("buildResponsibilityMatrix", () => {
  const m = buildResponsibilityMatrix(input);

  it("groups measures by section in number order, columns in order of signature", () => {
    expect(m.groups.map((g) => [g.section.number, g.rows.map((r) => r.measure.number)])).toEqual([
      [1, [1, 2]],
      [2, [3]],
    ]);
    expect(m.columns.map((c) => c.code)).toEqual(["MIIT", "MOF", "STA"]);
  });

  it("marks every cell lead, supporting or none", () => {
    const roles = m.groups.flatMap((g) => g.rows.map((r) => r.cells.map((c) => c.role ?? "-")));
    expect(roles).toEqual([
      ["lead", "-", "-"],
      ["-", "supporting", "lead"],
      ["supporting", "lead", "supporting"],
    ]);
    expect(m.groups[1]?.rows[0]?.lead).toBe("MOF");
    expect(m.groups[1]?.rows[0]?.supporting).toEqual(["MIIT", "STA"]);
    expect(m.groups[0]?.rows[0]?.measure.textCut).toBe(true);
  });

  it("totals lead and supporting per department", () => {
    expect(m.totals).toEqual([
      { department: "MIIT", lead: 1, supporting: 1 },
      { department: "MOF", lead: 1, supporting: 1 },
      { department: "STA", lead: 1, supporting: 1 },
    ]);
  });

  it("has no status without an overlay", () => {
    expect(m.withStatus).toBe(false);
    expect(m.groups.flatMap((g) => g.rows).every((r) => r.measureStatus === null && r.cells.every((c) => c.status === null))).toBe(true);
  });

  it("overlays assignment states and derives each measure's status", () => {
    const withStatus = buildResponsibilityMatrix({
      ...input,
      assignments: [
        { measureNumber: 1, department: "MIIT", status: "signed_off", lateness: "none", dueDate: "ongoing" },
        { measureNumber: 2, department: "STA", status: "in_progress", lateness: "overdue", dueDate: "2026-01-01" },
        { measureNumber: 2, department: "MOF", status: "signed_off", lateness: "none", dueDate: "2026-01-01" },
        { measureNumber: 3, department: "MOF", status: "assigned", lateness: "none", dueDate: "2027-01-01" },
        { measureNumber: 3, department: "STA", status: "withdrawn", lateness: "none", dueDate: "2027-01-01" },
        { measureNumber: 3, department: "STA", status: "accepted", lateness: "due_soon", dueDate: "2027-01-01" },
      ],
      closedMeasures: [1],
    });
    const rows = withStatus.groups.flatMap((g) => g.rows);
    expect(rows.map((r) => r.measureStatus)).toEqual(["closed", "awaiting_lead", "in_progress"]);
    expect(rows[1]?.cells.map((c) => [c.status, c.lateness])).toEqual([
      [null, null],
      ["signed_off", "none"],
      ["in_progress", "overdue"],
    ]);
    // The live assignment wins over a withdrawn one for the same cell.
    expect(rows[2]?.cells[2]?.status).toBe("accepted");
  });

  it("gives a column to a department outside the plan's list rather than dropping its work", () => {
    const extra = buildResponsibilityMatrix({
      ...input,
      responsibilities: [...input.responsibilities, { measureNumber: 1, department: "NBS", role: "supporting" }],
    });
    expect(extra.columns.map((c) => c.code)).toEqual(["MIIT", "MOF", "STA", "NBS"]);
    expect(extra.columns[3]?.nameZh).toBe("NBS");
  });
});

describe("buildDivisionTable", () => {
  const m = buildResponsibilityMatrix(input);
  it("lists 序号, task, lead, supporting and deadline in the chosen language", () => {
    const zh = buildDivisionTable(m, "zh", new Map([[1, "ongoing"], [2, "2021-12-31"]]));
    expect(zh.map((r) => [r.no, r.task, r.lead, r.supporting.join("、"), r.deadline])).toEqual([
      [1, "first", "工信部", "", "持续推进"],
      [2, "second", "税务总局", "财政部", "2021年12月31日前"],
      [3, "third", "财政部", "工信部、税务总局", ""],
    ]);
    const en = buildDivisionTable(m, "en", new Map([[2, "2021-12-31"]]));
    expect(en[1]).toMatchObject({ lead: "STA", supporting: ["MOF"], deadline: "By 2021-12-31" });
  });

  it("formats deadlines", () => {
    expect(formatDeadline("2021-03-05", "zh")).toBe("2021年3月5日前");
    expect(formatDeadline("ongoing", "en")).toBe("Ongoing");
    expect(formatDeadline(null, "en")).toBe("");
  });

  it("takes a measure's deadline from its lead, else the earliest date", () => {
    const due = measureDueDates(
      [
        { measureNumber: 2, department: "MOF", status: "accepted", lateness: "none", dueDate: "2021-06-30" },
        { measureNumber: 2, department: "STA", status: "accepted", lateness: "none", dueDate: "2021-12-31" },
        { measureNumber: 3, department: "STA", status: "accepted", lateness: "none", dueDate: "ongoing" },
        { measureNumber: 3, department: "MIIT", status: "accepted", lateness: "none", dueDate: "2022-01-31" },
        { measureNumber: 3, department: "MOF", status: "withdrawn", lateness: "none", dueDate: "2020-01-01" },
      ],
      input.responsibilities,
    );
    expect(due).toEqual(new Map([[2, "2021-12-31"], [3, "2022-01-31"]]));
  });
});
