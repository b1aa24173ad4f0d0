import { describe, expect, it } from "vitest";
import { allDepartments, allPlans } from "../schema/assignment-counts.js";
import { inboxCountsWalkRows, inboxParamsOf, inboxSearchWalks, inboxShapeKey, inboxShapeOf } from "./inbox-shape.js";
import type { InboxFilter } from "./repos/inbox.js";

const bounds = { today: "2026-12-01", dueSoonEnd: "2026-12-08", longOverdueBefore: "2026-10-02" };
const plain: InboxFilter = { department: "MOF", handler: null, planId: null, awaitingApproval: false, lateness: null, bounds, search: null };
const page = { status: false, cursor: false };

describe("inbox shapes (the statements each engine prepares once)", () => {
  it("names the search kind and length in the shape, and nothing of the values", () => {
    expect(inboxShapeOf(plain, page).search).toBe("none");
    expect(inboxShapeOf({ ...plain, search: { needle: "financing", number: null, mode: "index" } }, page).search).toBe("text");
    expect(inboxShapeOf({ ...plain, search: { needle: "7", number: 7, mode: "scan" } }, page).search).toBe("short-number");
    // Two departments' inboxes share their statements; a plan filter does not.
    expect(inboxShapeKey(inboxShapeOf({ ...plain, department: "STA" }, page))).toBe(inboxShapeKey(inboxShapeOf(plain, page)));
    expect(inboxShapeKey(inboxShapeOf({ ...plain, planId: 3 }, page))).not.toBe(inboxShapeKey(inboxShapeOf(plain, page)));
  });

  it("counts from the kept totals unless a search, late work, a handler or the approval queue asks for the rows", () => {
    expect(inboxCountsWalkRows(inboxShapeOf(plain, page))).toBe(false);
    expect(inboxCountsWalkRows(inboxShapeOf({ ...plain, lateness: "none" }, page))).toBe(false);
    expect(inboxCountsWalkRows(inboxShapeOf({ ...plain, lateness: "overdue" }, page))).toBe(true);
    expect(inboxCountsWalkRows(inboxShapeOf({ ...plain, awaitingApproval: true }, page))).toBe(true);
    expect(inboxCountsWalkRows(inboxShapeOf({ ...plain, handler: { userId: 4, divisionId: 2 } }, page))).toBe(true);
    expect(inboxCountsWalkRows(inboxShapeOf({ ...plain, search: { needle: "融资", number: null, mode: "scan" } }, page))).toBe(true);
  });

  it("walks a department's inbox first only for a search with no other filter", () => {
    const searched: InboxFilter = { ...plain, search: { needle: "financing", number: null, mode: "index" } };
    expect(inboxSearchWalks(inboxShapeOf(searched, page))).toBe(true);
    expect(inboxSearchWalks(inboxShapeOf(searched, { status: false, cursor: true }))).toBe(true);
    expect(inboxSearchWalks(inboxShapeOf(plain, page))).toBe(false);
    expect(inboxSearchWalks(inboxShapeOf(searched, { status: true, cursor: false }))).toBe(false);
    expect(inboxSearchWalks(inboxShapeOf({ ...searched, planId: 3 }, page))).toBe(false);
    expect(inboxSearchWalks(inboxShapeOf({ ...searched, department: null }, page))).toBe(false);
    expect(inboxSearchWalks(inboxShapeOf({ ...searched, lateness: "overdue" }, page))).toBe(false);
  });

  it("gives every placeholder a value: every department and plan when none is named, the whole text when no length is", () => {
    const counts = inboxParamsOf({ ...plain, department: null });
    expect(counts).toMatchObject({ ...bounds, department: allDepartments, planId: allPlans, handlerId: -1, divisionId: -1, needle: "", number: null, limit: 0 });
    expect(counts.textChars).toBeGreaterThan(1_000_000);
    const next = inboxParamsOf(plain, { ...plain, status: "accepted", after: { dueDate: "2026-12-31", id: 9 }, limit: 51, textChars: 240 });
    expect(next).toMatchObject({ department: "MOF", status: "accepted", afterDue: "2026-12-31", afterId: 9, limit: 51, textChars: 240 });
  });
});
