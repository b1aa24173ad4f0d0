/*
 * Round reports down the levels (issue 16, point 3): "round reports (see the reporting-rounds issue) are compiled level
 * by level. A province's report to the national office is itself an act with its own evidence and sign-off."
 *
 * Design (chosen over a report slot in the parent's round):
 * - When an office opens a round on a plan, every organisation below that derived an issued implementation plan from
 *   it gets its OWN round on its local plan (same title, period and due date; its scope the local measures that
 *   implement the round's measures, every one when the round asks about every measure), and so on down: a city's
 *   round is opened under the province's. Its member departments report into it exactly as into any round
 *   (rounds.ts: one report per assignment, the department's sign-off rule unchanged).
 * - Each such organisation also owes one level report (上报) to the round one level up (one per implementation plan:
 *   an office that took in two forwardings of the plan separately has two plans, two rounds, two reports): the office's covering text
 *   under the three headings (progress, problems, next steps), the compilation of its own round (its departments'
 *   reports) and of the level reports its own children submitted, and its evidence. It is the office's act, not a
 *   department's: written by a coordinator of the reporting organisation's office, signed off, then seen by the
 *   parent.
 * Why own rounds: the organisation's departments already report through rounds (one rule, one page, one compiled
 * report); a slot in the parent's round would put a province's departments into the national round, where the
 * national office would see them (the access rule says it sees the province's report, not its departments' drafts).
 *
 * States of a level report, and who moves it (`levelReportTransition`):
 * - not_reported → draft (saveDraft) → awaiting_sign_off (submit) → submitted (signOff) → returned (return) → …
 * - awaiting_sign_off → returned_in_office (reject, with a reason) → awaiting_sign_off (submit again);
 * - returned (by the level above, with a reason) → draft / awaiting_sign_off: revised and submitted again.
 * A level report is always signed off before it goes up (the issue: "its own sign-off"). Who signs off follows the
 * existing sign-off rule for reports (rounds.ts, issue 15 point 2): where the department hosting the office (the
 * department in charge, measure (24)) requires its leader's approval, that department's leader signs off (待领导审核);
 * otherwise a coordinator of the office does (the office's own sign-off, recorded as its own act). Only a submitted
 * report is seen above; the office's draft, its text awaiting sign-off and what its leader sent back stay its own.
 * The parent's round closed, nothing changes any more.
 */
import type { ActorRole, DepartmentRole } from "../types.js";
import { maxRoundReportHeadingLength, roundReportHeadings } from "../rounds.js";
import type { RoundReportText } from "../rounds.js";

export const levelReportStatuses = ["not_reported", "draft", "awaiting_sign_off", "returned_in_office", "submitted", "returned"] as const;
export type LevelReportStatus = (typeof levelReportStatuses)[number];

/** The statuses the level above sees the text of: what was signed off and sent up (a returned one keeps its last submission). */
export const levelReportStatusesSeenAbove = ["submitted", "returned"] as const satisfies readonly LevelReportStatus[];

export type LevelReportAction =
  | ({ type: "saveDraft" } & RoundReportText)
  | ({ type: "submit" } & RoundReportText)
  | { type: "signOff" }
  | { type: "reject"; reason: string }
  | { type: "return"; reason: string };
export type LevelReportActionType = LevelReportAction["type"];
export const levelReportActionTypes = ["saveDraft", "submit", "signOff", "reject", "return"] as const satisfies readonly LevelReportActionType[];

/** The audit event of each accepted action (stored and hashed: never rename one). */
export const levelReportEventOf = {
  saveDraft: "level_report.draft_saved",
  submit: "level_report.sign_off_requested",
  signOff: "level_report.submitted",
  reject: "level_report.rejected",
  return: "level_report.returned",
} as const satisfies Record<LevelReportActionType, string>;
export type LevelReportEventType = (typeof levelReportEventOf)[LevelReportActionType];

/** Who acts on a level report: a person of an organisation (their role there, their department and part in it). */
export interface LevelReportActor {
  organisation: string;
  role: ActorRole;
  department: string | null;
  departmentRole?: DepartmentRole | null | undefined;
}

/** Where a level report stands: whose it is, to whom it goes, who signs it off, and whether the round above is open. */
export interface LevelReportContext {
  /** The reporting organisation (its office writes the report). */
  organisation: string;
  /** The organisation one level up (its office receives the report and may return it). */
  parent: string;
  /** The department hosting the reporting organisation's office (its `office.host`). */
  officeHost: string;
  /** Whether the host department requires its leader's approval of its reports (its setting, issue 15 point 2). */
  hostLeaderApproval: boolean;
  /** The status of the round one level up (the one reported to). */
  parentRoundStatus: "open" | "closed";
}

