import { and, asc, eq } from "drizzle-orm";
import { issueDeadlinesRefusal, issueDueDates, planCalendarDate } from "@countersign/domain";
import type { DueDate } from "@countersign/domain";
import { appendAuditEvent, writeTransaction } from "@countersign/db";
import type { CountersignDb } from "@countersign/db";
import { assignmentsTable, measuresTable, plansTable, responsibilitiesTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { assertLocalIssue } from "../cascade/local-plan-rules.js";
import { auditActorOf, requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";
import { actorDepartmentOf, noticeAssignmentEvent } from "../notifications/notify.js";
import { planOrNotFound } from "../shared/plan-lookup.js";

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

/**
 * 立项交办: one assignment per responsibility, each `assigned`, with its due date (the one given for its measure, else
 * the one its document states, else the plan's); the plan becomes `issued`.
 */
export function issuePlan(db: CountersignDb, user: ActingUser, input: IssuePlanInput, now: Date): Outcome<IssuedPlan> {
  requireRole(user, ["coordinator"], "issue a plan");
  const at = now.toISOString();
  return writeTransaction(db, (tx) => {
    const plan = planOrNotFound(tx, input.planId);
    if (plan.status !== "draft") throw new ServiceError("plan_not_draft", "This plan has already been issued.");
    const measures = tx
      .select({ id: measuresTable.id, number: measuresTable.number, statedDueDate: measuresTable.statedDueDate, statedDeadline: measuresTable.statedDeadline })
      .from(measuresTable)
      .where(eq(measuresTable.planId, plan.id))
      .orderBy(asc(measuresTable.number))
      .all();
    // Deadlines the imported document states for its measures apply unless the coordinator gives others.
    const stated = measures.flatMap((m) =>
      m.statedDueDate === null ? [] : [{ measureNumber: m.number, deadline: { dueDate: m.statedDueDate, stated: m.statedDeadline ?? m.statedDueDate } }],
    );
    // A deadline already past would make every assignment overdue at once: only when confirmed as back-dated.
    const backdated = input.backdated === true;
    const late = issueDeadlinesRefusal(input.dueDate, input.dueDates ?? [], planCalendarDate(now), backdated, stated);
    if (late !== null) throw new ServiceError(late.refusal.code, late.refusal.message, { field: late.field });
    const responsibilities = tx
      .select()
      .from(responsibilitiesTable)
      .where(eq(responsibilitiesTable.planId, plan.id))
      .orderBy(asc(responsibilitiesTable.measureNumber), asc(responsibilitiesTable.position))
      .all();
    const leads = new Map<number, number>();
    for (const r of responsibilities) if (r.role === "lead") leads.set(r.measureNumber, (leads.get(r.measureNumber) ?? 0) + 1);
    const withoutLead = measures.filter((m) => leads.get(m.number) !== 1).map((m) => `(${m.number})`);
    if (withoutLead.length > 0) {
      throw new ServiceError(
        "measure_without_lead",
        `Every measure needs exactly one lead department before the plan is issued; set one for ${withoutLead.join(", ")}.`,
      );
    }
    const measureNumbers = new Set(measures.map((m) => m.number));
    (input.dueDates ?? []).forEach((d, i) => {
      if (!measureNumbers.has(d.measureNumber)) {
        throw new ServiceError("invalid_input", `This plan has no measure (${d.measureNumber}).`, {
          field: `dueDates[${i}].measureNumber`,
        });
      }
    });
    const dueOf = issueDueDates(input.dueDates ?? [], stated);
    // An implementation plan (issue 16): the cascade's rules at issue (no deadline after the parent's, none dropped).
    assertLocalIssue(tx, user, plan, (n) => dueOf.get(n) ?? input.dueDate, now);

    const claimed = tx
      .update(plansTable)
      .set({ status: "issued", assignedAt: at, assignedByUserId: user.id, defaultDueDate: input.dueDate })
      .where(and(eq(plansTable.id, plan.id), eq(plansTable.status, "draft")))
      .run();
    if (claimed.changes === 0) throw new ServiceError("plan_not_draft", "This plan has already been issued.");

    const ids: number[] = [];
    for (const r of responsibilities) {
      const dueDate = dueOf.get(r.measureNumber) ?? input.dueDate;
      const assignment = tx
        .insert(assignmentsTable)
        .values({
          planId: plan.id,
          measureId: r.measureId,
          measureNumber: r.measureNumber,
          department: r.department,
          role: r.role,
          status: "assigned",
          dueDate,
          version: 1,
          issuedAt: at,
          updatedAt: at,
        })
        .returning({ id: assignmentsTable.id })
        .get();
      ids.push(assignment.id);
      appendAuditEvent(tx, {
        at,
        type: "assignment.issued",
        ...auditActorOf(user),
        planId: plan.id,
        measureNumber: r.measureNumber,
        assignmentId: assignment.id,
        department: r.department,
        fromStatus: null,
        toStatus: "assigned",
        payload: { role: r.role, dueDate },
      });
      noticeAssignmentEvent(
        tx,
        { type: "assignment.issued", assignmentId: assignment.id, planId: plan.id, measureNumber: r.measureNumber, heldBy: r.department, heldAfter: r.department, actorDepartment: actorDepartmentOf(user), payload: {} },
        now,
      );
    }
    appendAuditEvent(tx, {
      at,
      type: "plan.issued",
      ...auditActorOf(user),
      planId: plan.id,
      payload: { dueDate: input.dueDate, assignments: ids.length, measures: measures.length, backdated },
    });
    const departments = [...new Set(responsibilities.map((r) => r.department))];
    const change = envelope(
      { planId: plan.id, assignmentIds: ids, measureNumbers: [...measureNumbers], departments, at },
      departments,
    );
    return { value: { planId: plan.id, status: "issued" as const, assignments: ids.length }, change };
  });
}
