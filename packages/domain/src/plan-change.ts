/**
 * Changing a plan after issue (立项交办 is not the end of the division of work): per-measure deadlines, adding or
 * removing a supporting department, changing the lead, withdrawing the whole plan, and the deadline rule shared with
 * issue, reassign and extensions. Pure functions: the services read the measure's assignments, call one of these,
 * and write exactly the change set it answers (updates, inserts, events) in one transaction.
 *
 * The rules for work already signed off follow the lead's consolidated sign-off (牵头汇总, see workflow.ts): the lead
 * signs off last, after every supporting department, so
 * - a supporting department added to a measure whose lead has signed off reopens the lead (in progress again);
 * - a department promoted to lead that had signed off its supporting part is reopened: its sign-off was not the
 *   consolidated one, which it now owes;
 * - a former lead keeps its status as a supporting department (its part stays done if it was signed off);
 * - removing a supporting department withdraws its assignment whatever its status; a sign-off it gave stays in the
 *   history, and the lead may then sign off without it;
 * - withdrawing a plan withdraws every assignment not yet signed off or withdrawn; signed-off work stays on record.
 */
import { assignmentEvent } from "./audit-events.js";
import { isIsoDate } from "./dates.js";
import type { AssignmentEvent, AssignmentStatus, DepartmentCode, DueDate, Refusal, RefusalCode, Role, StatedDeadline } from "./types.js";

/** One assignment of the measure changed, as the services read it. */
export interface MeasureAssignmentState {
  id: number;
  department: DepartmentCode;
  role: Role;
  status: AssignmentStatus;
  dueDate: DueDate;
}

export type PlanStatus = "draft" | "issued" | "withdrawn";

export interface PlanChangeContext {
  planStatus: PlanStatus;
  /** The lead ministry closed the measure (办结): reopen it before changing its division. */
  measureClosed: boolean;
  /** Today in the plan's zone (Beijing), YYYY-MM-DD. */
  today: string;
}

/** What a change does: the services write exactly this, and one audit event per entry. */
export interface PlanChangeSet {
  updates: Array<{
    id: number;
    department: DepartmentCode;
    status?: AssignmentStatus;
    role?: Role;
    dueDate?: DueDate;
    event: AssignmentEvent;
  }>;
  inserts: Array<{ department: DepartmentCode; role: Role; dueDate: DueDate; event: AssignmentEvent }>;
}

export type PlanChangeResult = { ok: true; changes: PlanChangeSet } | { ok: false; refusal: Refusal };

const refuse = (code: RefusalCode, message: string): { ok: false; refusal: Refusal } => ({ ok: false, refusal: { code, message } });
const blank = (value: string): boolean => value.trim().length === 0;
const settled = (s: AssignmentStatus): boolean => s === "signed_off" || s === "withdrawn";

/**
 * The deadline rule of every place that sets one (issue, change, reassign, extension): "ongoing" or a calendar date;
 * a date before `today` (Beijing) is refused as `deadline_in_past` unless `backdated` says the coordinator confirmed
 * recording it as back-dated. `today` null skips the past check. Null when the deadline is acceptable.
 */
export function deadlineRefusal(dueDate: DueDate, today: string | null, backdated: boolean): Refusal | null {
  if (dueDate === "ongoing") return null;
  if (!isIsoDate(dueDate)) return { code: "invalid_deadline", message: `A deadline is "ongoing" or a date YYYY-MM-DD, not "${dueDate}".` };
  if (today !== null && dueDate < today && !backdated) {
    return {
      code: "deadline_in_past",
      message: `The deadline ${dueDate} is before today (${today}, Beijing): every assignment would be overdue at once. Confirm it as back-dated to record it anyway.`,
    };
  }
  return null;
}

/**
 * Issuing (立项交办): the default deadline, every per-measure one and every deadline the document states for a
 * measure not given one (`stated`) must pass `deadlineRefusal`. Answers the first refusal with the input field at
 * fault (`dueDate`, `dueDates[i].dueDate`, or `dueDates` for a stated one), or null.
 */
export function issueDeadlinesRefusal(
  dueDate: DueDate,
  dueDates: ReadonlyArray<{ measureNumber: number; dueDate: DueDate }>,
  today: string,
  backdated: boolean,
  stated: ReadonlyArray<{ measureNumber: number; deadline: StatedDeadline }> = [],
): { refusal: Refusal; field: string } | null {
  const first = deadlineRefusal(dueDate, today, backdated);
  if (first !== null) return { refusal: first, field: "dueDate" };
  for (const [i, d] of dueDates.entries()) {
    const r = deadlineRefusal(d.dueDate, today, backdated);
    if (r !== null) return { refusal: { ...r, message: `Measure (${d.measureNumber}): ${r.message}` }, field: `dueDates[${i}].dueDate` };
  }
  // A deadline the document states applies unless one is given at issue: it must pass the same rule.
  const given = new Set(dueDates.map((d) => d.measureNumber));
  for (const s of stated) {
    if (given.has(s.measureNumber)) continue;
    const r = deadlineRefusal(s.deadline.dueDate, today, backdated);
    if (r !== null) {
      return {
        refusal: { ...r, message: `Measure (${s.measureNumber}), deadline stated in the document (${s.deadline.stated}): ${r.message} Or give the measure another deadline.` },
        field: "dueDates",
      };
    }
  }
  return null;
}

