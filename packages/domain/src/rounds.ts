/**
 * Reporting rounds (定期调度): the lead ministry opens a round ("fourth-quarter progress, due 10 January"); every
 * department with open work in the round's scope submits one structured report per assignment (进展情况 / 存在问题 /
 * 下一步计划); the coordinator chases, returns and compiles. Source: issue 14, point 2.
 *
 * Every rule of a round lives here, as pure functions: which assignments a round asks about, who may write a report,
 * the states of a report and the moves between them, lateness, the round's statistics and the dates of the next
 * round when a round repeats. Dates are calendar days in Beijing time, as every deadline of the plan (dates.ts).
 */
import { daysBetween, endOfPlanDay, isIsoDate, planCalendarDate } from "./dates.js";
import { departmentRoleOf } from "./department-roles.js";
import type { Actor, AssignmentStatus, DepartmentCode, Role } from "./types.js";

/** A round is open (reports are written) or closed (nothing changes any more). */
export const roundStatuses = ["open", "closed"] as const;
export type RoundStatus = (typeof roundStatuses)[number];

/** How a round repeats: the next round's period and due date move on by one month or three. */
export const roundRecurrences = ["none", "monthly", "quarterly"] as const;
export type RoundRecurrence = (typeof roundRecurrences)[number];

/**
 * The states of one department's report on one assignment in a round:
 * - `not_reported`: nothing written yet;
 * - `draft`: saved, not submitted (the coordinator does not see its text);
 * - `submitted`: submitted; revisable by the department until the due date;
 * - `returned`: the coordinator sent it back with a reason (退回); the department submits again;
 * - `awaiting_approval`: where the department requires its leader's approval (issue 15, point 2), submitted by its
 *   liaison or a handler and waiting for the leader (待领导审核); not yet submitted to the lead ministry;
 * - `returned_by_leader`: the leader sent it back inside the department with a reason; written and submitted again.
 * The last two, like `draft`, are the department's own: the lead ministry sees neither their text nor their files.
 */
export const roundReportStatuses = ["not_reported", "draft", "submitted", "returned", "awaiting_approval", "returned_by_leader"] as const;
export type RoundReportStatus = (typeof roundReportStatuses)[number];

/** The three headings of a report, in order. */
export const roundReportHeadings = ["progress", "problems", "nextSteps"] as const;
export type RoundReportHeading = (typeof roundReportHeadings)[number];

/** Longest text per heading, in characters: a page of Chinese text is ~800; a report is a few pages at most. */
export const maxRoundReportHeadingLength = 10_000;

/** The days before a round's due date (the due date included) when it counts as due soon and reminders go out. */
export const roundDueSoonDays = 3;

export interface RoundReportText {
  progress: string;
  problems: string;
  nextSteps: string;
}

export interface RoundReportState extends RoundReportText {
  status: RoundReportStatus;
  department: DepartmentCode;
  /** UTC ISO time of the latest submission; null before the first. */
  submittedAt: string | null;
}

export interface RoundContext {
  status: RoundStatus;
  /** YYYY-MM-DD, Beijing calendar day: reports submitted on that day are on time. */
  dueDate: string;
  /** The report's department requires its leader's approval before a report goes out (its setting; absent = no). */
  leaderApproval?: boolean | undefined;
}

export type RoundReportAction =
  | ({ type: "saveDraft" } & RoundReportText)
  | ({ type: "submit" } & RoundReportText)
  | { type: "approve" }
  | { type: "reject"; reason: string }
  | { type: "return"; reason: string }
  | { type: "remind"; message: string };
export type RoundReportActionType = RoundReportAction["type"];
export const roundReportActionTypes = ["saveDraft", "submit", "approve", "reject", "return", "remind"] as const satisfies readonly RoundReportActionType[];

/** The audit event each accepted action records (names are stored and hashed: never rename one). */
export const roundReportEventOf = {
  saveDraft: "round_report.draft_saved",
  submit: "round_report.submitted",
  approve: "round_report.approved",
  reject: "round_report.rejected",
  return: "round_report.returned",
  remind: "round_report.reminded",
} as const satisfies Record<RoundReportActionType, string>;
/** A submission where the department requires its leader's approval: it waits for the leader (stored and hashed). */
export const roundReportApprovalRequested = "round_report.approval_requested";
export type RoundReportEventType = (typeof roundReportEventOf)[RoundReportActionType] | typeof roundReportApprovalRequested;

