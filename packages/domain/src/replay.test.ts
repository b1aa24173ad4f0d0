import { describe, expect, it } from "vitest";
import type { TrailEvent } from "./replay.js";
import { applyEvent, assignmentDivergence, commentsDivergence, replayAssignments, replayClosedMeasures, unreplayedAssignment } from "./replay.js";

let seq = 0;
function ev(type: string, from: string | null, to: string | null, payload: Record<string, unknown> = {}, extra: Partial<TrailEvent> = {}): TrailEvent {
  seq += 1;
  return { seq, at: `2021-03-${String(seq).padStart(2, "0")}T02:00:00.000Z`, type, assignmentId: 7, measureNumber: 4, fromStatus: from, toStatus: to, payload, ...extra };
}

/* MOF is issued measure 4 due 3-31, declines, is reassigned to NDRC; NDRC accepts, asks for an extension (approved),
 * asks again (pending), the coordinator and NDRC comment. */
seq = 0;
const trail: TrailEvent[] = [
  ev("assignment.issued", null, "assigned", { role: "supporting", dueDate: "2021-03-31" }, { department: "MOF" }),
  ev("assignment.commented", "assigned", "assigned", { body: "why us?" }, { department: "MOF", actorUserId: 11 }),
  ev("assignment.declined", "assigned", "declined", { reason: "not our remit" }, { department: "MOF" }),
  ev("assignment.reassigned", "declined", "assigned", { fromDepartment: "MOF", toDepartment: "NDRC" }, { department: "MOF" }),
  ev("assignment.accepted", "assigned", "accepted", {}, { department: "NDRC" }),
  ev("assignment.extension_requested", "accepted", "accepted", { until: "2021-04-30", reason: "survey" }, { department: "NDRC" }),
  ev("assignment.extension_approved", "accepted", "accepted", { approve: true, until: "2021-04-30", note: "" }, { department: "NDRC" }),
  ev("assignment.extension_requested", "accepted", "accepted", { until: "2021-05-31", reason: "more" }, { department: "NDRC" }),
  ev("assignment.commented", "accepted", "accepted", { body: "noted" }, { department: "NDRC", actorUserId: 12 }),
  ev("plan.issued", null, null, {}, { assignmentId: null }),
  ev("measure.closed", null, null, {}, { assignmentId: null }),
];

describe("replayAssignments", () => {
  it("follows the deadline a reassignment or a change after issue sets, as the workflow stores it", () => {
    seq = 0;
    const moved = replayAssignments([
      ev("assignment.issued", null, "assigned", { role: "supporting", dueDate: "2021-03-31" }, { department: "MOF" }),
      ev("assignment.deadline_changed", "assigned", "assigned", { previousDueDate: "2021-03-31", dueDate: "2021-06-30", note: "", backdated: false }),
      ev("assignment.declined", "assigned", "declined", { reason: "not ours" }),
      ev("assignment.reassigned", "declined", "assigned", { fromDepartment: "MOF", toDepartment: "NDRC", note: "x", dueDate: "2021-09-30", previousDueDate: "2021-06-30" }),
    ]).get(7);
    expect(moved).toMatchObject({ department: "NDRC", dueDate: "2021-09-30" });
  });
  it("folds an assignment's events into its state: status, department, due date, pending extension, version, comments", () => {
    const state = replayAssignments([...trail].reverse()).get(7);
    expect(state).toMatchObject({
      status: "accepted",
      department: "NDRC",
      role: "supporting",
      dueDate: "2021-04-30",
      pendingExtension: { until: "2021-05-31", reason: "more" },
      version: 9,
      issuedAt: "2021-03-01T02:00:00.000Z",
    });
    expect(state?.comments.map((c) => [c.body, c.authorUserId, c.department])).toEqual([
      ["why us?", 11, "MOF"],
      ["noted", 12, "NDRC"],
    ]);
  });

  it("replays only the events before an instant", () => {
    const state = replayAssignments(trail, Date.parse("2021-03-04T00:00:00.000Z")).get(7);
    expect(state).toMatchObject({ status: "declined", department: "MOF", dueDate: "2021-03-31", version: 3, pendingExtension: null });
  });

  it("drops a pending extension on reassignment, refusal and withdrawal", () => {
    const base = replayAssignments(trail).get(7) ?? unreplayedAssignment(7);
    for (const type of ["assignment.reassigned", "assignment.extension_refused", "assignment.withdrawn"]) {
      const next = applyEvent(base, { ...ev(type, "accepted", type === "assignment.withdrawn" ? "withdrawn" : "accepted", { toDepartment: "STA" }), assignmentId: 7 });
      expect(next.pendingExtension).toBeNull();
      expect(next.version).toBe(base.version + 1);
    }
    // Not the assignment's event: nothing changes.
    expect(applyEvent(base, { ...ev("assignment.accepted", "assigned", "accepted"), assignmentId: 8 })).toBe(base);
  });

  it("replays measure closures", () => {
    expect(replayClosedMeasures(trail)).toEqual([4]);
    expect(replayClosedMeasures(trail, Date.parse("2021-03-05T00:00:00.000Z"))).toEqual([]);
  });
});

describe("assignmentDivergence", () => {
  const replayed = replayAssignments(trail).get(7);
  const stored = {
    id: 7,
    department: "NDRC",
    status: "accepted",
    dueDate: "2021-04-30",
    pendingExtensionUntil: "2021-05-31",
    pendingExtensionReason: "more",
    version: 9,
  };
  it("finds none when the stored row is the replayed one", () => {
    expect(assignmentDivergence(stored, replayed)).toBeNull();
  });
  it("names the first field that differs", () => {
    expect(assignmentDivergence({ ...stored, status: "signed_off" }, replayed)).toEqual({ field: "status", stored: "signed_off", replayed: "accepted" });
    expect(assignmentDivergence({ ...stored, department: "MOF" }, replayed)?.field).toBe("department");
    expect(assignmentDivergence({ ...stored, dueDate: "2022-01-01" }, replayed)?.field).toBe("dueDate");
    expect(assignmentDivergence({ ...stored, pendingExtensionUntil: null }, replayed)?.field).toBe("pendingExtension");
    expect(assignmentDivergence({ ...stored, version: 10 }, replayed)?.field).toBe("version");
    expect(assignmentDivergence(stored, undefined)?.field).toBe("issued");
  });
});

describe("commentsDivergence", () => {
  const replayed = replayAssignments(trail).get(7)?.comments ?? [];
  const stored = replayed.map((c, i) => ({ id: i + 1, body: c.body, createdAt: c.at, authorUserId: c.authorUserId ?? 0, department: c.department }));
  it("finds none when the stored comments are the replayed ones", () => {
    expect(commentsDivergence(stored, replayed)).toBeNull();
  });
  it("names a rewritten, removed or added comment", () => {
    expect(commentsDivergence(stored.map((c, i) => (i === 0 ? { ...c, body: "forged" } : c)), replayed)).toMatchObject({ index: 0, field: "body" });
    expect(commentsDivergence(stored.slice(0, 1), replayed)).toMatchObject({ index: 1, field: "missing" });
    expect(commentsDivergence([...stored, ...stored.slice(0, 1)], replayed)).toMatchObject({ index: 2, field: "extra" });
    expect(commentsDivergence(stored.map((c) => ({ ...c, department: "STA" })), replayed)).toMatchObject({ index: 0, field: "department" });
  });
});
