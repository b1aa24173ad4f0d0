import { decideMeasureClosure, deriveMeasureStatus } from "@countersign/domain";
import type { AssignmentStatus, MeasureClosureAction, MeasureStatus, Role } from "@countersign/domain";
import type { AnyStoreTransaction, AuditEventInput, MeasureClosureSet, PlanRecord } from "@countersign/db";
import { refusalError, ServiceError, staleVersion } from "../../errors.js";
import { actorOf, auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";
import { readMeasureOrNotFound, readPlanOrNotFound } from "../shared/plan-lookup.js";

export interface MeasureClosureInput {
  planId: number;
  measureNumber: number;
  note: string;
}

export interface MeasureState {
  planId: number;
  measureNumber: number;
  closed: boolean;
  status: MeasureStatus;
  version: number;
  closedAt: string | null;
  reopenedAt: string | null;
}

/** A measure's assignments as closing it is decided on. */
type ClosureAssignment = { id: number; department: string; role: Role; status: AssignmentStatus };

/**
 * 办结 / 重新办理 through the store (either engine), in the caller's unit of work: read → the domain's
 * `decideMeasureClosure` → a conditional update of the measure (its version), so of two racing closes one wins and
 * the other gets CONFLICT, and its audit event, in `tx`.
 *
 * @throws ServiceError `not_found` (plan or measure), the domain's refusal, `plan_not_issued`, `stale_version`
 */
export async function closeOrReopenMeasureIn(
  tx: AnyStoreTransaction,
  user: ActingUser,
  action: MeasureClosureAction,
  input: MeasureClosureInput,
  now: Date,
): Promise<Outcome<MeasureState>> {
  const at = now.toISOString();
  const plan = await readPlanOrNotFound(tx.repos, input.planId);
  const measure = await readMeasureOrNotFound(tx.repos, input.planId, input.measureNumber);
  const assignments = await tx.repos.progress.assignmentsOfMeasure(measure.id);
  const eventType = decidedClosure(user, action, plan, measure, assignments);
  const updated = await tx.repos.catalog.recordMeasureClosure(measure.id, measure.version, closureSetOf(action, user, input.note, at));
  if (updated === undefined) throw staleVersion("measure", { version: measure.version, status: measure.closed ? "closed" : "open" });
  await tx.appendAuditEvent(closureEventOf(user, eventType, plan.id, measure, updated, assignments, input.note, at));
  return closureOutcomeOf(plan.id, measure.number, updated, assignments, at);
}

/** The domain's decision, then the plan's state: the event type, or the refusal thrown. */
function decidedClosure(
  user: ActingUser,
  action: MeasureClosureAction,
  plan: { status: PlanRecord["status"] },
  measure: { closed: boolean },
  assignments: readonly ClosureAssignment[],
): "measure.closed" | "measure.reopened" {
  const decision = decideMeasureClosure({ closed: measure.closed, assignments: [...assignments] }, action, actorOf(user));
  if (!decision.ok) throw refusalError(decision.refusal);
  if (plan.status !== "issued") throw new ServiceError("plan_not_issued", "This plan has not been issued yet.");
  return decision.eventType;
}

/** The columns closing or reopening sets (beside the version). */
function closureSetOf(action: MeasureClosureAction, user: ActingUser, note: string, at: string): MeasureClosureSet {
  return action === "close"
    ? { closed: true, closedAt: at, closedByUserId: user.id, closeNote: note }
    : { closed: false, reopenedAt: at, reopenedByUserId: user.id, reopenNote: note };
}

function closureEventOf(
  user: ActingUser,
  type: "measure.closed" | "measure.reopened",
  planId: number,
  before: { number: number; closed: boolean },
  after: { closed: boolean },
  assignments: readonly ClosureAssignment[],
  note: string,
  at: string,
): AuditEventInput {
  return {
    at,
    type,
    ...auditActorOf(user),
    planId,
    measureNumber: before.number,
    fromStatus: deriveMeasureStatus([...assignments], before.closed),
    toStatus: deriveMeasureStatus([...assignments], after.closed),
    payload: { note },
  };
}

function closureOutcomeOf(
  planId: number,
  measureNumber: number,
  updated: { closed: boolean; version: number; closedAt: string | null; reopenedAt: string | null },
  assignments: readonly ClosureAssignment[],
  at: string,
): Outcome<MeasureState> {
  const departments = [...new Set(assignments.map((a) => a.department))];
  const change = envelope({ planId, assignmentIds: assignments.map((a) => a.id), measureNumbers: [measureNumber], departments, at }, departments);
  return {
    value: {
      planId,
      measureNumber,
      closed: updated.closed,
      status: deriveMeasureStatus([...assignments], updated.closed),
      version: updated.version,
      closedAt: updated.closedAt,
      reopenedAt: updated.reopenedAt,
    },
    change,
  };
}
