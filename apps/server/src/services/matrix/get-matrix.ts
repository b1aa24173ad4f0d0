import { buildResponsibilityMatrix, inboxScope } from "@countersign/domain";
import type { DueDate, ResponsibilityMatrix } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { actorOf } from "../shared/acting-user.js";
import { requireDivisionReadable } from "../shared/plan-lookup.js";
import type { ActingUser } from "../shared/acting-user.js";
import { loadMatrixSource } from "./load-matrix-input.js";

export interface MatrixView {
  planId: number;
  matrix: ResponsibilityMatrix;
  /** Each measure's deadline (完成时限) for the task-division table. */
  dueDates: Array<{ measureNumber: number; dueDate: DueDate }>;
}

/** The responsibility matrix model, built by the domain. A liaison sees states only on the measures they
 * share; a handler only those of the assignments in their scope (policy.ts `inScope`). */
export function getMatrix(db: Queryable, user: ActingUser, planId: number, withStatus: boolean, now: Date): MatrixView {
  requireDivisionReadable(db, user, planId);
  const source = loadMatrixSource(db, planId, {
    withStatus,
    statesVisibleTo: inboxScope(actorOf(user)),
    now,
  });
  return {
    planId,
    matrix: buildResponsibilityMatrix(source.input),
    dueDates: [...source.dueDates].map(([measureNumber, dueDate]) => ({ measureNumber, dueDate })),
  };
}