/**
 * The per-measure due dates of issuing (立项交办): the one given for a measure at issue, else the one its document
 * states, else none (the measure takes the plan's deadline). Returns measure number → due date.
 */
export function issueDueDates(
  dueDates: ReadonlyArray<{ measureNumber: number; dueDate: DueDate }>,
  stated: ReadonlyArray<{ measureNumber: number; deadline: StatedDeadline }>,
): Map<number, DueDate> {
  const due = new Map<number, DueDate>(stated.map((s) => [s.measureNumber, s.deadline.dueDate]));
  for (const d of dueDates) due.set(d.measureNumber, d.dueDate);
  return due;
}

/** The refusal for a change of an issued plan's measure: the plan must be issued (not withdrawn), the measure open. */
function contextRefusal(ctx: PlanChangeContext): Refusal | null {
  if (ctx.planStatus === "draft") return { code: "plan_not_issued", message: "This plan is still a draft: edit its division of work instead." };
  if (ctx.planStatus === "withdrawn") return { code: "plan_withdrawn", message: "This plan was withdrawn (撤销); nothing in it changes any more." };
  if (ctx.measureClosed) {
    return { code: "measure_closed", message: "The lead ministry has closed this measure (办结); reopen it before changing its division or deadline." };
  }
  return null;
}

const ev = assignmentEvent;

/**
 * A new deadline for a measure: every assignment of it not yet signed off or withdrawn gets `dueDate`
 * (`assignment.deadline_changed`, with the old and new dates and the note). Refused when none would change.
 */
export function changeMeasureDeadline(
  ctx: PlanChangeContext,
  assignments: readonly MeasureAssignmentState[],
  dueDate: DueDate,
  note: string,
  backdated: boolean,
): PlanChangeResult {
  const wrong = contextRefusal(ctx) ?? deadlineRefusal(dueDate, ctx.today, backdated);
  if (wrong !== null) return { ok: false, refusal: wrong };
  const changing = assignments.filter((a) => !settled(a.status) && a.dueDate !== dueDate);
  if (changing.length === 0) return refuse("invalid_state", `No open assignment of this measure has another deadline than ${dueDate}.`);
  return {
    ok: true,
    changes: {
      updates: changing.map((a) => ({
        id: a.id,
        department: a.department,
        dueDate,
        event: ev("assignment.deadline_changed", a.status, a.status, { previousDueDate: a.dueDate, dueDate, note, backdated }),
      })),
      inserts: [],
    },
  };
}

/** The active (not withdrawn) assignment of a department on the measure. */
const activeOf = (assignments: readonly MeasureAssignmentState[], department: DepartmentCode): MeasureAssignmentState | undefined =>
  assignments.find((a) => a.department === department && a.status !== "withdrawn");

/**
 * Adds a supporting department (参与单位) to the measure: a new `assigned` assignment due `dueDate` (null: the lead's
 * deadline). A lead that has already signed off is reopened: its consolidated sign-off no longer covers everyone.
 */
export function addSupportingDepartment(
  ctx: PlanChangeContext,
  assignments: readonly MeasureAssignmentState[],
  department: DepartmentCode,
  dueDate: DueDate | null,
  note: string,
): PlanChangeResult {
  const wrong = contextRefusal(ctx);
  if (wrong !== null) return { ok: false, refusal: wrong };
  if (activeOf(assignments, department) !== undefined) {
    return refuse("already_responsible", `${department} is already responsible for this measure.`);
  }
  const lead = assignments.find((a) => a.role === "lead" && a.status !== "withdrawn");
  const due = dueDate ?? lead?.dueDate ?? "ongoing";
  const late = deadlineRefusal(due, ctx.today, false);
  if (late !== null) return { ok: false, refusal: late };
  const updates: PlanChangeSet["updates"] = [];
  if (lead !== undefined && lead.status === "signed_off") {
    updates.push({
      id: lead.id,
      department: lead.department,
      status: "in_progress",
      event: ev("assignment.lead_reopened", "signed_off", "in_progress", { addedDepartment: department, note }),
    });
  }
  return {
    ok: true,
    changes: {
      updates,
      inserts: [
        { department, role: "supporting", dueDate: due, event: ev("assignment.issued", "assigned", "assigned", { role: "supporting", dueDate: due, added: true, note }) },
      ],
    },
  };
}

