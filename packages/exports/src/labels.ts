/**
 * Every word the exports print, in both languages, in one table so that the two languages cannot drift apart. The
 * names of states, roles, lateness and the glossary's concepts are read from the domain's glossary, which the web
 * client's i18n resources read too, so the same state reads the same on screen and on paper.
 */
import { chineseNumeral, formatPlanDate, glossary } from "@countersign/domain";
import type { AssignmentStatus, Language, Lateness, MeasureStatus, Role } from "@countersign/domain";

export interface ExportLabels {
  /** The short mark printed in a matrix cell. */
  roleMark: Record<Role, string>;
  /** The role spelled out (legend, department sheets). */
  roleName: Record<Role, string>;
  status: Record<AssignmentStatus, string>;
  measureStatus: Record<MeasureStatus, string>;
  lateness: Record<Lateness, string>;
  matrixTitle: string;
  divisionTitle: string;
  progressTitle: string;
  responsibilitiesOf: (department: string) => string;
  measureNo: string;
  measure: string;
  section: string;
  role: string;
  statusHeading: string;
  measureStatusHeading: string;
  legend: string;
  legendStatus: string;
  totalLead: string;
  totalSupporting: string;
  asOf: (date: string) => string;
  generatedOn: (date: string) => string;
  /** Joins names within one cell (参与单位). */
  listSeparator: string;
  /** Sheet names. */
  sheetMatrix: string;
  sheetDivision: string;
  sheetSummary: string;
  sheetBySection: string;
  sheetByDepartment: string;
  sheetOverdue: string;
  department: string;
  assignments: string;
  acknowledged: string;
  signedOff: string;
  overdue: string;
  measures: string;
  countersigned: string;
  closed: string;
  dueDate: string;
  daysLate: string;
  overdueItems: string;
  noOverdue: string;
  total: string;
  countersignedNote: string;
  acknowledgedNote: string;
  lead: string;
  supporting: string;
  /** A section heading as printed: "一、…" / "I. …". */
  sectionHeading: (numeral: string, number: number, title: string) => string;
  /** A measure number as printed: "（一）" / "(1)". */
  measureNumber: (n: number) => string;
  textCut: string;
}

const zh = glossary.zh;
const en = glossary.en;