/** The statuses whose text and files are the department's own (the lead ministry sees that a report exists, no more). */
export const departmentOnlyRoundReportStatuses = ["draft", "awaiting_approval", "returned_by_leader"] as const satisfies readonly RoundReportStatus[];

/** Whether a report in `status` is still the department's own (not submitted to the lead ministry). */
export function isDepartmentOnlyRoundReport(status: RoundReportStatus): boolean {
  return (departmentOnlyRoundReportStatuses as readonly RoundReportStatus[]).includes(status);
}

export type RoundRefusalCode =
  | "round_closed" // the round no longer takes reports or changes
  | "wrong_role" // the action belongs to the other role
  | "not_your_department" // a liaison acting on another department's report
  | "invalid_state" // the report's state does not allow the action
  | "approval_pending" // the report waits for the department leader: they approve or return it first
  | "past_due" // a submitted report can be revised only until the due date
  | "heading_required" // a submission needs text under each of the three headings
  | "reason_required" // a return needs a reason
  | "text_too_long"; // a heading over maxRoundReportHeadingLength

export interface RoundRefusal {
  code: RoundRefusalCode;
  message: string;
  /** The field at fault, when there is one. */
  field?: string;
}

export type RoundReportResult =
  | {
      ok: true;
      next: RoundReportState;
      event: RoundReportEventType;
      /** Whether the submission came after the due date (for `submit` going out, and for `approve`). */
      late: boolean;
    }
  | { ok: false; refusal: RoundRefusal };

/**
 * Whether the actor may read and write the reports of `department`: its own accounts (liaison, handlers, leader; a
 * round report is the department's, not narrowed to a division); the coordinator only reads.
 */
export function mayWriteRoundReport(actor: Actor, department: DepartmentCode): boolean {
  return actor.role === "liaison" && actor.department !== null && actor.department === department;
}

/** Whether the actor may read the report of `department`: its own liaison, and everyone who reads every department. */
export function mayReadRoundReport(actor: Actor, department: DepartmentCode): boolean {
  return actor.role !== "liaison" || (actor.department !== null && actor.department === department);
}

/** Whether the text of a report in `status` is shown to those who read every department (a draft is the department's own). */
export function roundReportTextVisible(actor: Actor, department: DepartmentCode, status: RoundReportStatus): boolean {
  if (!mayReadRoundReport(actor, department)) return false;
  return !isDepartmentOnlyRoundReport(status) || actor.role === "liaison";
}

/** True when `submittedAt` (UTC ISO) falls after the due date's Beijing calendar day. */
export function isLateSubmission(submittedAt: string, dueDate: string): boolean {
  return planCalendarDate(new Date(submittedAt)) > dueDate;
}

/** True once the due date's Beijing calendar day has ended. */
export function isPastDue(dueDate: string, now: Date): boolean {
  return planCalendarDate(now) > dueDate;
}

/** True from `roundDueSoonDays` days before the due date to the due date itself. */
export function isRoundDueSoon(dueDate: string, now: Date): boolean {
  const left = daysBetween(planCalendarDate(now), dueDate);
  return left >= 0 && left < roundDueSoonDays;
}

function refuse(code: RoundRefusalCode, message: string, field?: string): RoundReportResult {
  return { ok: false, refusal: field === undefined ? { code, message } : { code, message, field } };
}

function textRefusal(text: RoundReportText, required: boolean): RoundReportResult | null {
  for (const heading of roundReportHeadings) {
    const value = text[heading];
    if (value.length > maxRoundReportHeadingLength) {
      return refuse("text_too_long", `Write at most ${maxRoundReportHeadingLength} characters under each heading.`, heading);
    }
    if (required && value.trim() === "") {
      return refuse("heading_required", "A report needs text under each heading: progress, problems and next steps (write “none” if there are none).", heading);
    }
  }
  return null;
}

