import type { Actor, AssignmentStatus, MeasureStatus, Refusal, Role } from "./types.js";

export interface MeasureAssignment {
  role: Role;
  status: AssignmentStatus;
}

/**
 * A measure's status, derived only from its assignments and the lead ministry's closure, never stored apart:
 * withdrawn assignments no longer count; countersigned (已全部报结) means every remaining one is signed off.
 */
export function deriveMeasureStatus(assignments: ReadonlyArray<MeasureAssignment>, closed: boolean): MeasureStatus {
  if (closed) return "closed";
  const active = assignments.filter((a) => a.status !== "withdrawn");
  if (active.length === 0 || active.every((a) => a.status === "assigned" || a.status === "declined")) return "not_started";
  if (active.every((a) => a.status === "signed_off")) return "countersigned";
  const supporting = active.filter((a) => a.role === "supporting");
  const lead = active.find((a) => a.role === "lead");
  if (supporting.length > 0 && supporting.every((a) => a.status === "signed_off") && lead !== undefined) return "awaiting_lead";
  return "in_progress";
}

export type MeasureClosureAction = "close" | "reopen";

export type MeasureClosureResult =
  | { ok: true; eventType: "measure.closed" | "measure.reopened"; closed: boolean }
  | { ok: false; refusal: Refusal };

/** 办结 / 重新办理: only the coordinator; close only a countersigned measure, reopen only a closed one. */
export function decideMeasureClosure(
  measure: { closed: boolean; assignments: ReadonlyArray<MeasureAssignment> },
  action: MeasureClosureAction,
  actor: Actor,
): MeasureClosureResult {
  if (actor.role === "observer" || actor.role === "admin") {
    return { ok: false, refusal: { code: "read_only", message: `An ${actor.role} account may not ${action} a measure.` } };
  }
  if (actor.role !== "coordinator") {
    return { ok: false, refusal: { code: "wrong_role", message: `Only the lead ministry's coordinator may ${action} a measure.` } };
  }
  if (action === "close") {
    if (measure.closed) return { ok: false, refusal: { code: "invalid_state", message: "This measure is already closed." } };
    if (deriveMeasureStatus(measure.assignments, false) !== "countersigned") {
      return {
        ok: false,
        refusal: { code: "not_countersigned", message: "A measure can be closed only once every responsible department has signed off." },
      };
    }
    return { ok: true, eventType: "measure.closed", closed: true };
  }
  if (!measure.closed) return { ok: false, refusal: { code: "not_closed", message: "Only a closed measure can be reopened." } };
  return { ok: true, eventType: "measure.reopened", closed: false };
}
