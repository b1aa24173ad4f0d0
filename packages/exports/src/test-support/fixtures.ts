/** The default plan and its proposed division, and a deterministic status overlay, for the tests. */
import type { AssignmentOverlay, AssignmentStatus, Lateness, MatrixInput, ProgressReport, Responsibility } from "@countersign/domain";
import { buildProgressReport, defaultPlan, departments, proposedDivision2020 } from "@countersign/domain";

export const responsibilities: Responsibility[] = proposedDivision2020.map((r) => ({
  measureNumber: r.measureNumber,
  department: r.department,
  role: r.role,
}));

export const defaultInput: MatrixInput = { plan: defaultPlan, departments, responsibilities };

const statusCycle: readonly AssignmentStatus[] = ["assigned", "accepted", "in_progress", "signed_off", "declined", "in_progress"];
const latenessCycle: readonly Lateness[] = ["none", "due_soon", "overdue", "none", "long_overdue"];

/** One assignment per responsibility, states cycling so that every status and lateness appears. */
export const overlay: AssignmentOverlay[] = responsibilities.map((r, i) => {
  const status = statusCycle[i % statusCycle.length] ?? "assigned";
  return {
    measureNumber: r.measureNumber,
    department: r.department,
    status,
    lateness: status === "signed_off" ? "none" : (latenessCycle[i % latenessCycle.length] ?? "none"),
    dueDate: i % 4 === 0 ? "ongoing" : "2021-06-30",
  };
});

/** Measure (1) fully signed off and closed; (2) fully signed off, so countersigned. */
export const statusInput: MatrixInput = {
  ...defaultInput,
  assignments: overlay.map((a) =>
    a.measureNumber === 1 || a.measureNumber === 2 ? { ...a, status: "signed_off" as const, lateness: "none" as const } : a,
  ),
  closedMeasures: [1],
};

/** The progress report of the status overlay: every status and lateness level appears, with days late to print. */
export const progressReport: ProgressReport = buildProgressReport({
  plan: defaultPlan,
  departments,
  responsibilities,
  assignments: (statusInput.assignments ?? []).map((a, i) => ({
    ...a,
    role: responsibilities[i]?.role ?? "supporting",
    daysLate: a.lateness === "long_overdue" ? 45 : a.lateness === "overdue" ? 5 : 0,
  })),
  closedMeasures: statusInput.closedMeasures ?? [],
});
