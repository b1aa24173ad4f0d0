import { describe, expect, it } from "vitest";
import { assignmentEventAudience } from "./notices.js";
import type { AssignmentEventType } from "./types.js";

const every: readonly AssignmentEventType[] = [
  "assignment.issued",
  "assignment.accepted",
  "assignment.declined",
  "assignment.progress_reported",
  "assignment.signed_off",
  "assignment.extension_requested",
  "assignment.commented",
  "assignment.reassigned",
  "assignment.reaffirmed",
  "assignment.returned",
  "assignment.withdrawn",
  "assignment.reminded",
  "assignment.extension_approved",
  "assignment.extension_refused",
  "assignment.lead_reopened",
  "assignment.deadline_changed",
  "assignment.role_changed",
];

describe("assignmentEventAudience", () => {
  it("tells the department of what the lead ministry addresses to it, with the act's words", () => {
    const told = every.filter((t) => assignmentEventAudience(t, "MOF", "MOF", null).length > 0);
    // The same events as the inbox's unread marks (migration 0008's trigger), so that one count covers both.
    expect(told).toEqual([
      "assignment.issued",
      "assignment.commented",
      "assignment.reassigned",
      "assignment.reaffirmed",
      "assignment.returned",
      "assignment.withdrawn",
      "assignment.reminded",
      "assignment.extension_approved",
      "assignment.extension_refused",
      "assignment.lead_reopened",
      "assignment.deadline_changed",
      "assignment.role_changed",
    ]);
    for (const t of told) {
      if (t === "assignment.reassigned") continue;
      expect(assignmentEventAudience(t, "MOF", "MOF", null)).toEqual([{ department: "MOF", withWords: t !== "assignment.lead_reopened" }]);
    }
  });
  it("tells a department nothing of its own acts, and of a comment only when it comes from outside", () => {
    const own = every.filter((t) => assignmentEventAudience(t, "MOF", "MOF", "MOF").length > 0);
    expect(own).not.toContain("assignment.commented");
    expect(own).not.toContain("assignment.lead_reopened");
    for (const t of ["accepted", "declined", "progress_reported", "signed_off", "extension_requested"] as const) {
      expect(assignmentEventAudience(`assignment.${t}`, "MOF", "MOF", null)).toEqual([]);
    }
    expect(assignmentEventAudience("assignment.commented", "MOF", "MOF", "STA")).toEqual([{ department: "MOF", withWords: true }]);
    // A supporting department's return reopens the lead's sign-off: the lead is told, not why (the other's conversation).
    expect(assignmentEventAudience("assignment.lead_reopened", "MIIT", "MIIT", "MOF")).toEqual([{ department: "MIIT", withWords: false }]);
  });
  it("tells both departments of a reassignment; only the receiving one reads why", () => {
    expect(assignmentEventAudience("assignment.reassigned", "MOF", "NDRC")).toEqual([
      { department: "NDRC", withWords: true },
      { department: "MOF", withWords: false },
    ]);
  });
});