/**
 * One action on one report: the next state and the audit event to record, or a refusal with a stable code.
 *
 * - `saveDraft` (the department's liaison, handler or leader): from not_reported, draft, returned or
 *   returned_by_leader; while the round is open.
 * - `submit` (the same): every heading non-empty. From not_reported, draft, returned or returned_by_leader at any
 *   time while the round is open (after the due date it counts as late); from submitted (a revision) only until the
 *   end of the due date. Where the department requires its leader's approval (`round.leaderApproval`), a liaison's
 *   or handler's submission becomes `awaiting_approval` (event `round_report.approval_requested`, submission time
 *   unchanged); the leader's own goes out at once. Source: issue 15, point 2.
 * - `approve` (the department's leader): a report awaiting approval is submitted, with the time of approval as its
 *   submission time (and so for lateness).
 * - `reject` (the department's leader): with a reason, a report awaiting approval goes back inside the department
 *   (`returned_by_leader`).
 * - `return` (the coordinator): a submitted report, with a reason.
 * - `remind` (the coordinator): a report not submitted (anything but submitted); the state does not change.
 *
 * A report awaiting approval takes no draft or submission (`approval_pending`) until the leader decides.
 */
export function roundReportTransition(
  state: RoundReportState,
  action: RoundReportAction,
  actor: Actor,
  round: RoundContext,
  now: Date,
): RoundReportResult {
  if (round.status !== "open") return refuse("round_closed", "This round is closed; its reports can no longer change.");
  const at = now.toISOString();
  switch (action.type) {
    case "saveDraft":
    case "submit": {
      if (actor.role !== "liaison") return refuse("wrong_role", "Only the department's liaison writes its report.");
      if (!mayWriteRoundReport(actor, state.department)) {
        return refuse("not_your_department", "This report belongs to another department.");
      }
      if (state.status === "awaiting_approval") {
        return refuse("approval_pending", "This report waits for the department leader, who approves it or returns it first.");
      }
      const text = { progress: action.progress, problems: action.problems, nextSteps: action.nextSteps };
      if (action.type === "saveDraft") {
        if (state.status === "submitted") {
          return refuse("invalid_state", "This report is submitted; revise it by submitting again.");
        }
        const bad = textRefusal(text, false);
        if (bad !== null) return bad;
        return { ok: true, next: { ...state, ...text, status: "draft" }, event: roundReportEventOf.saveDraft, late: false };
      }
      if (state.status === "submitted" && isPastDue(round.dueDate, now)) {
        return refuse("past_due", `The due date (${round.dueDate}) has passed; a submitted report can no longer be revised.`);
      }
      const bad = textRefusal(text, true);
      if (bad !== null) return bad;
      if (round.leaderApproval === true && departmentRoleOf(actor) !== "leader") {
        return { ok: true, next: { ...state, ...text, status: "awaiting_approval" }, event: roundReportApprovalRequested, late: false };
      }
      return {
        ok: true,
        next: { ...state, ...text, status: "submitted", submittedAt: at },
        event: roundReportEventOf.submit,
        late: isLateSubmission(at, round.dueDate),
      };
    }
    case "approve":
    case "reject":
      if (departmentRoleOf(actor) !== "leader") return refuse("wrong_role", "Only the department's leader approves or returns its report.");
      if (actor.department !== state.department) return refuse("not_your_department", "This report belongs to another department.");
      if (state.status !== "awaiting_approval") return refuse("invalid_state", "This report does not wait for the leader's approval.");
      if (action.type === "approve") {
        return {
          ok: true,
          next: { ...state, status: "submitted", submittedAt: at },
          event: roundReportEventOf.approve,
          late: isLateSubmission(at, round.dueDate),
        };
      }
      if (action.reason.trim() === "") return refuse("reason_required", "Say why the report goes back.", "reason");
      if (action.reason.length > maxRoundReportHeadingLength) return refuse("text_too_long", "The reason is too long.", "reason");
      return { ok: true, next: { ...state, status: "returned_by_leader" }, event: roundReportEventOf.reject, late: false };
    case "return":
      if (actor.role !== "coordinator") return refuse("wrong_role", "Only the lead ministry's coordinator returns a report.");
      if (state.status !== "submitted") return refuse("invalid_state", "Only a submitted report can be returned.");
      if (action.reason.trim() === "") return refuse("reason_required", "Say why the report is returned.", "reason");
      if (action.reason.length > maxRoundReportHeadingLength) return refuse("text_too_long", "The reason is too long.", "reason");
      return { ok: true, next: { ...state, status: "returned" }, event: roundReportEventOf.return, late: false };
    case "remind":
      if (actor.role !== "coordinator") return refuse("wrong_role", "Only the lead ministry's coordinator sends reminders.");
      if (state.status === "submitted") return refuse("invalid_state", "This report is already submitted.");
      if (action.message.length > maxRoundReportHeadingLength) return refuse("text_too_long", "The message is too long.", "message");
      return { ok: true, next: state, event: roundReportEventOf.remind, late: false };
  }
}

