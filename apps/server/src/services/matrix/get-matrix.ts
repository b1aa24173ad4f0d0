import { buildResponsibilityMatrix } from "@countersign/domain";
import type { DueDate, ResponsibilityMatrix } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { loadMatrixSource } from "./load-matrix-input.js";

export interface MatrixView {
  planId: number;
  matrix: ResponsibilityMatrix;
  /** Each measure's deadline (完成时限) for the task-division table. */
  dueDates: Array<{ measureNumber: number; dueDate: DueDate }>;
}

/** The responsibility matrix model, built by the domain. A liaison sees states only on the measures they share. */
export function getMatrix(db: Queryable, user: ActingUser, planId: number, withStatus: boolean, now: Date): MatrixView {
  const source = loadMatrixSource(db, planId, {
    withStatus,
    statesVisibleTo: readsAllDepartments(user) ? null : user.department,
    now,
  });
  return {
    planId,
    matrix: buildResponsibilityMatrix(source.input),
    dueDates: [...source.dueDates].map(([measureNumber, dueDate]) => ({ measureNumber, dueDate })),
  };
}
