/**
 * Refusals in the users' words (new-user trial, fault 7): no refusal shows an action's code name, and one after a
 * sign-off says what happened and what can still be done.
 */
import { describe, expect, it } from "vitest";
import type { Actor, AssignmentState, AssignmentStatus } from "./types.js";
import { assignmentActionTypes } from "./actions.js";
import { actionAvailability, actionPhrase, stateExplanation, transition } from "./workflow.js";

const statuses: AssignmentStatus[] = ["assigned", "accepted", "declined", "in_progress", "signed_off", "withdrawn"];
const actors: Actor[] = [
  { role: "coordinator", department: "MIIT" },
  { role: "liaison", department: "MOF" },
  { role: "liaison", department: "STA" },
  { role: "liaison", department: "MOF", departmentRole: "handler", division: 11, userId: 102 },
  { role: "liaison", department: "MOF", departmentRole: "leader", userId: 104 },
  { role: "observer", department: null },
];
const state = (status: AssignmentStatus): AssignmentState => ({ status, department: "MOF", role: "supporting", dueDate: "2026-12-31", pendingExtension: null });
const context = { measureClosed: false, others: [] };
// An action's code name as it would leak: camelCase codes, or the old "Cannot <code> an assignment that is …".
const codeNames = assignmentActionTypes.filter((t) => /[A-Z]/.test(t));
const leaks = (message: string): boolean => codeNames.some((c) => message.includes(c)) || /Cannot \w+ an assignment that is/.test(message);

describe("refusals in the users' words", () => {
  it("never name an action by its code, for any status, action and actor", () => {
    const leaked: string[] = [];
    for (const status of statuses) {
      for (const actor of actors) {
        for (const a of actionAvailability(state(status), actor, context)) {
          if (a.refusal !== null && leaks(a.refusal.message)) leaked.push(`${status} ${a.action}: ${a.refusal.message}`);
        }
      }
    }
    expect(leaked).toEqual([]);
  });

  it("after a sign-off, says the part is done, that the lead ministry can return it, and that comments are open", () => {
    const result = transition(state("signed_off"), { type: "reportProgress", note: "More done." }, { role: "liaison", department: "MOF" }, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal.code).toBe("invalid_state");
    expect(result.refusal.message).toBe(`You cannot report progress now: ${stateExplanation.signed_off}`);
    expect(result.refusal.message).toMatch(/already signed off .*returns it for rework.*comments are still open/);
  });

  it("words a missing reason with the action's words", () => {
    const result = transition(state("accepted"), { type: "signOff", summary: " " }, { role: "liaison", department: "MOF" }, context);
    expect(!result.ok && result.refusal.message).toBe("To sign off, give a summary of the work done.");
  });

  it("has words for every action and every status", () => {
    for (const t of assignmentActionTypes) expect(actionPhrase[t]).toMatch(/^[a-z]/);
    for (const s of statuses) expect(stateExplanation[s]).toMatch(/\.$/);
  });
});

describe("分办 only when there is someone to hand the work to (new-user trial, fault 2)", () => {
  const liaison: Actor = { role: "liaison", department: "MOF" };
  const of = (handlersAvailable: boolean | undefined) =>
    actionAvailability(state("accepted"), liaison, { ...context, handlersAvailable }).find((a) => a.action === "assignHandler");
  it("is not offered without a handler, and the refusal says an administrator adds one on the Administration page", () => {
    expect(of(false)).toMatchObject({ allowed: false, refusal: { code: "no_handler" } });
    expect(of(false)?.refusal?.message).toMatch(/Administration page/);
    const refused = transition(
      state("accepted"),
      { type: "assignHandler", note: "税政司承办", division: { id: 1, department: "MOF" }, handler: { id: 2, role: "liaison", department: "MOF", departmentRole: "handler", division: 1, disabled: false } },
      liaison,
      { ...context, handlersAvailable: false },
    );
    expect(!refused.ok && refused.refusal.code).toBe("no_handler");
  });
  it("is offered when the department has a handler (or when the caller does not know)", () => {
    expect(of(true)).toMatchObject({ allowed: true });
    expect(of(undefined)).toMatchObject({ allowed: true });
  });
});