/** What the actor may do to a report now (for the page's buttons). */
export function allowedRoundReportActions(state: RoundReportState, actor: Actor, round: RoundContext, now: Date): RoundReportActionType[] {
  const filled = { progress: "x", problems: "x", nextSteps: "x" };
  const probes: Record<RoundReportActionType, RoundReportAction> = {
    saveDraft: { type: "saveDraft", ...filled },
    submit: { type: "submit", ...filled },
    approve: { type: "approve" },
    reject: { type: "reject", reason: "x" },
    return: { type: "return", reason: "x" },
    remind: { type: "remind", message: "" },
  };
  return roundReportActionTypes.filter((t) => roundReportTransition(state, probes[t], actor, round, now).ok);
}

/**
 * Where a report stands in the round's grid:
 * - `reported`: submitted on time; `reported_late`: submitted after the due date;
 * - `returned`: sent back, awaiting a new submission;
 * - `late`: not submitted (nothing, or only a draft) and the due date has passed;
 * - `not_reported`: not submitted, not yet due.
 */
export const roundReportStandings = ["reported", "reported_late", "returned", "late", "not_reported"] as const;
export type RoundReportStanding = (typeof roundReportStandings)[number];

export function roundReportStanding(
  report: { status: RoundReportStatus; submittedAt: string | null },
  dueDate: string,
  now: Date,
): RoundReportStanding {
  const submittedLate = report.submittedAt === null ? null : isLateSubmission(report.submittedAt, dueDate);
  return standingOf(report.status, submittedLate, isPastDue(dueDate, now));
}

/** The rule of `roundReportStanding`, from the status, whether the submission was late (null: never submitted) and whether the round is past due. */
function standingOf(status: RoundReportStatus, submittedLate: boolean | null, pastDue: boolean): RoundReportStanding {
  if (status === "submitted" && submittedLate !== null) return submittedLate ? "reported_late" : "reported";
  if (status === "returned") return "returned";
  return pastDue ? "late" : "not_reported";
}

/**
 * The first instant after the due date's Beijing calendar day, as a UTC ISO string (`YYYY-MM-DDT16:00:00.000Z` the
 * day itself): a submission time (UTC ISO, as `Date.toISOString` writes it) at or after it is late, as
 * `isLateSubmission` says. For a database to compare submission times with, without reading each one.
 */
export function roundLateFrom(dueDate: string): string {
  return endOfPlanDay(dueDate).toISOString();
}

/**
 * Which reports have a standing, in terms a query can test, for the round's due date and the time now:
 * - `submitted`: status `submitted` with a submission time before `lateFrom` (`late: false`) or at or after it (`late: true`);
 * - `returned`: status `returned`;
 * - `outstanding`: neither of the above (not submitted, or `submitted` without a submission time);
 * - `none`: no report (`late` before the due date has passed, `not_reported` after).
 * `matchesRoundStanding` applies it to one report; the server turns it into a query's condition.
 */
export type RoundStandingCriterion =
  | { kind: "submitted"; late: boolean; lateFrom: string }
  | { kind: "returned" }
  | { kind: "outstanding" }
  | { kind: "none" };

export function roundStandingCriterion(standing: RoundReportStanding, dueDate: string, now: Date): RoundStandingCriterion {
  const lateFrom = roundLateFrom(dueDate);
  switch (standing) {
    case "reported":
      return { kind: "submitted", late: false, lateFrom };
    case "reported_late":
      return { kind: "submitted", late: true, lateFrom };
    case "returned":
      return { kind: "returned" };
    case "late":
      return isPastDue(dueDate, now) ? { kind: "outstanding" } : { kind: "none" };
    case "not_reported":
      return isPastDue(dueDate, now) ? { kind: "none" } : { kind: "outstanding" };
  }
}

/** Whether one report meets a criterion of `roundStandingCriterion` (the reference the server's query is tested against). */
export function matchesRoundStanding(criterion: RoundStandingCriterion, report: { status: RoundReportStatus; submittedAt: string | null }): boolean {
  const submitted = report.status === "submitted" && report.submittedAt !== null;
  switch (criterion.kind) {
    case "submitted":
      return submitted && report.submittedAt !== null && (report.submittedAt >= criterion.lateFrom) === criterion.late;
    case "returned":
      return report.status === "returned";
    case "outstanding":
      return !submitted && report.status !== "returned";
    case "none":
      return false;
  }
}

