import { eq } from "drizzle-orm";
import { inScope, latenessOf, measureDueDates } from "@countersign/domain";
import type { AssignmentOverlay, DueDate, InboxScope, MatrixInput } from "@countersign/domain";
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
   * Whose states to show (the viewer's `inboxScope`): every state for `all`; for a department (its liaison, its
   * leader) the states on the measures where it holds an assignment (they see the departments they share a measure
   * with); for a handler only the states of the assignments in their scope (handed to them or to their division).
   * The plan's division of work (who leads, who supports) is shown to everyone regardless.
   */
  statesVisibleTo: InboxScope;
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
      divisionId: assignmentsTable.divisionId,
      handlerUserId: assignmentsTable.handlerUserId,
    })
    .from(assignmentsTable)
    .where(eq(assignmentsTable.planId, planId))
    .all();
  const scope = options.statesVisibleTo;
  const overlayOf = (a: (typeof assignments)[number]): AssignmentOverlay => ({
    measureNumber: a.measureNumber,
    department: a.department,
    status: a.status,
    dueDate: a.dueDate,
    lateness: latenessOf(a.dueDate, a.status, options.now),
  });
  const overlay = assignments.map(overlayOf);
  const mine = assignments.filter((a) => inScope(scope, { department: a.department, division: a.divisionId, handler: a.handlerUserId }));
  const shared = new Set(mine.map((a) => a.measureNumber));
  const visible =
    scope.kind === "all" ? overlay : scope.kind === "department" ? overlay.filter((a) => shared.has(a.measureNumber)) : mine.map(overlayOf);
  const input: MatrixInput = {
    plan: { sections: detail.sections, measures: detail.measures, departments: detail.departments },
    departments: listDepartments(db),
    responsibilities: detail.responsibilities,
    closedMeasures: detail.measures.filter((m) => m.closed).map((m) => m.number),
    ...(options.withStatus ? { assignments: visible } : {}),
  };
  return { input, dueDates: measureDueDates(overlay, detail.responsibilities) };
}