export type LevelReportRefusalCode =
  | "round_closed" // the round above is closed
  | "not_your_organisation" // an act by a person of another organisation than the one whose act it is
  | "wrong_role" // the act belongs to another role
  | "invalid_state" // the report's state does not allow the act
  | "heading_required" // a submission needs text under each heading
  | "reason_required" // a return or a rejection needs a reason
  | "text_too_long"; // over maxRoundReportHeadingLength

export interface LevelReportRefusal {
  code: LevelReportRefusalCode;
  message: string;
  field?: string;
}

export interface LevelReportState extends RoundReportText {
  status: LevelReportStatus;
}

export type LevelReportResult =
  | { ok: true; next: LevelReportState; event: LevelReportEventType }
  | { ok: false; refusal: LevelReportRefusal };

function refuse(code: LevelReportRefusalCode, message: string, field?: string): LevelReportResult {
  return { ok: false, refusal: field === undefined ? { code, message } : { code, message, field } };
}

/** Whether the actor writes the report: a coordinator of the reporting organisation's office. */
export function mayWriteLevelReport(actor: LevelReportActor, ctx: Pick<LevelReportContext, "organisation">): boolean {
  return actor.role === "coordinator" && actor.organisation === ctx.organisation;
}

/**
 * Whether the actor signs the report off (and may send it back inside the office): the host department's leader where
 * that department requires its leader's approval, else a coordinator of the reporting organisation's office.
 */
export function maySignOffLevelReport(actor: LevelReportActor, ctx: Omit<LevelReportContext, "parent" | "parentRoundStatus">): boolean {
  if (actor.organisation !== ctx.organisation) return false;
  if (ctx.hostLeaderApproval) return actor.role === "liaison" && actor.departmentRole === "leader" && actor.department === ctx.officeHost;
  return actor.role === "coordinator";
}

/** Whether the actor returns a submitted report: a coordinator of the office one level up. */
export function mayReturnLevelReport(actor: LevelReportActor, ctx: Pick<LevelReportContext, "parent">): boolean {
  return actor.role === "coordinator" && actor.organisation === ctx.parent;
}

/**
 * What of a level report `viewer` (an organisation id) sees: `full` (the reporting organisation: every state, its
 * draft), `submitted` (the organisation one level up: that it exists and its state; its text, compilation and files
 * only once submitted, `levelReportStatusesSeenAbove`), `none` (anyone else: a sibling, a grandparent, a child).
 * A grandparent reads a city's report only inside the province's submitted report, as the province compiled it.
 */
export function levelReportAccess(viewer: string, ctx: Pick<LevelReportContext, "organisation" | "parent">): "full" | "submitted" | "none" {
  if (viewer === ctx.organisation) return "full";
  if (viewer === ctx.parent) return "submitted";
  return "none";
}

/** Whether the level above sees the text of a report in `status`. */
export function levelReportSeenAbove(status: LevelReportStatus): boolean {
  return (levelReportStatusesSeenAbove as readonly LevelReportStatus[]).includes(status);
}

/** The acts on a level report that may bring the office's own evidence files (佐证材料): its draft and its submission. */
export const levelReportActionsTakingFiles = ["saveDraft", "submit"] as const satisfies readonly LevelReportActionType[];

/** Whether `type` may bring files (`levelReportActionsTakingFiles`). */
export function levelReportActionTakesFiles(type: LevelReportActionType): boolean {
  return (levelReportActionsTakingFiles as readonly LevelReportActionType[]).includes(type);
}

/**
 * Whether the level above sees one of a level report's files: the report's text is seen above (`levelReportSeenAbove`)
 * and the file was stored at or before the sign-off it reads (`fileCreatedAt` ≤ `submittedAt`, UTC ISO times); a file
 * added to a draft after a return is the office's own until the next sign-off.
 */
export function levelReportFileSeenAbove(status: LevelReportStatus, submittedAt: string | null, fileCreatedAt: string): boolean {
  return levelReportSeenAbove(status) && submittedAt !== null && fileCreatedAt <= submittedAt;
}

function textRefusal(text: RoundReportText, required: boolean): LevelReportResult | null {
  for (const heading of roundReportHeadings) {
    const value = text[heading];
    if (value.length > maxRoundReportHeadingLength) return refuse("text_too_long", `Write at most ${maxRoundReportHeadingLength} characters under each heading.`, heading);
    if (required && value.trim() === "") {
      return refuse("heading_required", "A report needs text under each heading: progress, problems and next steps (write “none” if there are none).", heading);
    }
  }
  return null;
}