export interface RoundStatistics {
  /** Reports the round asks for (one per assignment in scope). */
  total: number;
  reported: number;
  reportedLate: number;
  returned: number;
  late: number;
  notReported: number;
  /** Reports saved as a draft and not submitted (counted in `late` or `notReported` as well). */
  drafts: number;
  /** Departments asked, and departments with every report submitted. */
  departments: number;
  departmentsComplete: number;
}

/** The counts of the round's grid and of the compiled report. */
export function roundStatistics(
  reports: readonly { department: DepartmentCode; status: RoundReportStatus; submittedAt: string | null }[],
  dueDate: string,
  now: Date,
): RoundStatistics {
  return roundStatisticsOfCounts(
    reports.map((r) => ({ department: r.department, status: r.status, submittedLate: r.submittedAt === null ? null : isLateSubmission(r.submittedAt, dueDate), count: 1 })),
    dueDate,
    now,
  );
}

/**
 * Reports of a round counted by department, status and whether the submission was late (null: no submission time),
 * as a query grouping by them gives them: the round's statistics without reading every report.
 */
export interface RoundReportCount {
  department: DepartmentCode;
  status: RoundReportStatus;
  submittedLate: boolean | null;
  count: number;
}

/** `roundStatistics` over counted groups (`RoundReportCount`); the same figures as over the reports themselves. */
export function roundStatisticsOfCounts(groups: readonly RoundReportCount[], dueDate: string, now: Date): RoundStatistics {
  const stats: RoundStatistics = {
    total: 0,
    reported: 0,
    reportedLate: 0,
    returned: 0,
    late: 0,
    notReported: 0,
    drafts: 0,
    departments: 0,
    departmentsComplete: 0,
  };
  const pastDue = isPastDue(dueDate, now);
  const complete = new Map<DepartmentCode, boolean>();
  for (const g of groups) {
    if (g.count <= 0) continue;
    const standing = standingOf(g.status, g.submittedLate, pastDue);
    stats.total += g.count;
    if (standing === "reported") stats.reported += g.count;
    else if (standing === "reported_late") stats.reportedLate += g.count;
    else if (standing === "returned") stats.returned += g.count;
    else if (standing === "late") stats.late += g.count;
    else stats.notReported += g.count;
    if (g.status === "draft") stats.drafts += g.count;
    const done = standing === "reported" || standing === "reported_late";
    complete.set(g.department, (complete.get(g.department) ?? true) && done);
  }
  stats.departments = complete.size;
  stats.departmentsComplete = [...complete.values()].filter(Boolean).length;
  return stats;
}

/** One department's reports in a round, counted by standing (the compiled report's chart). */
export interface DepartmentStandings {
  department: DepartmentCode;
  counts: Record<RoundReportStanding, number>;
}

/**
 * The reports of a round counted per department and standing, departments in the order they first appear (the
 * caller passes them in the plan's order). Standings as `roundReportStanding` gives them; the counts of one
 * department add up to its reports.
 */
export function roundStandingsByDepartment(
  reports: readonly { department: DepartmentCode; standing: RoundReportStanding }[],
): DepartmentStandings[] {
  const byDepartment = new Map<DepartmentCode, Record<RoundReportStanding, number>>();
  for (const r of reports) {
    const counts = byDepartment.get(r.department) ?? { reported: 0, reported_late: 0, returned: 0, late: 0, not_reported: 0 };
    counts[r.standing] += 1;
    byDepartment.set(r.department, counts);
  }
  return [...byDepartment].map(([department, counts]) => ({ department, counts }));
}

/** Assignment statuses with open work: the round asks about these (a signed-off, declined or withdrawn one owes nothing). */
export const roundReportableStatuses = ["assigned", "accepted", "in_progress"] as const satisfies readonly AssignmentStatus[];
const reportable: ReadonlySet<AssignmentStatus> = new Set(roundReportableStatuses);

export interface RoundScope {
  /** Measure numbers; empty: every measure of the plan. */
  measureNumbers: readonly number[];
  /** Department codes; empty: every department. */
  departments: readonly DepartmentCode[];
}

