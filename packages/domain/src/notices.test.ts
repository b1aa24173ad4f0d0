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
  it("tells the department of what is addressed to it, with the act's words, and nothing of its own acts", () => {
    const told = every.filter((t) => assignmentEventAudience(t, "MOF", "MOF").length > 0);
    expect(told).toEqual([
      "assignment.issued",
      "assignment.reassigned",
      "assignment.returned",
      "assignment.withdrawn",
      "assignment.reminded",
      "assignment.extension_approved",
      "assignment.extension_refused",
    ]);
    for (const t of told) {
      if (t !== "assignment.reassigned") expect(assignmentEventAudience(t, "MOF", "MOF")).toEqual([{ department: "MOF", withWords: true }]);
    }
  });
  it("tells both departments of a reassignment; only the receiving one reads why", () => {
    expect(assignmentEventAudience("assignment.reassigned", "MOF", "NDRC")).toEqual([
      { department: "NDRC", withWords: true },
      { department: "MOF", withWords: false },
    ]);
  });
});
