/**
 * Changing an issued plan (see packages/domain/src/plan-change.ts for the rules): a measure's deadline, a supporting
 * department added or removed, the lead changed, the whole plan withdrawn. Each service reads what the rule needs,
 * calls the domain's pure function, and writes its change set: the assignment rows, the division of work
 * (responsibilities, so the matrix shows who is responsible now), cancelled extension requests of withdrawn work, and
 * one audit event per assignment touched. The caller opens the transaction and passes `tx` (one change set, one commit).
 */
import { and, asc, eq, max } from "drizzle-orm";
import {
  addSupportingDepartment,
  changeLead,
  changeMeasureDeadline,
  planCalendarDate,
  removeSupportingDepartment,
  withdrawPlan,
} from "@countersign/domain";
import type { DepartmentCode, DueDate, PlanChangeContext, PlanChangeResult, PlanChangeSet, PlanStatus } from "@countersign/domain";
import { appendAuditEvent } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { assignmentsTable, departmentsTable, extensionRequestsTable, plansTable, responsibilitiesTable } from "@countersign/db/schema";
import { refusalError, ServiceError } from "../../errors.js";
import { auditActorOf, requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { actorDepartmentOf, noticeAssignmentEvent } from "../notifications/notify.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";
import { measureOrNotFound, planOrNotFound } from "../shared/plan-lookup.js";
import type { MeasureRow, PlanRow } from "../shared/plan-lookup.js";

export interface MeasureRef {
  planId: number;
  measureNumber: number;
}

/** What every change answers: the assignments of the measure (or plan) touched, as ids, and the departments concerned. */
export interface PlanChanged {
  planId: number;
  measureNumbers: number[];
  assignmentIds: number[];
  departments: DepartmentCode[];
}

type AssignmentRow = typeof assignmentsTable.$inferSelect;

function measureAssignments(tx: Queryable, measureId: number): AssignmentRow[] {
  return tx.select().from(assignmentsTable).where(eq(assignmentsTable.measureId, measureId)).orderBy(asc(assignmentsTable.id)).all();
}

function knownDepartment(tx: Queryable, code: string): void {
  const found = tx.select({ code: departmentsTable.code }).from(departmentsTable).where(eq(departmentsTable.code, code)).get();
  if (found === undefined) throw new ServiceError("unknown_department", `There is no department ${code}.`, { field: "department" });
}

function contextOf(plan: PlanRow, measure: MeasureRow, now: Date): PlanChangeContext {
  return { planStatus: plan.status as PlanStatus, measureClosed: measure.closed, today: planCalendarDate(now) };
}

/**
 * Writes a change set of one measure (or, for a withdrawn plan, of many): updates with a version bump, inserts as
 * `assigned` at version 1, the division of work kept in step, and one audit event each.
 */
function applyChangeSet(
  tx: Queryable,
  user: ActingUser,
  plan: PlanRow,
  rows: readonly AssignmentRow[],
  measure: MeasureRow | null,
  changes: PlanChangeSet,
  now: Date,
): Outcome<PlanChanged> {
  const at = now.toISOString();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ids: number[] = [];
  const departments = new Set<DepartmentCode>();
  const measureNumbers = new Set<number>();
  for (const u of changes.updates) {
    const row = byId.get(u.id);
    if (row === undefined) throw new ServiceError("internal", `Assignment ${u.id} is not of this change.`);
    const withdrawn = u.status === "withdrawn";
    tx.update(assignmentsTable)
      .set({
        ...(u.status === undefined ? {} : { status: u.status }),
        ...(u.role === undefined ? {} : { role: u.role }),
        ...(u.dueDate === undefined ? {} : { dueDate: u.dueDate }),
        ...(withdrawn ? { pendingExtensionUntil: null, pendingExtensionReason: null } : {}),
        version: row.version + 1,
        updatedAt: at,
      })
      .where(and(eq(assignmentsTable.id, row.id), eq(assignmentsTable.version, row.version)))
      .run();
    if (withdrawn) {
      tx.update(extensionRequestsTable)
        .set({ status: "cancelled", decidedByUserId: user.id, decidedAt: at, decisionNote: String(u.event.payload["reason"] ?? "") })
        .where(and(eq(extensionRequestsTable.assignmentId, row.id), eq(extensionRequestsTable.status, "pending")))
        .run();
      // The division of work follows: a department removed from a measure is no longer responsible for it.
      if (u.event.payload["removedFromMeasure"] === true) {
        tx.delete(responsibilitiesTable)
          .where(and(eq(responsibilitiesTable.measureId, row.measureId), eq(responsibilitiesTable.department, row.department)))
          .run();
      }
    }
    if (u.role !== undefined) {
      tx.update(responsibilitiesTable)
        .set({ role: u.role, ...(u.role === "lead" ? { position: 0 } : {}) })
        .where(and(eq(responsibilitiesTable.measureId, row.measureId), eq(responsibilitiesTable.department, row.department)))
        .run();
    }
    appendAuditEvent(tx, {
      at,
      type: u.event.type,
      ...auditActorOf(user),
      planId: plan.id,
      measureNumber: row.measureNumber,
      assignmentId: row.id,
      department: row.department,
      fromStatus: u.event.from,
      toStatus: u.event.to,
      payload: u.event.payload,
    });
    // A withdrawal reaches the department's notices (the domain's assignmentEventAudience; a change of deadline or
    // role is in its inbox's unread notices).
    noticeAssignmentEvent(
      tx,
      { type: u.event.type, assignmentId: row.id, planId: plan.id, measureNumber: row.measureNumber, heldBy: row.department, heldAfter: row.department, actorDepartment: actorDepartmentOf(user), payload: u.event.payload },
      now,
    );
    ids.push(row.id);
    departments.add(row.department);
    measureNumbers.add(row.measureNumber);
  }
  if (changes.inserts.length > 0 && measure === null) throw new ServiceError("internal", "New assignments need their measure.");
  for (const ins of changes.inserts) {
    if (measure === null) break;
    const created = tx
      .insert(assignmentsTable)
      .values({
        planId: plan.id,
        measureId: measure.id,
        measureNumber: measure.number,
        department: ins.department,
        role: ins.role,
        status: "assigned",
        dueDate: ins.dueDate,
        version: 1,
        issuedAt: at,
        updatedAt: at,
      })
      .returning({ id: assignmentsTable.id })
      .get();
    // A department engaged again after its earlier assignment was withdrawn takes its old row's place.
    tx.delete(responsibilitiesTable)
      .where(and(eq(responsibilitiesTable.measureId, measure.id), eq(responsibilitiesTable.department, ins.department)))
      .run();
    const last = tx
      .select({ position: max(responsibilitiesTable.position) })
      .from(responsibilitiesTable)
      .where(eq(responsibilitiesTable.measureId, measure.id))
      .get();
    tx.insert(responsibilitiesTable)
      .values({
        planId: plan.id,
        measureId: measure.id,
        measureNumber: measure.number,
        department: ins.department,
        role: ins.role,
        position: ins.role === "lead" ? 0 : (last?.position ?? 0) + 1,
        justification: null,
      })
      .run();
    appendAuditEvent(tx, {
      at,
      type: ins.event.type,
      ...auditActorOf(user),
      planId: plan.id,
      measureNumber: measure.number,
      assignmentId: created.id,
      department: ins.department,
      fromStatus: null,
      toStatus: "assigned",
      payload: ins.event.payload,
    });
    noticeAssignmentEvent(
      tx,
      { type: ins.event.type, assignmentId: created.id, planId: plan.id, measureNumber: measure.number, heldBy: ins.department, heldAfter: ins.department, actorDepartment: actorDepartmentOf(user), payload: ins.event.payload },
      now,
    );
    ids.push(created.id);
    departments.add(ins.department);
    measureNumbers.add(measure.number);
  }
  // Every department on a touched measure hears of it (they see each other's states).
  const audience = rows.map((r) => r.department);
  const value: PlanChanged = { planId: plan.id, measureNumbers: [...measureNumbers], assignmentIds: ids, departments: [...departments] };
  return { value, change: envelope({ planId: plan.id, assignmentIds: ids, measureNumbers: [...measureNumbers], departments: [...departments], at }, audience) };
}

function decided(result: PlanChangeResult): PlanChangeSet {
  if (!result.ok) throw refusalError(result.refusal);
  return result.changes;
}

/** Reads the plan, the measure and its assignments, then applies what `decide` answers. */
function changeMeasure(
  tx: Queryable,
  user: ActingUser,
  ref: MeasureRef,
  now: Date,
  what: string,
  decide: (ctx: PlanChangeContext, rows: readonly AssignmentRow[]) => PlanChangeResult,
): Outcome<PlanChanged> {
  requireRole(user, ["coordinator"], what);
  const plan = planOrNotFound(tx, ref.planId);
  const measure = measureOrNotFound(tx, ref.planId, ref.measureNumber);
  const rows = measureAssignments(tx, measure.id);
  return applyChangeSet(tx, user, plan, rows, measure, decided(decide(contextOf(plan, measure, now), rows)), now);
}

/** 调整完成时限: a measure's new deadline for every assignment of it still open. */
export function changeDeadline(
  tx: Queryable,
  user: ActingUser,
  input: MeasureRef & { dueDate: DueDate; note: string; backdated: boolean },
  now: Date,
): Outcome<PlanChanged> {
  return changeMeasure(tx, user, input, now, "change a deadline", (ctx, rows) =>
    changeMeasureDeadline(ctx, rows, input.dueDate, input.note, input.backdated),
  );
}

/** A supporting department added to an issued measure. */
export function addSupporting(
  tx: Queryable,
  user: ActingUser,
  input: MeasureRef & { department: DepartmentCode; dueDate?: DueDate | undefined; note: string },
  now: Date,
): Outcome<PlanChanged> {
  knownDepartment(tx, input.department);
  return changeMeasure(tx, user, input, now, "add a supporting department", (ctx, rows) =>
    addSupportingDepartment(ctx, rows, input.department, input.dueDate ?? null, input.note),
  );
}

/** A supporting department removed from an issued measure (its assignment withdrawn). */
export function removeSupporting(
  tx: Queryable,
  user: ActingUser,
  input: MeasureRef & { department: DepartmentCode; reason: string },
  now: Date,
): Outcome<PlanChanged> {
  return changeMeasure(tx, user, input, now, "remove a supporting department", (ctx, rows) =>
    removeSupportingDepartment(ctx, rows, input.department, input.reason),
  );
}

/** 调整牵头单位: another department leads the measure. */
export function changeMeasureLead(
  tx: Queryable,
  user: ActingUser,
  input: MeasureRef & { department: DepartmentCode; reason: string; dueDate?: DueDate | undefined },
  now: Date,
): Outcome<PlanChanged> {
  knownDepartment(tx, input.department);
  return changeMeasure(tx, user, input, now, "change the lead department", (ctx, rows) =>
    changeLead(ctx, rows, input.department, input.reason, input.dueDate ?? null),
  );
}

/** 撤销: the whole plan withdrawn; its open assignments withdrawn with the reason; the plan's status `withdrawn`. */
export function withdrawWholePlan(tx: Queryable, user: ActingUser, input: { planId: number; reason: string }, now: Date): Outcome<PlanChanged> {
  requireRole(user, ["coordinator"], "withdraw a plan");
  const plan = planOrNotFound(tx, input.planId);
  const rows = tx.select().from(assignmentsTable).where(eq(assignmentsTable.planId, plan.id)).orderBy(asc(assignmentsTable.id)).all();
  const changes = decided(withdrawPlan(plan.status as PlanStatus, rows, input.reason));
  const outcome = applyChangeSet(tx, user, plan, rows, null, changes, now);
  tx.update(plansTable).set({ status: "withdrawn" }).where(eq(plansTable.id, plan.id)).run();
  appendAuditEvent(tx, {
    at: now.toISOString(),
    type: "plan.withdrawn",
    ...auditActorOf(user),
    planId: plan.id,
    payload: { reason: input.reason, assignmentsWithdrawn: changes.updates.length },
  });
  const departments = [...new Set(rows.map((r) => r.department))];
  return {
    value: { ...outcome.value, departments },
    change: envelope({ planId: plan.id, assignmentIds: outcome.value.assignmentIds, measureNumbers: outcome.value.measureNumbers, departments, at: now.toISOString() }, departments),
  };
}