function reasonRefusal(reason: string): LevelReportResult | null {
  if (reason.trim() === "") return refuse("reason_required", "Say why the report goes back.", "reason");
  if (reason.length > maxRoundReportHeadingLength) return refuse("text_too_long", "The reason is too long.", "reason");
  return null;
}

const writable: ReadonlySet<LevelReportStatus> = new Set(["not_reported", "draft", "returned_in_office", "returned"]);

/**
 * One act on one level report: the next state and its audit event, or a refusal with a stable code.
 * - saveDraft, submit (a coordinator of the reporting office): from not_reported, draft, returned_in_office or
 *   returned; submit needs every heading and waits for the sign-off (awaiting_sign_off).
 * - signOff (see `maySignOffLevelReport`): awaiting_sign_off → submitted (the time of sign-off is the submission's).
 * - reject (the same): awaiting_sign_off → returned_in_office, with a reason.
 * - return (a coordinator of the office one level up): submitted → returned, with a reason.
 * Checked in this order: the round above is open, the actor's organisation, the role, the state, the text.
 */
export function levelReportTransition(state: LevelReportState, action: LevelReportAction, actor: LevelReportActor, ctx: LevelReportContext): LevelReportResult {
  if (ctx.parentRoundStatus !== "open") return refuse("round_closed", "The round this report answers is closed; the report can no longer change.");
  switch (action.type) {
    case "saveDraft":
    case "submit": {
      if (actor.organisation !== ctx.organisation) return refuse("not_your_organisation", "This report is another organisation's.");
      if (!mayWriteLevelReport(actor, ctx)) return refuse("wrong_role", "The office's coordinators write its report to the level above.");
      if (!writable.has(state.status)) {
        return refuse("invalid_state", state.status === "awaiting_sign_off" ? "This report waits for its sign-off." : "This report is submitted; it changes only if the level above returns it.");
      }
      const text = { progress: action.progress, problems: action.problems, nextSteps: action.nextSteps };
      const bad = textRefusal(text, action.type === "submit");
      if (bad !== null) return bad;
      return { ok: true, next: { ...text, status: action.type === "submit" ? "awaiting_sign_off" : "draft" }, event: levelReportEventOf[action.type] };
    }
    case "signOff":
    case "reject": {
      if (actor.organisation !== ctx.organisation) return refuse("not_your_organisation", "This report is another organisation's.");
      if (!maySignOffLevelReport(actor, ctx)) {
        return refuse(
          "wrong_role",
          ctx.hostLeaderApproval ? "The leader of the department hosting the office signs this report off." : "A coordinator of the office signs this report off.",
        );
      }
      if (state.status !== "awaiting_sign_off") return refuse("invalid_state", "This report does not wait for a sign-off.");
      if (action.type === "signOff") return { ok: true, next: { ...state, status: "submitted" }, event: levelReportEventOf.signOff };
      const bad = reasonRefusal(action.reason);
      if (bad !== null) return bad;
      return { ok: true, next: { ...state, status: "returned_in_office" }, event: levelReportEventOf.reject };
    }
    case "return": {
      if (actor.organisation !== ctx.parent) return refuse("not_your_organisation", "Only the office one level up returns this report.");
      if (!mayReturnLevelReport(actor, ctx)) return refuse("wrong_role", "A coordinator of the office one level up returns a report.");
      if (state.status !== "submitted") return refuse("invalid_state", "Only a submitted report can be returned.");
      const bad = reasonRefusal(action.reason);
      if (bad !== null) return bad;
      return { ok: true, next: { ...state, status: "returned" }, event: levelReportEventOf.return };
    }
  }
}

/** What the actor may do to a level report now (the page's buttons). */
export function allowedLevelReportActions(state: LevelReportState, actor: LevelReportActor, ctx: LevelReportContext): LevelReportActionType[] {
  const filled = { progress: "x", problems: "x", nextSteps: "x" };
  const probes: Record<LevelReportActionType, LevelReportAction> = {
    saveDraft: { type: "saveDraft", ...filled },
    submit: { type: "submit", ...filled },
    signOff: { type: "signOff" },
    reject: { type: "reject", reason: "x" },
    return: { type: "return", reason: "x" },
  };
  return levelReportActionTypes.filter((t) => levelReportTransition(state, probes[t], actor, ctx).ok);
}

/** A child's report as the level above lists it: reported (submitted), returned, or not yet reported (anything else). */
export type LevelReportStanding = "reported" | "returned" | "not_reported";
export const levelReportStandings = ["reported", "returned", "not_reported"] as const satisfies readonly LevelReportStanding[];

export function levelReportStanding(status: LevelReportStatus): LevelReportStanding {
  if (status === "submitted") return "reported";
  if (status === "returned") return "returned";
  return "not_reported";
}

