/**
 * Changing an issued plan (see packages/domain/src/plan-change.ts for the rules): a measure's deadline, a supporting
 * department added or removed, the lead changed, the whole plan withdrawn. Each service reads what the rule needs,
 * calls the domain's pure function, and writes its change set: the assignment rows, the division of work
 * (responsibilities, so the matrix shows who is responsible now), cancelled extension requests of withdrawn work, and
 * one audit event per assignment touched. The caller opens the unit of work (either engine) and passes `tx` (one change set, one commit).
 */
import {
  addSupportingDepartment,
  changeLead,
  changeMeasureDeadline,
  planCalendarDate,
  removeSupportingDepartment,
  withdrawPlan,
} from "@countersign/domain";
import type { DepartmentCode, DueDate, PlanChangeContext, PlanChangeResult, PlanChangeSet, PlanStatus } from "@countersign/domain";
import type { AnyStoreTransaction, AssignmentRecord, MeasureRecord, PlanRecord, Repositories } from "@countersign/db";
import { refusalError, ServiceError } from "../../errors.js";
import { auditActorOf, requireRole } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { actorDepartmentOf, noticeAssignmentEventOnSeam } from "../notifications/notify.js";
import type { OutboundChannels } from "../notifications/notify.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";
import { readMeasureOrNotFound, readPlanOrNotFound } from "../shared/plan-lookup.js";

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

/** What a change after issue needs beside its unit of work: the outbound channels its notices are queued on. */
export interface PlanChangeDeps {
  outbound: OutboundChannels;
}

async function knownDepartment(repos: Repositories, code: string): Promise<void> {
  const found = await repos.planEditing.knownDepartments([code]);
  if (found.length === 0) throw new ServiceError("unknown_department", `There is no department ${code}.`, { field: "department" });
}

function contextOf(plan: PlanRecord, measure: MeasureRecord, now: Date): PlanChangeContext {
  return { planStatus: plan.status as PlanStatus, measureClosed: measure.closed, today: planCalendarDate(now) };
}

/**
 * Writes a change set of one measure (or, for a withdrawn plan, of many): updates with a version bump (conditional:
 * `stale_version` when another change won the race, which undoes the whole unit of work), inserts as `assigned` at
 * version 1, the division of work kept in step, one audit event and its notices each.
 */
