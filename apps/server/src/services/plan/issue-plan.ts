import { issueDeadlinesRefusal, issueDueDates, planCalendarDate } from "@countersign/domain";
import type { DueDate, Role } from "@countersign/domain";
import type { AnyStoreTransaction, AuditEventInput } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import type { LocalPlanChecks } from "../cascade/local-plan-rules.js";
import { auditActorOf, requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { envelope } from "../shared/live-change.js";
import type { LiveEnvelope, Outcome } from "../shared/live-change.js";
import { actorDepartmentOf, noticeAssignmentEventOnSeam } from "../notifications/notify.js";
import type { AssignmentEventFacts, OutboundChannels } from "../notifications/notify.js";
import { readPlanOrNotFound } from "../shared/plan-lookup.js";

export interface IssuePlanInput {
  planId: number;
  /** The due date of every assignment: "ongoing" (持续推进) or YYYY-MM-DD. */
  dueDate: DueDate;
  /** Optional per-measure due dates that override `dueDate` and any deadline the document states for the measure. */
  dueDates?: Array<{ measureNumber: number; dueDate: DueDate }> | undefined;
  /** Confirms a deadline before today (Beijing) on purpose, e.g. recording a plan issued on paper earlier. */
  backdated?: boolean | undefined;
}

export interface IssuedPlan {
  planId: number;
  status: "issued";
  assignments: number;
}

/** What `decideIssue` reads of a plan's measures and responsibilities. */
interface IssueFacts {
  plan: { id: number; status: string };
  measures: ReadonlyArray<{ number: number; statedDueDate: string | null; statedDeadline: string | null }>;
  responsibilities: ReadonlyArray<{ measureNumber: number; role: Role }>;
}

/** What 立项交办 decided: each measure's due date (`dueOf(n)`), whether back-dated, the plan's measure numbers. */
interface IssueDecision {
  dueOf: (measureNumber: number) => DueDate;
  backdated: boolean;
  measureNumbers: number[];
}

/**
 * The rule of 立项交办 (ONE place, `issuePlanIn`'s, apart so that it is tested and read alone): a draft
 * only; no deadline before today (Beijing) unless confirmed as back-dated (the domain's `issueDeadlinesRefusal`,
 * deadlines the document states counting); every measure exactly one lead; per-measure dates only for the plan's
 * measures; each measure's due date the one given for it, else the one its document states, else the plan's. Pure.
 *
 * @throws ServiceError `plan_not_draft`, `deadline_in_past` (and the domain's other deadline refusals, with their
 *   field), `measure_without_lead`, `invalid_input` (field `dueDates[i].measureNumber`)
 */
export function decideIssue(facts: IssueFacts, input: IssuePlanInput, now: Date): IssueDecision {
  if (facts.plan.status !== "draft") throw new ServiceError("plan_not_draft", "This plan has already been issued.");
  // Deadlines the imported document states for its measures apply unless the coordinator gives others.
  const stated = facts.measures.flatMap((m) =>
    m.statedDueDate === null ? [] : [{ measureNumber: m.number, deadline: { dueDate: m.statedDueDate, stated: m.statedDeadline ?? m.statedDueDate } }],
  );
  // A deadline already past would make every assignment overdue at once: only when confirmed as back-dated.
  const backdated = input.backdated === true;
  const late = issueDeadlinesRefusal(input.dueDate, input.dueDates ?? [], planCalendarDate(now), backdated, stated);
  if (late !== null) throw new ServiceError(late.refusal.code, late.refusal.message, { field: late.field });
  const leads = new Map<number, number>();
  for (const r of facts.responsibilities) if (r.role === "lead") leads.set(r.measureNumber, (leads.get(r.measureNumber) ?? 0) + 1);
  const withoutLead = facts.measures.filter((m) => leads.get(m.number) !== 1).map((m) => `(${m.number})`);
  if (withoutLead.length > 0) {
    throw new ServiceError(
      "measure_without_lead",
      `Every measure needs exactly one lead department before the plan is issued; set one for ${withoutLead.join(", ")}.`,
    );
  }
  const measureNumbers = new Set(facts.measures.map((m) => m.number));
  (input.dueDates ?? []).forEach((d, i) => {
    if (!measureNumbers.has(d.measureNumber)) {
      throw new ServiceError("invalid_input", `This plan has no measure (${d.measureNumber}).`, {
        field: `dueDates[${i}].measureNumber`,
      });
    }
  });
  const given = issueDueDates(input.dueDates ?? [], stated);
  return { dueOf: (n) => given.get(n) ?? input.dueDate, backdated, measureNumbers: [...measureNumbers] };
}

/** The audit event of one assignment created by 立项交办, and the facts its notice is decided from. */
function issuedAssignmentEvents(
  user: ActingUser,
  at: string,
  planId: number,
  r: { measureNumber: number; department: string; role: Role },
  assignmentId: number,
  dueDate: DueDate,
): { audit: AuditEventInput; notice: AssignmentEventFacts } {
  return {
    audit: {
      at,
      type: "assignment.issued",
      ...auditActorOf(user),
      planId,
      measureNumber: r.measureNumber,
      assignmentId,
      department: r.department,
      fromStatus: null,
      toStatus: "assigned",
      payload: { role: r.role, dueDate },
    },
    notice: { type: "assignment.issued", assignmentId, planId, measureNumber: r.measureNumber, heldBy: r.department, heldAfter: r.department, actorDepartment: actorDepartmentOf(user), payload: {} },
  };
}

/** The `plan.issued` event and the live change of 立项交办. */
function planIssuedEvents(
  user: ActingUser,
  at: string,
  planId: number,
  input: IssuePlanInput,
  decision: IssueDecision,
  ids: number[],
  departmentsOfWork: readonly string[],
): { audit: AuditEventInput; change: LiveEnvelope } {
  const departments = [...new Set(departmentsOfWork)];
  return {
    audit: {
      at,
      type: "plan.issued",
      ...auditActorOf(user),
      planId,
      payload: { dueDate: input.dueDate, assignments: ids.length, measures: decision.measureNumbers.length, backdated: decision.backdated },
    },
    change: envelope({ planId, assignmentIds: ids, measureNumbers: decision.measureNumbers, departments, at }, departments),
  };
}

/**
 * 立项交办 on the store seam (either engine), in the caller's unit of work: one assignment per responsibility, each
 * `assigned` with its due date (see `decideIssue`), its `assignment.issued` event and notice (the rule of who is told:
 * `assignmentEventNotices`); the plan becomes `issued` with its `plan.issued` event.
 *
 * Errors: `forbidden` (not the coordinator), `not_found`, those of `decideIssue`, the cascade's refusals for an
 * implementation plan (`local`), `plan_not_draft` when another issue won the race.
 */
export async function issuePlanIn(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: IssuePlanInput,
  now: Date,
  deps: { local: LocalPlanChecks; outbound: OutboundChannels },
): Promise<Outcome<IssuedPlan>> {
  requireRole(user, ["coordinator"], "issue a plan");
  const at = now.toISOString();
  const repos = tx.repos;
  const plan = await readPlanOrNotFound(repos, input.planId);
  // Only a draft's measures and division are read: an issued plan is refused first, as before.
  if (plan.status !== "draft") throw new ServiceError("plan_not_draft", "This plan has already been issued.");
  const measures = await repos.catalog.measures(plan.id);
  const responsibilities = await repos.planEditing.planResponsibilities(plan.id);
  const decision = decideIssue({ plan, measures, responsibilities }, input, now);
  // An implementation plan (issue 16): the cascade's rules at issue (no deadline after the parent's, none dropped).
  await deps.local.issue(plan, decision.dueOf);
  const claimed = await repos.planEditing.markIssued(plan.id, { assignedAt: at, assignedByUserId: user.id, defaultDueDate: input.dueDate });
  if (!claimed) throw new ServiceError("plan_not_draft", "This plan has already been issued.");
  const ids: number[] = [];
  for (const r of responsibilities) {
    const dueDate = decision.dueOf(r.measureNumber);
    const id = await repos.planEditing.insertAssignment({ planId: plan.id, measureId: r.measureId, measureNumber: r.measureNumber, department: r.department, role: r.role, dueDate, issuedAt: at });
    ids.push(id);
    const events = issuedAssignmentEvents(user, at, plan.id, r, id, dueDate);
    await tx.appendAuditEvent(events.audit);
    await noticeAssignmentEventOnSeam(repos, events.notice, deps.outbound, now);
  }
  const done = planIssuedEvents(user, at, plan.id, input, decision, ids, responsibilities.map((r) => r.department));
  await tx.appendAuditEvent(done.audit);
  return { value: { planId: plan.id, status: "issued", assignments: ids.length }, change: done.change };
}
