/**
 * The responsibility matrix (责任分工矩阵) and the task-division table (任务分工表), built once here and rendered
 * by the web page and every export (XLSX, CSV, PDF), so that no two renderings can disagree.
 */
import { glossary } from "./glossary.js";
import { deriveMeasureStatus } from "./measure-status.js";
import type {
  AssignmentStatus,
  Department,
  DepartmentCode,
  DueDate,
  Lateness,
  Measure,
  MeasureStatus,
  PlanDocument,
  Responsibility,
  Role,
  Section,
} from "./types.js";

export type Language = "zh" | "en";

/** One assignment's state, to overlay on the matrix. */
export interface AssignmentOverlay {
  measureNumber: number;
  department: DepartmentCode;
  status: AssignmentStatus;
  lateness: Lateness;
  dueDate: DueDate;
}

export interface MatrixInput {
  plan: Pick<PlanDocument, "sections" | "measures" | "departments">;
  /** Known departments, for names; a column whose code is unknown is named by its code. */
  departments: readonly Department[];
  responsibilities: readonly Responsibility[];
  /** Present → the matrix shows status; absent → responsibilities only. */
  assignments?: readonly AssignmentOverlay[];
  /** Measures the lead ministry has closed (办结). */
  closedMeasures?: readonly number[];
}

export interface MatrixColumn {
  code: DepartmentCode;
  nameEn: string;
  nameZh: string;
  shortEn: string;
  shortZh: string;
}

export interface MatrixCell {
  department: DepartmentCode;
  role: Role | null;
  /** Null when the matrix has no status overlay or the department holds no assignment here. */
  status: AssignmentStatus | null;
  lateness: Lateness | null;
}

export interface MatrixRow {
  measure: Pick<Measure, "number" | "section" | "title" | "textCut">;
  lead: DepartmentCode | null;
  supporting: DepartmentCode[];
  /** One cell per column, in column order. */
  cells: MatrixCell[];
  /** Null without the status overlay. */
  measureStatus: MeasureStatus | null;
}

export interface MatrixGroup {
  section: Section;
  rows: MatrixRow[];
}

export interface MatrixTotals {
  department: DepartmentCode;
  lead: number;
  supporting: number;
}

export interface ResponsibilityMatrix {
  withStatus: boolean;
  columns: MatrixColumn[];
  groups: MatrixGroup[];
  /** Per column, in column order. */
  totals: MatrixTotals[];
}

function columnFor(code: DepartmentCode, known: ReadonlyMap<DepartmentCode, Department>): MatrixColumn {
  const d = known.get(code);
  if (!d) return { code, nameEn: code, nameZh: code, shortEn: code, shortZh: code };
  return { code, nameEn: d.nameEn, nameZh: d.nameZh, shortEn: d.shortEn, shortZh: d.shortZh };
}

const key = (measureNumber: number, department: DepartmentCode): string => `${measureNumber}\u0000${department}`;

export function buildResponsibilityMatrix(input: MatrixInput): ResponsibilityMatrix {
  const known = new Map(input.departments.map((d) => [d.code, d]));
  // Columns in the plan's order of signature; a department given work outside the plan's list (after a
  // reassignment, say) still gets a column rather than vanishing from the matrix.
  const codes: DepartmentCode[] = [...input.plan.departments];
  for (const r of input.responsibilities) if (!codes.includes(r.department)) codes.push(r.department);
  const columns = codes.map((c) => columnFor(c, known));

  const roleOf = new Map<string, Role>();
  for (const r of input.responsibilities) roleOf.set(key(r.measureNumber, r.department), r.role);
  const overlay = new Map<string, AssignmentOverlay>();
  for (const a of input.assignments ?? []) {
    // A withdrawn assignment loses to a live one for the same cell (the same department may be re-engaged).
    const existing = overlay.get(key(a.measureNumber, a.department));
    if (!existing || existing.status === "withdrawn") overlay.set(key(a.measureNumber, a.department), a);
  }
  const closed = new Set(input.closedMeasures ?? []);
  const withStatus = input.assignments !== undefined;

  const totals = new Map<DepartmentCode, MatrixTotals>(codes.map((c) => [c, { department: c, lead: 0, supporting: 0 }]));
  const groups: MatrixGroup[] = [...input.plan.sections]
    .sort((a, b) => a.number - b.number)
    .map((section) => ({
      section,
      rows: input.plan.measures
        .filter((m) => m.section === section.number)
        .sort((a, b) => a.number - b.number)
        .map((m): MatrixRow => {
          const cells = codes.map((department): MatrixCell => {
            const role = roleOf.get(key(m.number, department)) ?? null;
            const o = withStatus ? overlay.get(key(m.number, department)) : undefined;
            const t = totals.get(department);
            if (t && role) t[role] += 1;
            return { department, role, status: o?.status ?? null, lateness: o?.lateness ?? null };
          });
          const measureAssignments = withStatus
            ? cells.flatMap((c) => (c.role && c.status ? [{ role: c.role, status: c.status }] : []))
            : [];
          return {
            measure: { number: m.number, section: m.section, title: m.title, textCut: m.textCut },
            lead: cells.find((c) => c.role === "lead")?.department ?? null,
            supporting: cells.filter((c) => c.role === "supporting").map((c) => c.department),
            cells,
            measureStatus: withStatus ? deriveMeasureStatus(measureAssignments, closed.has(m.number)) : null,
          };
        }),
    }));

  return { withStatus, columns, groups, totals: codes.map((c) => totals.get(c) ?? { department: c, lead: 0, supporting: 0 }) };
}