/** The scope of an organisation's own round, from the round above: its measures that implement the round's measures. */
export function childRoundMeasureNumbers(
  parentScope: readonly number[],
  childMeasures: readonly { number: number; originNumber: number | null }[],
): { all: true } | { all: false; numbers: number[] } {
  if (parentScope.length === 0) return { all: true };
  const asked = new Set(parentScope);
  return {
    all: false,
    numbers: childMeasures
      .filter((m) => m.originNumber !== null && asked.has(m.originNumber))
      .map((m) => m.number)
      .sort((a, b) => a - b),
  };
}

/**
 * Withdrawing a file of a level report (a file attached by mistake): `remove` takes it out; `replace` puts a new
 * version in its place (the old one kept, marked superseded by the new). Neither deletes anything: the audit trail
 * keeps both, and the level above keeps reading what was sent up with the sign-off it reads (`levelReportFileSeenAbove`).
 */
export type LevelReportFileWithdrawal = "remove" | "replace";
export const levelReportFileWithdrawals = ["remove", "replace"] as const satisfies readonly LevelReportFileWithdrawal[];

/** The audit event of each withdrawal (stored and hashed: never rename one). */
export const levelReportFileEventOf = {
  remove: "level_report.file_removed",
  replace: "level_report.file_replaced",
} as const satisfies Record<LevelReportFileWithdrawal, string>;
export type LevelReportFileEventType = (typeof levelReportFileEventOf)[LevelReportFileWithdrawal];

/** The statuses in which the office's files may still change: while its text may (a draft, or sent back). */
export const levelReportStatusesWithChangeableFiles = ["not_reported", "draft", "returned_in_office", "returned"] as const satisfies readonly LevelReportStatus[];

/** One stored file of a level report, as the withdrawal rule reads it. */
export interface LevelReportFileState {
  levelReportId: number;
  /** UTC ISO time it was withdrawn (removed or superseded); null while it is current. */
  withdrawnAt: string | null;
}

/**
 * Whether `actor` may remove or replace `file` of `report` (status `status`): the report's own (`file.levelReportId`),
 * the file still current, a coordinator of the reporting office (`mayWriteLevelReport`), the round above open, and the
 * report's text still changeable (`levelReportStatusesWithChangeableFiles`): once submitted for sign-off or signed off,
 * its files are frozen until it is sent back. Checked in this order: round, organisation, role, file, state.
 * Refusals: round_closed, not_your_organisation, wrong_role, invalid_state (file withdrawn, or report frozen).
 */
export function levelReportFileWithdrawal(
  kind: LevelReportFileWithdrawal,
  report: { id: number; status: LevelReportStatus },
  file: LevelReportFileState,
  actor: LevelReportActor,
  ctx: Pick<LevelReportContext, "organisation" | "parentRoundStatus">,
): { ok: true; event: LevelReportFileEventType } | { ok: false; refusal: LevelReportRefusal } {
  const no = (code: LevelReportRefusalCode, message: string) => ({ ok: false as const, refusal: { code, message } });
  if (ctx.parentRoundStatus !== "open") return no("round_closed", "The round this report answers is closed; its files can no longer change.");
  if (actor.organisation !== ctx.organisation) return no("not_your_organisation", "This report is another organisation's.");
  if (!mayWriteLevelReport(actor, ctx)) return no("wrong_role", "The office's coordinators change the files of its report.");
  if (file.levelReportId !== report.id) return no("invalid_state", "This file belongs to another report.");
  if (file.withdrawnAt !== null) return no("invalid_state", "This file is already removed or replaced.");
  if (!(levelReportStatusesWithChangeableFiles as readonly LevelReportStatus[]).includes(report.status)) {
    return no(
      "invalid_state",
      report.status === "awaiting_sign_off"
        ? "This report waits for its sign-off; its files are frozen until it is sent back."
        : "This report is submitted; its files are frozen unless the level above returns it.",
    );
  }
  return { ok: true, event: levelReportFileEventOf[kind] };
}

/**
 * Whether the level above sees a file, given when it was withdrawn: stored at or before the sign-off it reads
 * (`levelReportFileSeenAbove`) and not withdrawn by then (a file removed after a return stays in the submission the
 * level above holds until the next sign-off). All times UTC ISO.
 */
export function levelReportFileSeenAboveUntil(status: LevelReportStatus, submittedAt: string | null, fileCreatedAt: string, withdrawnAt: string | null): boolean {
  return levelReportFileSeenAbove(status, submittedAt, fileCreatedAt) && (withdrawnAt === null || (submittedAt !== null && withdrawnAt > submittedAt));
}
