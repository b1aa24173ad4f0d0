import { and, eq } from "drizzle-orm";
import { decideMeasureClosure, deriveMeasureStatus } from "@countersign/domain";
import type { MeasureClosureAction, MeasureStatus } from "@countersign/domain";
import { appendAuditEvent, writeTransaction } from "@countersign/db";
import type { CountersignDb } from "@countersign/db";
import { assignmentsTable, measuresTable } from "@countersign/db/schema";
import { refusalError, ServiceError, staleVersion } from "../../errors.js";
import { actorOf, auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { envelope } from "../shared/live-change.js";
import type { Outcome } from "../shared/live-change.js";
import { measureOrNotFound, planOrNotFound } from "../shared/plan-lookup.js";

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

/**
 * 办结 / 重新办理. The domain decides; the update is conditional on the measure's version, so of two racing closes
 * one wins and the other gets CONFLICT.
 */
export function closeOrReopenMeasure(
  db: CountersignDb,
  user: ActingUser,
  action: MeasureClosureAction,
  input: MeasureClosureInput,
  now: Date,
): Outcome<MeasureState> {
  const at = now.toISOString();
  return writeTransaction(db, (tx) => {
    const plan = planOrNotFound(tx, input.planId);
    const measure = measureOrNotFound(tx, input.planId, input.measureNumber);
    const assignments = tx
      .select({ id: assignmentsTable.id, department: assignmentsTable.department, role: assignmentsTable.role, status: assignmentsTable.status })
      .from(assignmentsTable)
      .where(eq(assignmentsTable.measureId, measure.id))
      .all();
    const decision = decideMeasureClosure({ closed: measure.closed, assignments }, action, actorOf(user));
    if (!decision.ok) throw refusalError(decision.refusal);
    if (plan.status !== "issued") throw new ServiceError("plan_not_issued", "This plan has not been issued yet.");

    const closing = action === "close";
    const updated = tx
      .update(measuresTable)
      .set(
        closing
          ? { closed: true, closedAt: at, closedByUserId: user.id, closeNote: input.note, version: measure.version + 1 }
          : { closed: false, reopenedAt: at, reopenedByUserId: user.id, reopenNote: input.note, version: measure.version + 1 },
      )
      .where(and(eq(measuresTable.id, measure.id), eq(measuresTable.version, measure.version)))
      .returning()
      .get();
    if (updated === undefined) {
      throw staleVersion("measure", { version: measure.version, status: measure.closed ? "closed" : "open" });
    }
    appendAuditEvent(tx, {
      at,
      type: decision.eventType,
      ...auditActorOf(user),
      planId: plan.id,
      measureNumber: measure.number,
      fromStatus: deriveMeasureStatus(assignments, measure.closed),
      toStatus: deriveMeasureStatus(assignments, updated.closed),
      payload: { note: input.note },
    });
    const departments = [...new Set(assignments.map((a) => a.department))];
    const change = envelope(
      { planId: plan.id, assignmentIds: assignments.map((a) => a.id), measureNumbers: [measure.number], departments, at },
      departments,
    );
    return {
      value: {
        planId: plan.id,
        measureNumber: measure.number,
        closed: updated.closed,
        status: deriveMeasureStatus(assignments, updated.closed),
        version: updated.version,
        closedAt: updated.closedAt,
        reopenedAt: updated.reopenedAt,
      },
      change,
    };
  });
}