export const labels: Record<Language, ExportLabels> = {
  zh: {
    roleMark: zh.roleMark,
    roleName: zh.role,
    status: zh.assignmentStatus,
    measureStatus: zh.measureStatus,
    lateness: zh.lateness,
    matrixTitle: zh.term.responsibilityMatrix,
    divisionTitle: zh.term.taskDivisionTable,
    progressTitle: "落实进展情况",
    responsibilitiesOf: (department) => `${department}责任清单`,
    measureNo: "序号",
    measure: "重点任务",
    section: "部分",
    role: "职责",
    statusHeading: "办理状态",
    measureStatusHeading: "措施状态",
    legend: `图例：${zh.roleMark.lead} = ${zh.role.lead}；${zh.roleMark.supporting} = ${zh.role.supporting}；空白 = 不承担。`,
    legendStatus: `单元格注明办理状态；逾期以文字标注（${zh.lateness.due_soon} / ${zh.lateness.overdue} / ${zh.lateness.long_overdue}），底色仅作辅助。`,
    totalLead: "牵头合计",
    totalSupporting: "参与合计",
    asOf: (date) => `截至${date}（北京时间）日终`,
    generatedOn: (date) => `导出日期：${formatPlanDate(date, "zh")}`,
    listSeparator: "、",
    sheetMatrix: zh.term.responsibilityMatrix,
    sheetDivision: zh.term.taskDivisionTable,
    sheetSummary: "总体情况",
    sheetBySection: "分部分统计",
    sheetByDepartment: "分单位统计",
    sheetOverdue: "逾期事项",
    department: "单位",
    assignments: "交办任务数",
    acknowledged: "已签收",
    signedOff: zh.assignmentStatus.signed_off,
    overdue: zh.lateness.overdue,
    measures: "措施数",
    countersigned: zh.measureStatus.countersigned,
    closed: zh.measureStatus.closed,
    dueDate: zh.term.deadline,
    daysLate: "逾期天数",
    overdueItems: "逾期事项清单",
    noOverdue: "无逾期事项。",
    total: "合计",
    countersignedNote: "已全部报结：所有责任单位均已报结（含已办结）。",
    acknowledgedNote: "已签收：已签收、办理中或已报结的交办任务（不含已撤销）。",
    lead: zh.role.lead,
    supporting: zh.role.supporting,
    sectionHeading: (_numeral, number, title) => `${chineseNumeral(number)}、${title}`,
    measureNumber: (n) => `（${chineseNumeral(n)}）`,
    textCut: "（文本不完整）",
  },
  en: {
    roleMark: en.roleMark,
    roleName: en.role,
    status: en.assignmentStatus,
    measureStatus: en.measureStatus,
    lateness: en.lateness,
    matrixTitle: en.term.responsibilityMatrix,
    divisionTitle: en.term.taskDivisionTable,
    progressTitle: "Progress report",
    responsibilitiesOf: (department) => `Responsibilities of ${department}`,
    measureNo: "No.",
    measure: "Measure",
    section: "Section",
    role: "Role",
    statusHeading: "Status",
    measureStatusHeading: "Measure status",
    legend: `Legend: ${en.roleMark.lead} = lead department; ${en.roleMark.supporting} = supporting department; blank = no part.`,
    legendStatus: `Each cell names its status; lateness is written out (${en.lateness.due_soon} / ${en.lateness.overdue} / ${en.lateness.long_overdue}), the fill only helps.`,
    totalLead: "Total lead",
    totalSupporting: "Total supporting",
    asOf: (date) => `As of the end of ${date} (Beijing time)`,
    generatedOn: (date) => `Exported on ${formatPlanDate(date, "en")}`,
    listSeparator: ", ",
    sheetMatrix: "Matrix",
    sheetDivision: "Task division",
    sheetSummary: "Summary",
    sheetBySection: "By section",
    sheetByDepartment: "By department",
    sheetOverdue: "Overdue",
    department: "Department",
    assignments: "Assignments",
    acknowledged: "Acknowledged",
    signedOff: en.assignmentStatus.signed_off,
    overdue: en.lateness.overdue,
    measures: "Measures",
    countersigned: en.measureStatus.countersigned,
    closed: en.measureStatus.closed,
    dueDate: en.term.deadline,
    daysLate: "Days late",
    overdueItems: "Overdue items",
    noOverdue: "No overdue items.",
    total: "Total",
    countersignedNote: "All signed off: every responsible department has signed off (closed measures included).",
    acknowledgedNote: "Acknowledged: assignments accepted, in progress or signed off (withdrawn ones not counted).",
    lead: en.role.lead,
    supporting: en.role.supporting,
    sectionHeading: (numeral, _number, title) => `${numeral}. ${title}`,
    measureNumber: (n) => `(${n})`,
    textCut: " (text cut short in the source)",
  },
};

/** The text of one matrix cell: the role mark, then with status the state and any lateness, e.g. "牵头\n办理中（已逾期）". */
export function matrixCellText(
  cell: { role: Role | null; status: AssignmentStatus | null; lateness: Lateness | null },
  lang: Language,
  withStatus: boolean,
): string {
  if (cell.role === null) return "";
  const l = labels[lang];
  const mark = l.roleMark[cell.role];
  if (!withStatus || cell.status === null) return mark;
  return `${mark}\n${statusText(cell.status, cell.lateness, lang)}`;
}

/** A state with its lateness spelled out, so that lateness never rests on colour alone. */
export function statusText(status: AssignmentStatus, lateness: Lateness | null, lang: Language): string {
  const l = labels[lang];
  const state = l.status[status];
  if (lateness === null || lateness === "none") return state;
  return lang === "zh" ? `${state}（${l.lateness[lateness]}）` : `${state} (${l.lateness[lateness]})`;
}