/** Removes a supporting department: its assignment is withdrawn (a reason is required); the lead is changed, never removed. */
export function removeSupportingDepartment(
  ctx: PlanChangeContext,
  assignments: readonly MeasureAssignmentState[],
  department: DepartmentCode,
  reason: string,
): PlanChangeResult {
  const wrong = contextRefusal(ctx);
  if (wrong !== null) return { ok: false, refusal: wrong };
  const target = activeOf(assignments, department);
  if (target === undefined) return refuse("not_responsible", `${department} is not responsible for this measure.`);
  if (target.role === "lead") {
    return refuse("lead_cannot_be_removed", `${department} leads this measure: change the lead first, then remove it as a supporting department.`);
  }
  if (blank(reason)) return refuse("reason_required", "To remove a department from a measure, give a reason.");
  return {
    ok: true,
    changes: {
      updates: [
        {
          id: target.id,
          department,
          status: "withdrawn",
          event: ev("assignment.withdrawn", target.status, "withdrawn", { reason, removedFromMeasure: true }),
        },
      ],
      inserts: [],
    },
  };
}

/**
 * Makes `department` the measure's lead (牵头单位). The former lead becomes supporting with its status kept. A
 * supporting department promoted keeps its assignment; if it had signed off its part it is reopened (in progress),
 * since the lead's sign-off is the consolidated one. A department new to the measure gets a new `assigned`
 * assignment due `dueDate` (null: the former lead's deadline). A reason is required.
 */
export function changeLead(
  ctx: PlanChangeContext,
  assignments: readonly MeasureAssignmentState[],
  department: DepartmentCode,
  reason: string,
  dueDate: DueDate | null,
): PlanChangeResult {
  const wrong = contextRefusal(ctx);
  if (wrong !== null) return { ok: false, refusal: wrong };
  const lead = assignments.find((a) => a.role === "lead" && a.status !== "withdrawn");
  if (lead?.department === department) return refuse("already_responsible", `${department} already leads this measure.`);
  if (blank(reason)) return refuse("reason_required", "To change the lead department, give a reason.");
  const updates: PlanChangeSet["updates"] = [];
  const inserts: PlanChangeSet["inserts"] = [];
  if (lead !== undefined) {
    updates.push({
      id: lead.id,
      department: lead.department,
      role: "supporting",
      event: ev("assignment.role_changed", lead.status, lead.status, { fromRole: "lead", toRole: "supporting", newLead: department, reason }),
    });
  }
  const promoted = activeOf(assignments, department);
  if (promoted !== undefined) {
    const to: AssignmentStatus = promoted.status === "signed_off" ? "in_progress" : promoted.status;
    updates.push({
      id: promoted.id,
      department,
      role: "lead",
      ...(to !== promoted.status ? { status: to } : {}),
      event: ev("assignment.role_changed", promoted.status, to, {
        fromRole: "supporting",
        toRole: "lead",
        formerLead: lead?.department ?? null,
        reason,
        reopened: to !== promoted.status,
      }),
    });
  } else {
    const due = dueDate ?? lead?.dueDate ?? "ongoing";
    const late = deadlineRefusal(due, ctx.today, false);
    if (late !== null) return { ok: false, refusal: late };
    inserts.push({
      department,
      role: "lead",
      dueDate: due,
      event: ev("assignment.issued", "assigned", "assigned", { role: "lead", dueDate: due, added: true, formerLead: lead?.department ?? null, note: reason }),
    });
  }
  return { ok: true, changes: { updates, inserts } };
}

/**
 * Withdraws (撤销) a whole issued plan: every assignment not signed off or withdrawn is withdrawn with the reason;
 * signed-off work stays on record. The plan's own status becomes `withdrawn` (the service writes it).
 */
export function withdrawPlan(planStatus: PlanStatus, assignments: readonly MeasureAssignmentState[], reason: string): PlanChangeResult {
  if (planStatus === "draft") return refuse("plan_not_issued", "A draft plan has nothing issued to withdraw.");
  if (planStatus === "withdrawn") return refuse("plan_withdrawn", "This plan was already withdrawn.");
  if (blank(reason)) return refuse("reason_required", "To withdraw a plan, give a reason.");
  return {
    ok: true,
    changes: {
      updates: assignments
        .filter((a) => !settled(a.status))
        .map((a) => ({
          id: a.id,
          department: a.department,
          status: "withdrawn" as const,
          event: ev("assignment.withdrawn", a.status, "withdrawn", { reason, planWithdrawn: true }),
        })),
      inserts: [],
    },
  };
}
