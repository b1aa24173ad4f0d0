/**
 * Every word the exports print, in both languages, in one table so that a term is changed in one place and the two
 * languages cannot drift apart. Terms follow the glossary (docs: domain.md) and the web client's i18n files, so the
 * same state reads the same on screen and on paper.
 */
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

const chineseDigits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"] as const;

/** 1 → 一, 10 → 十, 12 → 十二, 25 → 二十五 (up to 99), as the Chinese original numbers sections and measures. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const digit = (d: number): string => chineseDigits[d] ?? String(d);
  if (tens === 0) return digit(ones);
  return `${tens === 1 ? "" : digit(tens)}十${ones === 0 ? "" : digit(ones)}`;
}

export const labels: Record<Language, ExportLabels> = {
  zh: {
    roleMark: { lead: "牵头", supporting: "参与" },
    roleName: { lead: "牵头单位", supporting: "参与单位" },
    status: {
      assigned: "待签收",
      accepted: "已签收",
      declined: "已拒收",
      in_progress: "办理中",
      signed_off: "已完成签认",
      withdrawn: "已撤销",
    },
    measureStatus: {
      not_started: "未启动",
      in_progress: "办理中",
      awaiting_lead: "待牵头单位签认",
      countersigned: "已会签",
      closed: "已办结",
    },
    lateness: { none: "按期", due_soon: "即将到期", overdue: "已逾期", long_overdue: "严重逾期" },
    matrixTitle: "责任分工矩阵",
    divisionTitle: "任务分工表",
    progressTitle: "落实进展情况",
    responsibilitiesOf: (department) => `${department}责任清单`,
    measureNo: "序号",
    measure: "重点任务",
    section: "部分",
    role: "职责",
    statusHeading: "办理状态",
    measureStatusHeading: "措施状态",
    legend: "图例：牵头 = 牵头单位；参与 = 参与单位；空白 = 不承担。",
    legendStatus: "单元格注明办理状态；逾期以文字标注（即将到期 / 已逾期 / 严重逾期），底色仅作辅助。",
    totalLead: "牵头合计",
    totalSupporting: "参与合计",
    asOf: (date) => `截至${date}（北京时间）日终`,
    generatedOn: (date) => `导出日期：${date}`,
    listSeparator: "、",
    sheetMatrix: "责任分工矩阵",
    sheetDivision: "任务分工表",
    sheetSummary: "总体情况",
    sheetBySection: "分部分统计",
    sheetByDepartment: "分单位统计",
    sheetOverdue: "逾期事项",
    department: "单位",
    assignments: "交办任务数",
    acknowledged: "已签收",
    signedOff: "已完成签认",
    overdue: "已逾期",
    measures: "措施数",
    countersigned: "已会签",
    closed: "已办结",
    dueDate: "完成时限",
    daysLate: "逾期天数",
    overdueItems: "逾期事项清单",
    noOverdue: "无逾期事项。",
    total: "合计",
    countersignedNote: "已会签：所有责任单位均已完成签认（含已办结）。",
    acknowledgedNote: "已签收：已签收、办理中或已完成签认的交办任务（不含已撤销）。",
    lead: "牵头单位",
    supporting: "参与单位",
    sectionHeading: (_numeral, number, title) => `${chineseNumeral(number)}、${title}`,
    measureNumber: (n) => `（${chineseNumeral(n)}）`,
    textCut: "（原文不完整）",
  },
  en: {
    roleMark: { lead: "Lead", supporting: "Supporting" },
    roleName: { lead: "Lead", supporting: "Supporting" },
    status: {
      assigned: "To acknowledge",
      accepted: "Accepted",
      declined: "Declined",
      in_progress: "In progress",
      signed_off: "Signed off",
      withdrawn: "Withdrawn",
    },
    measureStatus: {
      not_started: "Not started",
      in_progress: "In progress",
      awaiting_lead: "Awaiting the lead's sign-off",
      countersigned: "Countersigned",
      closed: "Closed",
    },
    lateness: { none: "On time", due_soon: "Due soon", overdue: "Overdue", long_overdue: "Long overdue" },
    matrixTitle: "Responsibility matrix",
    divisionTitle: "Task-division table",
    progressTitle: "Progress report",
    responsibilitiesOf: (department) => `Responsibilities of ${department}`,
    measureNo: "No.",
    measure: "Measure",
    section: "Section",
    role: "Role",
    statusHeading: "Status",
    measureStatusHeading: "Measure status",
    legend: "Legend: Lead = lead department; Supporting = supporting department; blank = no part.",
    legendStatus: "Each cell names its status; lateness is written out (Due soon / Overdue / Long overdue), the fill only helps.",
    totalLead: "Total lead",
    totalSupporting: "Total supporting",
    asOf: (date) => `As of the end of ${date} (Beijing time)`,
    generatedOn: (date) => `Exported on ${date}`,
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
    signedOff: "Signed off",
    overdue: "Overdue",
    measures: "Measures",
    countersigned: "Countersigned",
    closed: "Closed",
    dueDate: "Deadline",
    daysLate: "Days late",
    overdueItems: "Overdue items",
    noOverdue: "No overdue items.",
    total: "Total",
    countersignedNote: "Countersigned: every responsible department has signed off (closed measures included).",
    acknowledgedNote: "Acknowledged: assignments accepted, in progress or signed off (withdrawn ones not counted).",
    lead: "Lead",
    supporting: "Supporting",
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
