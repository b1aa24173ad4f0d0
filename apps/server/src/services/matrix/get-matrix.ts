import { buildResponsibilityMatrix, inboxScope } from "@countersign/domain";
import type { DueDate, ResponsibilityMatrix } from "@countersign/domain";
import type { Repositories } from "@countersign/db";
import { actorOf } from "../shared/acting-user.js";
import { requireDivisionReadableIn } from "../shared/plan-lookup.js";
import type { ActingUser } from "../shared/acting-user.js";
import { loadMatrixSource } from "./load-matrix-input.js";

export interface MatrixView {
  planId: number;
  matrix: ResponsibilityMatrix;
  /** Each measure's deadline (完成时限) for the task-division table. */
  dueDates: Array<{ measureNumber: number; dueDate: DueDate }>;
}

/** The responsibility matrix model, built by the domain. A liaison sees states only on the measures they
 * share; a handler only those of the assignments in their scope (policy.ts `inScope`). Through the store (either
 * engine). @throws ServiceError `not_found`, `plan_not_issued` (a draft, to a department) */
export async function getMatrix(repos: Repositories, user: ActingUser, planId: number, withStatus: boolean, now: Date): Promise<MatrixView> {
  await requireDivisionReadableIn(repos, user, planId);
  const source = await loadMatrixSource(repos, planId, {
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
