/**
 * The progress report (落实进展情况): per section and per department, how many assignments are acknowledged, signed
 * off and overdue; the measures countersigned and closed; the overdue items with their days late.
 *
 * Pure: measure states come from the domain's matrix builder (so they cannot differ from the matrix), the rest is
 * counting.
 */
import { buildResponsibilityMatrix } from "./matrix.js";
import type { MatrixColumn } from "./matrix.js";
import type {
  AssignmentStatus,
  Department,
  DepartmentCode,
  DueDate,
  Lateness,
  PlanDocument,
  Responsibility,
  Role,
  Section,
} from "./types.js";

/** One assignment as the report needs it. */
export interface ProgressAssignment {
  measureNumber: number;
  department: DepartmentCode;
  role: Role;
  status: AssignmentStatus;
  lateness: Lateness;
  /** Days past the due date (0 when not late). */
  daysLate: number;
  dueDate: DueDate;
}

export interface ProgressInput {
  plan: Pick<PlanDocument, "sections" | "measures" | "departments">;
  departments: readonly Department[];
  responsibilities: readonly Responsibility[];
  assignments: readonly ProgressAssignment[];
  closedMeasures: readonly number[];
  /**
   * Count only this department's assignments (a department's own report): the counts, the department rows and the
   * overdue items are its own, while measure states still come from every department's assignments.
   */
  countOnly?: DepartmentCode;
}

export interface ProgressCounts {
  /** Live assignments (withdrawn ones are not counted anywhere). */
  assignments: number;
  /** Accepted, in progress or signed off (签收 and after). */
  acknowledged: number;
  signedOff: number;
  /** Overdue or long overdue. */
  overdue: number;
}

export interface SectionProgress extends ProgressCounts {
  section: Section;
  measures: number;
  /** Every responsible department signed off, closed measures included. */
  countersigned: number;
  closed: number;
}

export interface DepartmentProgress extends ProgressCounts {
  department: MatrixColumn;
  lead: number;
  supporting: number;
}

export interface OverdueItem {
  measureNumber: number;
  measureTitle: string;
  sectionNumber: number;
  department: MatrixColumn;
  role: Role;
  status: AssignmentStatus;
  lateness: Lateness;
  dueDate: DueDate;
  daysLate: number;
}

export interface ProgressReport {
  totals: ProgressCounts & { measures: number; countersigned: number; closed: number };
  sections: SectionProgress[];
  departments: DepartmentProgress[];
  /** Most days late first, then by measure and order of signature. */
  overdue: OverdueItem[];
}

const acknowledgedStatuses: ReadonlySet<AssignmentStatus> = new Set(["accepted", "in_progress", "signed_off"]);
const isOverdue = (l: Lateness): boolean => l === "overdue" || l === "long_overdue";

function emptyCounts(): ProgressCounts {
  return { assignments: 0, acknowledged: 0, signedOff: 0, overdue: 0 };
}

function count(into: ProgressCounts, a: ProgressAssignment): void {
  into.assignments += 1;
  if (acknowledgedStatuses.has(a.status)) into.acknowledged += 1;
  if (a.status === "signed_off") into.signedOff += 1;
  if (isOverdue(a.lateness)) into.overdue += 1;
}

export function buildProgressReport(input: ProgressInput): ProgressReport {
  const matrix = buildResponsibilityMatrix({
    plan: input.plan,
    departments: input.departments,
    responsibilities: input.responsibilities,
    assignments: input.assignments,
    closedMeasures: input.closedMeasures,
  });
  const live = input.assignments.filter(
    (a) => a.status !== "withdrawn" && (input.countOnly === undefined || a.department === input.countOnly),
  );
  const sectionOf = new Map(input.plan.measures.map((m) => [m.number, m.section]));
  const measureOf = new Map(input.plan.measures.map((m) => [m.number, m]));
  const columnOf = new Map(matrix.columns.map((c) => [c.code, c]));
  const columnIndex = new Map(matrix.columns.map((c, i) => [c.code, i]));

  const totals = { ...emptyCounts(), measures: 0, countersigned: 0, closed: 0 };
  const sections = matrix.groups.map((group): SectionProgress => {
    const progress: SectionProgress = { section: group.section, measures: 0, countersigned: 0, closed: 0, ...emptyCounts() };
    for (const row of group.rows) {
      progress.measures += 1;
      if (row.measureStatus === "countersigned" || row.measureStatus === "closed") progress.countersigned += 1;
      if (row.measureStatus === "closed") progress.closed += 1;
    }
    return progress;
  });
  const sectionProgress = new Map(sections.map((s) => [s.section.number, s]));
  const departments = matrix.columns
    .map((column, i): DepartmentProgress => {
      const t = matrix.totals[i];
      return { department: column, lead: t?.lead ?? 0, supporting: t?.supporting ?? 0, ...emptyCounts() };
    })
    .filter((d) => input.countOnly === undefined || d.department.code === input.countOnly);
  const departmentProgress = new Map(departments.map((d) => [d.department.code, d]));

  for (const a of live) {
    count(totals, a);
    const s = sectionProgress.get(sectionOf.get(a.measureNumber) ?? -1);
    if (s) count(s, a);
    const d = departmentProgress.get(a.department);
    if (d) count(d, a);
  }
  for (const s of sections) {
    totals.measures += s.measures;
    totals.countersigned += s.countersigned;
    totals.closed += s.closed;
  }

  const overdue = live
    .filter((a) => isOverdue(a.lateness))
    .map((a): OverdueItem => {
      const measure = measureOf.get(a.measureNumber);
      return {
        measureNumber: a.measureNumber,
        measureTitle: measure?.title ?? "",
        sectionNumber: measure?.section ?? 0,
        department: columnOf.get(a.department) ?? {
          code: a.department,
          nameEn: a.department,
          nameZh: a.department,
          shortEn: a.department,
          shortZh: a.department,
        },
        role: a.role,
        status: a.status,
        lateness: a.lateness,
        dueDate: a.dueDate,
        daysLate: a.daysLate,
      };
    })
    .sort(
      (x, y) =>
        y.daysLate - x.daysLate ||
        x.measureNumber - y.measureNumber ||
        (columnIndex.get(x.department.code) ?? 0) - (columnIndex.get(y.department.code) ?? 0),
    );

  return { totals, sections, departments, overdue };
}
