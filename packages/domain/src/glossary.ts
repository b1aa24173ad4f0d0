/**
 * The glossary for the two languages (domain reference, "A glossary for the two languages"): one term per concept,
 * everywhere. The web client builds its i18n resources from it and the exports print it, so a state reads the same
 * on screen and on paper, and a term is changed here or nowhere.
 */
import { assignmentActions, assignmentActionTypes } from "./actions.js";
import type { Language } from "./matrix.js";
import type { ActorRole, AssignmentActionType, AssignmentStatus, DepartmentRole, Lateness, MeasureStatus, Role } from "./types.js";

/** The actions' names in one language, from the action registry (actions.ts), where each action is defined once. */
function actionLabels(language: Language): Record<AssignmentActionType, string> {
  const labels = {} as Record<AssignmentActionType, string>;
  for (const type of assignmentActionTypes) labels[type] = assignmentActions[type].label[language];
  return labels;
}

export interface GlossaryTerms {
  assignmentStatus: Record<AssignmentStatus, string>;
  measureStatus: Record<MeasureStatus, string>;
  /** The role spelled out: 牵头单位 / 参与单位. */
  role: Record<Role, string>;
  /** The role as marked in a matrix cell (任务分工表, 责任分工矩阵): 牵头 / 参与. */
  roleMark: Record<Role, string>;
  lateness: Record<Lateness, string>;
  actorRole: Record<ActorRole, string>;
  /** What a person does to an assignment, as a button or a line of its history says it. */
  action: Record<AssignmentActionType, string>;
  /** A department account's part in its department: 联络员 / 承办人 / 部门领导. */
  departmentRole: Record<DepartmentRole, string>;
  /** Concepts named on screens and on paper alike. */
  term: {
    plan: string;
    inbox: string;
    deadline: string;
    /** A deadline that is no date (持续推进). */
    ongoing: string;
    responsibilityMatrix: string;
    taskDivisionTable: string;
  };
}

export const glossary: Record<Language, GlossaryTerms> = {
  zh: {
    assignmentStatus: {
      assigned: "待签收",
      accepted: "已签收",
      declined: "已申请调整",
      in_progress: "办理中",
      signed_off: "已报结",
      withdrawn: "已撤销",
    },
    measureStatus: {
      not_started: "未启动",
      in_progress: "办理中",
      awaiting_lead: "待牵头汇总报结",
      countersigned: "已全部报结",
      closed: "已办结",
    },
    role: { lead: "牵头单位", supporting: "参与单位" },
    roleMark: { lead: "牵头", supporting: "参与" },
    lateness: { none: "按期", due_soon: "即将到期", overdue: "已逾期", long_overdue: "严重逾期" },
    actorRole: { coordinator: "牵头协调", liaison: "联络员", observer: "观察员", admin: "管理员" },
    action: actionLabels("zh"),
    departmentRole: { liaison: "联络员", handler: "承办人", leader: "部门领导" },
    term: {
      plan: "分工方案",
      inbox: "待办事项",
      deadline: "完成时限",
      ongoing: "持续推进",
      responsibilityMatrix: "责任分工矩阵",
      taskDivisionTable: "任务分工表",
    },
  },
  en: {
    assignmentStatus: {
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
      countersigned: "All signed off",
      closed: "Closed",
    },
    role: { lead: "Lead", supporting: "Supporting" },
    roleMark: { lead: "Lead", supporting: "Supporting" },
    lateness: { none: "On time", due_soon: "Due soon", overdue: "Overdue", long_overdue: "Long overdue" },
    actorRole: { coordinator: "Coordinator", liaison: "Liaison", observer: "Observer", admin: "Administrator" },
    action: actionLabels("en"),
    departmentRole: { liaison: "Liaison", handler: "Handler", leader: "Department leader" },
    term: {
      plan: "Plan",
      inbox: "Inbox",
      deadline: "Deadline",
      ongoing: "Ongoing",
      responsibilityMatrix: "Responsibility matrix",
      taskDivisionTable: "Task-division table",
    },
  },
};

/**
 * Words no screen, export or document uses any more, each with the term that replaced it (domain reference,
 * corrected after a review in Chinese). Tests check the UI strings and export labels against this list.
 */
export const retiredTerms: Readonly<Record<Language, ReadonlyArray<{ word: string; use: string }>>> = {
  zh: [
    { word: "会签", use: "已全部报结 (会签 is co-signing a draft before issue)" },
    { word: "完成签认", use: "报结" },
    { word: "签认", use: "报结" },
    { word: "拒收", use: "申请调整 (拒收 reads as hostile)" },
    { word: "工作方案", use: "分工方案 (a 工作方案 is another kind of document)" },
    { word: "措施原文", use: "英文译本 or 中文原文, as the text is" },
  ],
  en: [{ word: "Countersigned", use: "All signed off" }],
};
