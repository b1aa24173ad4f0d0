import { describe, expect, it } from "vitest";
import { regionalChanges } from "./regional-changes.js";
import type { RegionalReading } from "./regional-changes.js";

const columns = [{ id: "450100" }, { id: "450200" }];
const reading = (planId: number, rows: RegionalReading["rows"], cols: RegionalReading["columns"] = columns): RegionalReading => ({ planId, columns: cols, rows });

describe("regionalChanges", () => {
  const before = reading(7, [
    { measureNumber: 1, state: "in_progress", cells: ["not_forwarded", "not_forwarded"] },
    { measureNumber: 2, state: "in_progress", cells: ["planning", "not_forwarded"] },
  ]);

  it("reports nothing on the first reading or when nothing moved", () => {
    expect(regionalChanges(null, before)).toEqual([]);
    expect(regionalChanges(before, before)).toEqual([]);
  });

  it("reports each moved cell and the row's own state, in row then column order", () => {
    const after = reading(7, [
      { measureNumber: 1, state: "in_progress", cells: ["not_forwarded", "planning"] },
      { measureNumber: 2, state: "done", cells: ["done", "not_forwarded"] },
    ]);
    expect(regionalChanges(before, after)).toEqual([
      { measureNumber: 1, column: "450200", to: "planning" },
      { measureNumber: 2, column: null, to: "done" },
      { measureNumber: 2, column: "450100", to: "done" },
    ]);
  });

  it("reports nothing when the reading is of another plan (the drill-down moved)", () => {
    const other = reading(8, [{ measureNumber: 1, state: "done", cells: ["done", "done"] }]);
    expect(regionalChanges(before, other)).toEqual([]);
  });

  it("matches cells by measure and organisation, not by position: a new row or column is no change", () => {
    const after = reading(
      7,
      [
        { measureNumber: 3, state: "in_progress", cells: ["planning", "planning", "planning"] },
        { measureNumber: 1, state: "in_progress", cells: ["late", "not_forwarded", "not_forwarded"] },
        { measureNumber: 2, state: "in_progress", cells: ["planning", "planning", "not_forwarded"] },
      ],
      [{ id: "450300" }, ...columns],
    );
    expect(regionalChanges(before, after)).toEqual([]);
  });
});
