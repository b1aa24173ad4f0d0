import { assignmentStatuses } from "@countersign/domain";
import { describe, expect, it } from "vitest";
import { defaultFilter, dueKey, inboxFilters, isFilter, matchesFilter } from "./filters.js";

describe("inbox filters", () => {
  it("put every status under exactly one filter besides All, except withdrawn which only All shows", () => {
    for (const status of assignmentStatuses) {
      const under = inboxFilters.filter((f) => f !== "all" && f !== "open" && matchesFilter(f, status));
      expect(under.length, status).toBe(status === "withdrawn" ? 0 : 1);
      expect(matchesFilter("all", status)).toBe(true);
    }
  });
  it("count accepted work as in progress", () => {
    expect(matchesFilter("in_progress", "accepted")).toBe(true);
    expect(matchesFilter("to_acknowledge", "accepted")).toBe(false);
  });
  it("recognise only their own names in the address", () => {
    expect(isFilter("declined")).toBe(true);
    expect(isFilter("withdrawn")).toBe(false);
    expect(isFilter(null)).toBe(false);
  });
  it("sort ongoing work after every deadline", () => {
    const dues = ["ongoing", "2027-01-01", "2026-12-31"].sort((a, b) => dueKey(a).localeCompare(dueKey(b)));
    expect(dues).toEqual(["2026-12-31", "2027-01-01", "ongoing"]);
  });

  it("gather under Open everything still owed: to acknowledge and in progress", () => {
    for (const status of assignmentStatuses) {
      expect(matchesFilter("open", status), status).toBe(matchesFilter("to_acknowledge", status) || matchesFilter("in_progress", status));
    }
  });
  it("open on all the work the department owes, whatever its state", () => {
    const none = { open: 0, to_acknowledge: 0, in_progress: 0, declined: 0, signed_off: 0, all: 0 };
    expect(defaultFilter({ ...none, open: 5, to_acknowledge: 2, in_progress: 3, all: 5 })).toBe("open");
    expect(defaultFilter({ ...none, open: 3, in_progress: 3, all: 3 })).toBe("open");
    expect(defaultFilter({ ...none, signed_off: 4, all: 4 })).toBe("all");
  });
});
