import { describe, expect, it } from "vitest";
import type { InboxScope } from "@countersign/domain";
import { statesVisibleTo } from "./visible-states.js";

// Measure 1: MOF (handed to division 7), NDRC. Measure 2: MOF (handed to user 42), STA. Measure 3: NDRC, STA.
const rows = [
  { id: 1, measureNumber: 1, department: "MOF", divisionId: 7, handlerUserId: null },
  { id: 2, measureNumber: 1, department: "NDRC", divisionId: null, handlerUserId: null },
  { id: 3, measureNumber: 2, department: "MOF", divisionId: null, handlerUserId: 42 },
  { id: 4, measureNumber: 2, department: "STA", divisionId: 7, handlerUserId: 42 },
  { id: 5, measureNumber: 3, department: "NDRC", divisionId: null, handlerUserId: null },
  { id: 6, measureNumber: 3, department: "STA", divisionId: null, handlerUserId: null },
];
const ids = (scope: InboxScope): number[] => statesVisibleTo(scope, rows).map((r) => r.id);

describe("statesVisibleTo", () => {
  it("shows everything to those who read every department", () => {
    expect(ids({ kind: "all" })).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("shows a department every state on the measures it shares, and nothing of the others", () => {
    expect(ids({ kind: "department", department: "MOF" })).toEqual([1, 2, 3, 4]);
    expect(ids({ kind: "department", department: "NDRC" })).toEqual([1, 2, 5, 6]);
    expect(ids({ kind: "department", department: "NBS" })).toEqual([]);
  });

  it("shows a handler only their own department's assignments handed to them or their division", () => {
    expect(ids({ kind: "handler", department: "MOF", division: 7, userId: 99 })).toEqual([1]);
    expect(ids({ kind: "handler", department: "MOF", division: null, userId: 42 })).toEqual([3]);
    expect(ids({ kind: "handler", department: "MOF", division: 7, userId: 42 })).toEqual([1, 3]);
    // Another department's assignment handed to the same division or user is not theirs.
    expect(ids({ kind: "handler", department: "NDRC", division: 7, userId: 42 })).toEqual([]);
  });

  it("shows nothing to a viewer with no department", () => {
    expect(ids({ kind: "none" })).toEqual([]);
  });
});
