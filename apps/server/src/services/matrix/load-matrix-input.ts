import { latenessOf, measureDueDates } from "@countersign/domain";
import type { AssignmentOverlay, DueDate, InboxScope, MatrixInput } from "@countersign/domain";
import type { Repositories } from "@countersign/db";
import { readDepartments } from "../catalog/list-departments.js";
import { readPlanDetail } from "../catalog/get-plan.js";
import { statesVisibleTo } from "./visible-states.js";

export interface MatrixSource {
  input: MatrixInput;
  /** Each measure's deadline for the task-division table (the lead's due date, else the earliest). */
  dueDates: Map<number, DueDate>;
}

export interface MatrixSourceOptions {
  withStatus: boolean;
  /**
   * Whose states to show (the viewer's `inboxScope`; the rule is `statesVisibleTo`). The plan's division of work
   * (who leads, who supports) is shown to everyone regardless.
   */
  statesVisibleTo: InboxScope;
  now: Date;
}

/**
 * Everything the domain's `buildResponsibilityMatrix` needs for one plan, read in a handful of queries through the
 * store (either engine). @throws ServiceError `not_found` for no such plan
 */
export async function loadMatrixSource(repos: Repositories, planId: number, options: MatrixSourceOptions): Promise<MatrixSource> {
  const detail = await readPlanDetail(repos, planId);
  const [assignments, departments] = await Promise.all([repos.progress.assignmentsOfPlan(planId), readDepartments(repos)]);
  const scope = options.statesVisibleTo;
  const overlayOf = (a: (typeof assignments)[number]): AssignmentOverlay => ({
    measureNumber: a.measureNumber,
    department: a.department,
    status: a.status,
    dueDate: a.dueDate,
    lateness: latenessOf(a.dueDate, a.status, options.now),
  });
  const overlay = assignments.map(overlayOf);
  const visible = statesVisibleTo(scope, assignments).map(overlayOf);
  const input: MatrixInput = {
    plan: { sections: detail.sections, measures: detail.measures, departments: detail.departments },
    departments,
    responsibilities: detail.responsibilities,
    closedMeasures: detail.measures.filter((m) => m.closed).map((m) => m.number),
    ...(options.withStatus ? { assignments: visible } : {}),
  };
  return { input, dueDates: measureDueDates(overlay, detail.responsibilities) };
}