async function applyChangeSet(
  tx: AnyStoreTransaction,
  user: ActingUser,
  plan: PlanRecord,
  rows: readonly AssignmentRecord[],
  measure: MeasureRecord | null,
  changes: PlanChangeSet,
  now: Date,
  deps: PlanChangeDeps,
): Promise<Outcome<PlanChanged>> {
  const repos = tx.repos;
  const at = now.toISOString();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ids: number[] = [];
  const departments = new Set<DepartmentCode>();
  const measureNumbers = new Set<number>();
  for (const u of changes.updates) {
    const row = byId.get(u.id);
    if (row === undefined) throw new ServiceError("internal", `Assignment ${u.id} is not of this change.`);
    const withdrawn = u.status === "withdrawn";
    const applied = await repos.planEditing.reviseAssignment(row.id, row.version, {
      status: u.status,
      role: u.role,
      dueDate: u.dueDate,
      clearPendingExtension: withdrawn,
      updatedAt: at,
    });
    // SQLite: unreachable (one writer). PostgreSQL: a concurrent act on the assignment committed first.
    if (!applied) throw new ServiceError("stale_version", `Assignment ${row.id} changed meanwhile; reload the plan and try again.`);
    if (withdrawn) {
      await repos.assignments.settlePendingExtension(row.id, { status: "cancelled", decidedByUserId: user.id, decidedAt: at, decisionNote: String(u.event.payload["reason"] ?? "") });
      // The division of work follows: a department removed from a measure is no longer responsible for it.
      if (u.event.payload["removedFromMeasure"] === true) await repos.planEditing.removeFromDivision(row.measureId, row.department);
    }
    if (u.role !== undefined) await repos.planEditing.setRoleInDivision(row.measureId, row.department, u.role);
    await tx.appendAuditEvent({
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
    await noticeAssignmentEventOnSeam(
      repos,
      { type: u.event.type, assignmentId: row.id, planId: plan.id, measureNumber: row.measureNumber, heldBy: row.department, heldAfter: row.department, actorDepartment: actorDepartmentOf(user), payload: u.event.payload },
      deps.outbound,
      now,
    );
    ids.push(row.id);
    departments.add(row.department);
    measureNumbers.add(row.measureNumber);
  }
  if (changes.inserts.length > 0 && measure === null) throw new ServiceError("internal", "New assignments need their measure.");
  for (const ins of changes.inserts) {
    if (measure === null) break;
    const id = await repos.planEditing.insertAssignment({
      planId: plan.id,
      measureId: measure.id,
      measureNumber: measure.number,
      department: ins.department,
      role: ins.role,
      dueDate: ins.dueDate,
      issuedAt: at,
    });
    // A department engaged again after its earlier assignment was withdrawn takes its old row's place.
    await repos.planEditing.engageInDivision(plan.id, measure.id, measure.number, ins.department, ins.role);
    await tx.appendAuditEvent({
      at,
      type: ins.event.type,
      ...auditActorOf(user),
      planId: plan.id,
      measureNumber: measure.number,
      assignmentId: id,
      department: ins.department,
      fromStatus: null,
      toStatus: "assigned",
      payload: ins.event.payload,
    });
    await noticeAssignmentEventOnSeam(
      repos,
      { type: ins.event.type, assignmentId: id, planId: plan.id, measureNumber: measure.number, heldBy: ins.department, heldAfter: ins.department, actorDepartment: actorDepartmentOf(user), payload: ins.event.payload },
      deps.outbound,
      now,
    );
    ids.push(id);
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
async function changeMeasure(
  tx: AnyStoreTransaction,
  user: ActingUser,
  ref: MeasureRef,
  now: Date,
  what: string,
  deps: PlanChangeDeps,
  decide: (ctx: PlanChangeContext, rows: readonly AssignmentRecord[]) => PlanChangeResult,
): Promise<Outcome<PlanChanged>> {
  requireRole(user, ["coordinator"], what);
  const plan = await readPlanOrNotFound(tx.repos, ref.planId);
  const measure = await readMeasureOrNotFound(tx.repos, ref.planId, ref.measureNumber);
  const rows = await tx.repos.planEditing.measureAssignments(measure.id);
  return applyChangeSet(tx, user, plan, rows, measure, decided(decide(contextOf(plan, measure, now), rows)), now, deps);
}

/** 调整完成时限: a measure's new deadline for every assignment of it still open. */
export function changeDeadline(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: MeasureRef & { dueDate: DueDate; note: string; backdated: boolean },
  now: Date,
  deps: PlanChangeDeps,
): Promise<Outcome<PlanChanged>> {
  return changeMeasure(tx, user, input, now, "change a deadline", deps, (ctx, rows) =>
    changeMeasureDeadline(ctx, rows, input.dueDate, input.note, input.backdated),
  );
}

/** A supporting department added to an issued measure. */
export async function addSupporting(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: MeasureRef & { department: DepartmentCode; dueDate?: DueDate | undefined; note: string },
  now: Date,
  deps: PlanChangeDeps,
): Promise<Outcome<PlanChanged>> {
  await knownDepartment(tx.repos, input.department);
  return changeMeasure(tx, user, input, now, "add a supporting department", deps, (ctx, rows) =>
    addSupportingDepartment(ctx, rows, input.department, input.dueDate ?? null, input.note),
  );
}

/** A supporting department removed from an issued measure (its assignment withdrawn). */
export function removeSupporting(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: MeasureRef & { department: DepartmentCode; reason: string },
  now: Date,
  deps: PlanChangeDeps,
): Promise<Outcome<PlanChanged>> {
  return changeMeasure(tx, user, input, now, "remove a supporting department", deps, (ctx, rows) =>
    removeSupportingDepartment(ctx, rows, input.department, input.reason),
  );
}

/** 调整牵头单位: another department leads the measure. */
export async function changeMeasureLead(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: MeasureRef & { department: DepartmentCode; reason: string; dueDate?: DueDate | undefined },
  now: Date,
  deps: PlanChangeDeps,
): Promise<Outcome<PlanChanged>> {
  await knownDepartment(tx.repos, input.department);
  return changeMeasure(tx, user, input, now, "change the lead department", deps, (ctx, rows) =>
    changeLead(ctx, rows, input.department, input.reason, input.dueDate ?? null),
  );
}

/** 撤销: the whole plan withdrawn; its open assignments withdrawn with the reason; the plan's status `withdrawn`. */
export async function withdrawWholePlan(
  tx: AnyStoreTransaction,
  user: ActingUser,
  input: { planId: number; reason: string },
  now: Date,
  deps: PlanChangeDeps,
): Promise<Outcome<PlanChanged>> {
  requireRole(user, ["coordinator"], "withdraw a plan");
  const plan = await readPlanOrNotFound(tx.repos, input.planId);
  const rows = await tx.repos.planEditing.planAssignments(plan.id);
  const changes = decided(withdrawPlan(plan.status as PlanStatus, rows, input.reason));
  const outcome = await applyChangeSet(tx, user, plan, rows, null, changes, now, deps);
  await tx.repos.planEditing.markWithdrawn(plan.id);
  await tx.appendAuditEvent({
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