/** One row of the Chinese task-division table: 序号 | 重点任务 | 牵头单位 | 参与单位 | 完成时限. */
export interface DivisionRow {
  /** 序号: running number, 1-based. */
  no: number;
  measureNumber: number;
  sectionNumber: number;
  /** 重点任务 */
  task: string;
  /** 牵头单位, the short name in the chosen language ("" when no lead is set yet). */
  lead: string;
  /** 参与单位, short names in order of signature. */
  supporting: string[];
  /** 完成时限, in words: a date, or "ongoing" (持续推进). */
  deadline: string;
}

const headingsIn = (lang: Language, no: string, task: string): readonly [string, string, string, string, string] => {
  const g = glossary[lang];
  return [no, task, g.role.lead, g.role.supporting, g.term.deadline];
};

export const divisionTableHeadings: Record<Language, readonly [string, string, string, string, string]> = {
  zh: headingsIn("zh", "序号", "重点任务"),
  en: headingsIn("en", "No.", "Task"),
};

/** 完成时限 as it is written in each language. */
export function formatDeadline(due: DueDate | null, lang: Language): string {
  if (due === null) return "";
  if (due === "ongoing") return glossary[lang].term.ongoing;
  const [y, m, d] = due.split("-").map(Number);
  return lang === "zh" ? `${y}年${m}月${d}日前` : `By ${due}`;
}

export function columnName(column: MatrixColumn, lang: Language): string {
  return lang === "zh" ? column.shortZh : column.shortEn;
}

/**
 * The task-division table from the matrix, so both always agree. The deadline of a measure is its lead's due date
 * (the lead consolidates, 牵头汇总), else the earliest of its assignments', else blank.
 */
export function buildDivisionTable(
  matrix: ResponsibilityMatrix,
  lang: Language,
  dueDates: ReadonlyMap<number, DueDate> = new Map(),
): DivisionRow[] {
  const columns = new Map(matrix.columns.map((c) => [c.code, c]));
  const nameOf = (code: DepartmentCode): string => {
    const c = columns.get(code);
    return c ? columnName(c, lang) : code;
  };
  return matrix.groups
    .flatMap((g) => g.rows)
    .map((row, i) => ({
      no: i + 1,
      measureNumber: row.measure.number,
      sectionNumber: row.measure.section,
      task: row.measure.title,
      lead: row.lead ? nameOf(row.lead) : "",
      supporting: row.supporting.map(nameOf),
      deadline: formatDeadline(dueDates.get(row.measure.number) ?? null, lang),
    }));
}

/** A measure's deadline for the division table: the lead's due date, else the earliest of the others. */
export function measureDueDates(
  assignments: readonly AssignmentOverlay[],
  responsibilities: readonly Responsibility[],
): Map<number, DueDate> {
  const leadOf = new Map(responsibilities.filter((r) => r.role === "lead").map((r) => [r.measureNumber, r.department]));
  const live = assignments.filter((a) => a.status !== "withdrawn");
  const result = new Map<number, DueDate>();
  for (const a of live) if (leadOf.get(a.measureNumber) === a.department) result.set(a.measureNumber, a.dueDate);
  const earliest = new Map<number, DueDate>();
  for (const a of live) {
    if (result.has(a.measureNumber)) continue;
    const current = earliest.get(a.measureNumber);
    // A date beats "ongoing"; of two dates, the earlier.
    if (current === undefined || current === "ongoing" || (a.dueDate !== "ongoing" && a.dueDate < current)) {
      earliest.set(a.measureNumber, a.dueDate);
    }
  }
  for (const [m, d] of earliest) result.set(m, d);
  return result;
}