export interface ScopedAssignment {
  id: number;
  measureNumber: number;
  department: DepartmentCode;
  role: Role;
  status: AssignmentStatus;
}

/**
 * The assignments a round asks a report on: open work (`roundReportableStatuses`) on the chosen measures by the
 * chosen departments, ordered by measure, the lead first, then department code.
 */
export function assignmentsInRoundScope<T extends ScopedAssignment>(assignments: readonly T[], scope: RoundScope): T[] {
  const measures = new Set(scope.measureNumbers);
  const departments = new Set(scope.departments);
  return assignments
    .filter(
      (a) =>
        reportable.has(a.status) &&
        (measures.size === 0 || measures.has(a.measureNumber)) &&
        (departments.size === 0 || departments.has(a.department)),
    )
    .sort(
      (a, b) =>
        a.measureNumber - b.measureNumber ||
        (a.role === b.role ? 0 : a.role === "lead" ? -1 : 1) ||
        a.department.localeCompare(b.department) ||
        a.id - b.id,
    );
}

export interface RoundDates {
  /** YYYY-MM-DD, the first day the round reports on. */
  periodStart: string;
  /** YYYY-MM-DD, the last day the round reports on. */
  periodEnd: string;
  /** YYYY-MM-DD, the last day to report on time. */
  dueDate: string;
}

export type RoundDatesCheck = { ok: true } | { ok: false; field: keyof RoundDates; message: string };

/** A round's dates: real calendar dates, the period in order, the due date not before the period starts. */
export function checkRoundDates(dates: RoundDates): RoundDatesCheck {
  for (const field of ["periodStart", "periodEnd", "dueDate"] as const) {
    if (!isIsoDate(dates[field])) return { ok: false, field, message: `${field} must be a date written YYYY-MM-DD.` };
  }
  if (dates.periodEnd < dates.periodStart) return { ok: false, field: "periodEnd", message: "The period ends before it starts." };
  if (dates.dueDate < dates.periodStart) return { ok: false, field: "dueDate", message: "The due date is before the period starts." };
  return { ok: true };
}

const lastDayOfMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * `date` (YYYY-MM-DD) moved on by `months`; the day is clamped to the month's last day (31 January + 1 month =
 * 28 or 29 February), and a month's last day stays the last day (30 April + 1 month = 31 May), so that a period
 * "1 April – 30 April" becomes "1 May – 31 May".
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = lastDayOfMonth(year, month);
  const day = d === lastDayOfMonth(y, m) ? last : Math.min(d, last);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The months one repetition moves on by. */
export const recurrenceMonths = { monthly: 1, quarterly: 3 } as const satisfies Record<Exclude<RoundRecurrence, "none">, number>;

/** The next round's dates when a round repeats, or null when it does not (`none`). */
export function nextRoundDates(dates: RoundDates, recurrence: RoundRecurrence): RoundDates | null {
  if (recurrence === "none") return null;
  const months = recurrenceMonths[recurrence];
  return {
    periodStart: addMonths(dates.periodStart, months),
    periodEnd: addMonths(dates.periodEnd, months),
    dueDate: addMonths(dates.dueDate, months),
  };
}

/**
 * Whether the scheduler's tick should close a repeating round and open the next: the round is open, repeats, its due
 * date has passed and the next round's period has ended (a period is reported on once it is over: the fourth
 * quarter's round opens in January). A round that does not repeat is closed by the coordinator.
 */
export function roundDueForRollover(round: RoundDates & { status: RoundStatus; recurrence: RoundRecurrence }, now: Date): boolean {
  const next = nextRoundDates(round, round.recurrence);
  if (round.status !== "open" || next === null) return false;
  const today = planCalendarDate(now);
  return today > next.periodEnd && today > round.dueDate;
}

/**
 * The title of the next round of a repeating series: the period is the title's subject, so the next one names its
 * own period (e.g. "Progress 2026-04-01 – 2026-04-30"). A title that already ends with the period is renamed; any
 * other keeps its words and gains the new period.
 */
export function nextRoundTitle(title: string, dates: RoundDates, next: RoundDates): string {
  const period = `${dates.periodStart} – ${dates.periodEnd}`;
  const base = title.endsWith(`(${period})`) ? title.slice(0, -(period.length + 2)).trimEnd() : title;
  return `${base} (${next.periodStart} – ${next.periodEnd})`;
}
