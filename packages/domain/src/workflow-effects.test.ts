import { describe, expect, it } from "vitest";
import type { Actor, AssignmentEffect, AssignmentState, MeasureContext } from "./types.js";
import { transition } from "./workflow.js";

/**
 * The transition table decides every change beside the assignment's own row (issue 13, point 2): each effect below
 * is asked for by the transition and by nothing else; the service only applies the list.
 */
const coordinator: Actor = { role: "coordinator", department: "MIIT" };
const liaison: Actor = { role: "liaison", department: "MOF", userId: 7 };
const handler: Actor = { role: "liaison", department: "MOF", departmentRole: "handler", division: 10, userId: 100 };
const leader: Actor = { role: "liaison", department: "MOF", departmentRole: "leader", userId: 104 };
const base: AssignmentState = { status: "in_progress", department: "MOF", role: "supporting", dueDate: "2026-12-31", pendingExtension: null };
const open: MeasureContext = { measureClosed: false, others: [] };
const pendingExtension = { until: "2027-03-31", reason: "Consultation takes longer." };

function effectsOf(result: ReturnType<typeof transition>): AssignmentEffect[] {
  if (!result.ok) throw new Error(`refused: ${result.refusal.code} ${result.refusal.message}`);
  return result.effects;
}

describe("effects of the transition", () => {
  it("a comment is recorded as a comment", () => {
    expect(effectsOf(transition(base, { type: "comment", body: "See the draft." }, liaison, open))).toEqual([
      { kind: "commentRecorded", body: "See the draft." },
    ]);
  });

  it("an extension request goes to the lead ministry at once, or only when the leader approves the draft", () => {
    const asked = { type: "requestExtension", until: "2027-03-31", reason: "Consultation takes longer." } as const;
    expect(effectsOf(transition(base, asked, liaison, open))).toEqual([
      { kind: "extensionRequested", until: "2027-03-31", reason: "Consultation takes longer.", requestedBy: null },
    ]);
    const withApproval: MeasureContext = { ...open, leaderApproval: true };
    const drafted = transition({ ...base, handler: 100, division: 10 }, asked, handler, withApproval);
    expect(effectsOf(drafted)).toEqual([]);
    if (!drafted.ok) return;
    // The request goes out as asked by the handler who drafted it, not by the leader who approved it.
    expect(effectsOf(transition(drafted.next, { type: "approve", note: "" }, leader, withApproval))).toEqual([
      { kind: "extensionRequested", until: "2027-03-31", reason: "Consultation takes longer.", requestedBy: 100 },
    ]);
  });

  it("a decision settles the pending extension request, approved or refused, with its note", () => {
    const waiting = { ...base, pendingExtension };
    expect(effectsOf(transition(waiting, { type: "decideExtension", approve: true, note: "Granted." }, coordinator, open))).toEqual([
      { kind: "extensionSettled", status: "approved", note: "Granted." },
    ]);
    expect(effectsOf(transition(waiting, { type: "decideExtension", approve: false, note: "No." }, coordinator, open))).toEqual([
      { kind: "extensionSettled", status: "refused", note: "No." },
    ]);
  });

  it("a withdrawal cancels any pending extension request, with the reason", () => {
    expect(effectsOf(transition({ ...base, pendingExtension }, { type: "withdraw", reason: "Duplicate." }, coordinator, open))).toEqual([
      { kind: "extensionSettled", status: "cancelled", note: "Duplicate." },
    ]);
  });

  it("a reassignment cancels any pending extension request and moves the responsibility", () => {
    const declined = { ...base, status: "declined" as const, pendingExtension };
    expect(effectsOf(transition(declined, { type: "reassign", toDepartment: "NDRC", note: "Its remit." }, coordinator, open))).toEqual([
      { kind: "extensionSettled", status: "cancelled", note: "reassigned to NDRC" },
      { kind: "responsibilityMoved", toDepartment: "NDRC" },
    ]);
  });

  it("a reminder sets the time of the last reminder", () => {
    expect(effectsOf(transition(base, { type: "remind", message: "" }, coordinator, open))).toEqual([{ kind: "reminded" }]);
  });

  it("returning a supporting sign-off reopens the signed-off lead, naming it, with the event recorded on it", () => {
    const signed = { ...base, status: "signed_off" as const };
    const ctx: MeasureContext = {
      measureClosed: false,
      others: [
        { department: "NDRC", role: "supporting", status: "signed_off" },
        { department: "STA", role: "lead", status: "signed_off" },
      ],
    };
    expect(effectsOf(transition(signed, { type: "return", reason: "No figures." }, coordinator, ctx))).toEqual([
      {
        kind: "leadReopened",
        department: "STA",
        event: { type: "assignment.lead_reopened", from: "signed_off", to: "in_progress", payload: { returnedDepartment: "MOF", reason: "No figures." } },
      },
    ]);
  });

  it("asks for nothing beside the row for the other actions", () => {
    const assigned = { ...base, status: "assigned" as const };
    expect(effectsOf(transition(assigned, { type: "accept" }, liaison, open))).toEqual([]);
    expect(effectsOf(transition(assigned, { type: "decline", reason: "Not ours." }, liaison, open))).toEqual([]);
    expect(effectsOf(transition(base, { type: "reportProgress", note: "Drafting." }, liaison, open))).toEqual([]);
    expect(effectsOf(transition(base, { type: "signOff", summary: "Done." }, liaison, open))).toEqual([]);
    const declined = { ...base, status: "declined" as const };
    expect(effectsOf(transition(declined, { type: "reaffirm", note: "Yours." }, coordinator, open))).toEqual([]);
    const drafted = { ...base, handler: 100, division: 10, pendingApproval: { kind: "signOff" as const, summary: "Done.", by: 100 } };
    expect(effectsOf(transition(drafted, { type: "approve", note: "" }, leader, open))).toEqual([]);
    expect(effectsOf(transition(drafted, { type: "reject", reason: "Figures." }, leader, open))).toEqual([]);
  });
});
