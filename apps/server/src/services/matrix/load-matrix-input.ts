import { eq } from "drizzle-orm";
import { latenessOf, measureDueDates } from "@countersign/domain";
import type { AssignmentOverlay, DepartmentCode, DueDate, MatrixInput } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { assignmentsTable } from "@countersign/db/schema";
import { listDepartments } from "../catalog/list-departments.js";
import { getPlan } from "../catalog/get-plan.js";

export interface MatrixSource {
  input: MatrixInput;
  /** Each measure's deadline for the task-division table (the lead's due date, else the earliest). */
  dueDates: Map<number, DueDate>;
}

export interface MatrixSourceOptions {
  withStatus: boolean;
  /**
   * Show states only on measures where this department holds an assignment (a liaison sees the states of the
   * departments they share a measure with); null shows every state.
   */
  statesVisibleTo: DepartmentCode | null;
  now: Date;
}

/** Everything the domain's `buildResponsibilityMatrix` needs for one plan, read in a handful of queries. */
export function loadMatrixSource(db: Queryable, planId: number, options: MatrixSourceOptions): MatrixSource {
  const detail = getPlan(db, planId);
  const assignments = db
    .select({
      measureNumber: assignmentsTable.measureNumber,
      department: assignmentsTable.department,
      status: assignmentsTable.status,
      dueDate: assignmentsTable.dueDate,
    })
    .from(assignmentsTable)
    .where(eq(assignmentsTable.planId, planId))
    .all();
  const overlay: AssignmentOverlay[] = assignments.map((a) => ({
    ...a,
    lateness: latenessOf(a.dueDate, a.status, options.now),
  }));
  const viewer = options.statesVisibleTo;
  const shared = new Set(overlay.filter((a) => a.department === viewer).map((a) => a.measureNumber));
  const visible = viewer === null ? overlay : overlay.filter((a) => shared.has(a.measureNumber));
  const input: MatrixInput = {
    plan: { sections: detail.sections, measures: detail.measures, departments: detail.departments },
    departments: listDepartments(db),
    responsibilities: detail.responsibilities,
    closedMeasures: detail.measures.filter((m) => m.closed).map((m) => m.number),
    ...(options.withStatus ? { assignments: visible } : {}),
  };
  return { input, dueDates: measureDueDates(overlay, detail.responsibilities) };
}
