/**
 * The vocabulary of Countersign, shared by the server, the web client and the exports.
 * State names here are a public contract (API, exports, audit trail): never rename one.
 */
import type { AssignmentRequest } from "./actions.js";

/** A department's stable code, e.g. "MIIT". A plan is data, so any code may appear; the 17 of 2020 are in `departments`. */
export type DepartmentCode = string;

export interface DepartmentSuccessor {
  code: DepartmentCode;
  nameEn: string;
  nameZh: string;
  /** ISO date (YYYY-MM-DD) from which the successor took over. */
  since: string;
}

export interface Department {
  code: DepartmentCode;
  nameEn: string;
  nameZh: string;
  shortEn: string;
  shortZh: string;
  /** Order of signature on the Chinese original, 1-based. Matrices list departments in this order. */
  order: number;
  /** Set where the department was later renamed or replaced. The plan keeps the 2020 name. */
  successor: DepartmentSuccessor | null;
}

export type Role = "lead" | "supporting";
export const roles = ["lead", "supporting"] as const satisfies readonly Role[];

export type AssignmentStatus = "assigned" | "accepted" | "declined" | "in_progress" | "signed_off" | "withdrawn";
export const assignmentStatuses = [
  "assigned",
  "accepted",
  "declined",
  "in_progress",
  "signed_off",
  "withdrawn",
] as const satisfies readonly AssignmentStatus[];

export type MeasureStatus = "not_started" | "in_progress" | "awaiting_lead" | "countersigned" | "closed";
export const measureStatuses = [
  "not_started",
  "in_progress",
  "awaiting_lead",
  "countersigned",
  "closed",
] as const satisfies readonly MeasureStatus[];

export type Lateness = "none" | "due_soon" | "overdue" | "long_overdue";
export const latenessLevels = ["none", "due_soon", "overdue", "long_overdue"] as const satisfies readonly Lateness[];

/** "ongoing" (持续推进, no deadline) or an ISO calendar date YYYY-MM-DD. */
export type DueDate = "ongoing" | string;

export interface Section {
  /** 1-based. */
  number: number;
  /** Roman numeral as printed: I … VII. */
  numeral: string;
  title: string;
}

export interface Measure {
  /** 1-based, unique within the plan. */
  number: number;
  /** The number of the section it belongs to. */
  section: number;
  /** A short title: the measure's opening phrase. */
  title: string;
  /** The full text exactly as published. */
  text: string;
  /** True where the published text is cut short (words lost); the text is kept as published, never completed. */
  textCut: boolean;
  /** The deadline the source document states for the measure, when it states one (imported plans). */
  statedDeadline?: StatedDeadline | null | undefined;
}

/**
 * A deadline the source document states for a measure (2030年底前, 持续推进): the due date it means ("ongoing" or
 * YYYY-MM-DD, the last calendar day in Beijing) and its wording as printed.
 */
export interface StatedDeadline {
  dueDate: DueDate;
  stated: string;
}

export type Justification =
  /** A verbatim substring of the measure text naming the department's remit. */
  | { kind: "phrase"; phrase: string }
  /** A stated rule, e.g. measure (24) binds all member units of the leading group. */
  | { kind: "rule"; rule: string };

/** One department's part in one measure. */
export interface Responsibility {
  measureNumber: number;
  department: DepartmentCode;
  role: Role;
}

/** A responsibility as proposed (before the lead ministry reviews it), with why it is proposed. */
export interface ProposedResponsibility extends Responsibility {
  justification: Justification;
}

export interface PlanDocument {
  /** A stable key, e.g. "2020-sme-support-system", so that loading the same plan twice is recognised. */
  key: string;
  titleEn: string;
  titleZh: string;
  documentNumber: string;
  /** ISO dates. */
  issuedOn: string;
  publishedOn: string;
  leadDepartment: DepartmentCode;
  /** Member departments, in order of signature. */
  departments: readonly DepartmentCode[];
  sections: readonly Section[];
  measures: readonly Measure[];
}

export type ActorRole = "coordinator" | "liaison" | "observer" | "admin";
export const actorRoles = ["coordinator", "liaison", "observer", "admin"] as const satisfies readonly ActorRole[];

/**
 * A department account's part inside its department (issue 15, point 2): the liaison (联络员) receives and hands out
 * the work, a handler (承办人, of one division 处室) does it, the department leader (部门领导) approves (审核/签发)
 * what goes out when the department requires it. Only an account with the role `liaison` (a department's account)
 * has one; absent means `liaison`, the part every department account had before divisions existed.
 */
export type DepartmentRole = "liaison" | "handler" | "leader";
export const departmentRoles = ["liaison", "handler", "leader"] as const satisfies readonly DepartmentRole[];

/** Who is acting. A liaison always has a department; a coordinator belongs to the lead ministry. */
export interface Actor {
  role: ActorRole;
  department: DepartmentCode | null;
  /** For a department account (`role` liaison): its part in the department; absent = "liaison". */
  departmentRole?: DepartmentRole | undefined;
  /** A handler's division (处室) id, or null. */
  division?: number | null | undefined;
  /** The account's id: a handler acts on what was given to them (`AssignmentState.handler`). */
  userId?: number | null | undefined;
}

/**
 * What a handler drafted that waits for the department leader's approval (审核/签发) before it goes out to the lead
 * ministry: a sign-off (报结) or an extension request (延期申请). `by` is the drafting account's id.
 */
export type PendingApproval =
  | { kind: "signOff"; summary: string; by: number | null }
  | { kind: "extension"; until: string; reason: string; by: number | null };

/** What the workflow needs to know of one assignment. */
export interface AssignmentState {
  status: AssignmentStatus;
  department: DepartmentCode;
  role: Role;
  dueDate: DueDate;
  /** An extension request awaiting the lead ministry's decision, if any. */
  pendingExtension: { until: string; reason: string } | null;
  /** The division (处室) the liaison handed the work to (分办), or null/absent. */
  division?: number | null | undefined;
  /** The handler (承办人, an account id) the liaison handed the work to, or null/absent. */
  handler?: number | null | undefined;
  /** A sign-off or extension request waiting for the department leader, or null/absent. */
  pendingApproval?: PendingApproval | null | undefined;
}

/** The other assignments of the same measure, and whether the lead ministry has closed the measure. */
export interface MeasureContext {
  measureClosed: boolean;
  /**
   * Today in the plan's zone (YYYY-MM-DD), for the actions that set a deadline (reassign, approve an extension with
   * another date): a deadline before today is refused. Absent: no such check (tests of other rules).
   */
  today?: string;
  /** The plan was withdrawn (撤销): only comments are still taken. */
  planWithdrawn?: boolean;
  /**
   * The assigned department's setting: sign-offs, extension requests and round reports go out only after the
   * department leader approves them. Absent: false.
   */
  leaderApproval?: boolean | undefined;
  /**
   * Whether the assigned department has someone to hand work to (分办): a division with an enabled handler. False:
   * 分办 is not offered, and the refusal says how to add one. Absent: not known here (no such check).
   */
  handlersAvailable?: boolean | undefined;
  /** Every other assignment on the same measure (not including the one acted on). */
  others: ReadonlyArray<{ department: DepartmentCode; role: Role; status: AssignmentStatus }>;
}

/** A division (处室) as an action names it. */
export interface DivisionRef {
  id: number;
  department: DepartmentCode;
}

/** An account chosen as handler, as an action names it. */
export interface HandlerRef {
  id: number;
  role: ActorRole;
  department: DepartmentCode | null;
  departmentRole: DepartmentRole | null;
  division: number | null;
  disabled: boolean;
}

/**
 * An action as the workflow takes it: as the caller asks for it (the registry in actions.ts), except that 分办 names
 * the division and the handler as records the server read, so that the domain checks they fit together.
 */
export type AssignmentAction =
  | Exclude<AssignmentRequest, { type: "assignHandler" }>
  | { type: "assignHandler"; note: string; division: DivisionRef; handler: HandlerRef };
export type { AssignmentActionType } from "./actions.js";

/** Stable refusal codes; the server maps each to one tRPC error code. */
export type RefusalCode =
  | "read_only" // an observer (or admin) may not act on assignments
  | "wrong_role" // e.g. a liaison trying a coordinator action, or the reverse
  | "not_your_department" // a liaison acting on another department's assignment
  | "invalid_state" // the action is not allowed from the current status
  | "reason_required" // a required reason, note, summary or message is empty
  | "supporting_not_signed_off" // the lead signs off only after every supporting department
  | "measure_closed" // the measure is closed (办结): reopen it first
  | "extension_pending" // an extension request already awaits a decision
  | "no_extension_pending" // decideExtension without a pending request
  | "invalid_extension" // not a date, not after the current due date, or the due date is ongoing
  | "already_responsible" // reassigning to a department already responsible for the measure (or the same one)
  | "not_countersigned" // a measure can be closed only when countersigned
  | "not_closed" // only a closed measure can be reopened
  | "deadline_in_past" // a deadline before today, not confirmed as back-dated
  | "invalid_deadline" // not "ongoing" nor a calendar date YYYY-MM-DD
  | "plan_not_issued" // a change after issue asked of a plan that is a draft (or withdrawn)
  | "plan_withdrawn" // the plan was withdrawn: nothing changes any more
  | "not_responsible" // removing or promoting a department that is not responsible for the measure
  | "lead_cannot_be_removed" // the lead is changed, never removed
  | "not_your_assignment" // a handler acting on work not given to them (nor to their division, for comments)
  | "approval_pending" // a sign-off or extension request already waits for the department leader
  | "no_approval_pending" // approve or reject with nothing waiting
  | "invalid_handler" // 分办 to a division or account that is not a handler of that division of this department
  | "no_handler"; // 分办 while the department has no division with an enabled handler: an administrator adds one first

export interface Refusal {
  code: RefusalCode;
  message: string;
  /** For `supporting_not_signed_off`: the supporting departments not yet signed off, so a client can name them. */
  waitingFor?: DepartmentCode[];
}

/** Closed list of audit event types. Names are stable: they are stored and exported. */
export type AssignmentEventType =
  | "assignment.issued"
  | "assignment.accepted"
  | "assignment.declined"
  | "assignment.progress_reported"
  | "assignment.signed_off"
  | "assignment.extension_requested"
  | "assignment.commented"
  | "assignment.reassigned"
  | "assignment.reaffirmed"
  | "assignment.returned"
  | "assignment.withdrawn"
  | "assignment.reminded"
  | "assignment.extension_approved"
  | "assignment.extension_refused"
  /** The lead's sign-off reopened because a supporting sign-off was returned (or the measure's division changed). */
  | "assignment.lead_reopened"
  /** 分办: the liaison handed the work to a division and a handler. */
  | "assignment.handler_assigned"
  /** A sign-off or extension request drafted, waiting for the department leader's approval. */
  | "assignment.approval_requested"
  /** The department leader sent the draft back to the handler, with a reason. */
  | "assignment.approval_rejected"
  /** Changes of a plan after issue (see plan-change.ts). */
  | "assignment.deadline_changed"
  | "assignment.role_changed";

export interface AssignmentEvent {
  type: AssignmentEventType;
  from: AssignmentStatus;
  to: AssignmentStatus;
  /** What the actor said (reason, note, summary...) and any data of the change, e.g. { toDepartment }. */
  payload: Record<string, string | boolean | null>;
}

/**
 * What else an action changes beside the assignment's own row, decided by the transition table (workflow.ts) and
 * applied by the service in the same transaction, in the order listed:
 * - `commentRecorded`: the comment is kept as a record of its own (its files hang on it);
 * - `extensionRequested`: an extension request goes to the lead ministry (延期申请), asked by `requestedBy` (the handler
 *   who drafted it when the leader approved it; null: the acting account);
 * - `extensionSettled`: the extension request still pending, if any, is approved, refused or cancelled, with `note`;
 * - `responsibilityMoved`: the division of work follows a reassignment to `toDepartment` (the matrix shows it);
 * - `reminded`: the time of the last reminder (催办) is set to the action's time;
 * - `leadReopened`: the measure's signed-off lead (`department`) goes back to in_progress, `event` recorded on it.
 */
export type AssignmentEffect =
  | { kind: "commentRecorded"; body: string }
  | { kind: "extensionRequested"; until: string; reason: string; requestedBy: number | null }
  | { kind: "extensionSettled"; status: "approved" | "refused" | "cancelled"; note: string }
  | { kind: "responsibilityMoved"; toDepartment: DepartmentCode }
  | { kind: "reminded" }
  | { kind: "leadReopened"; department: DepartmentCode; event: AssignmentEvent };

export type TransitionResult =
  | {
      ok: true;
      next: AssignmentState;
      events: AssignmentEvent[];
      /** Every change beside the assignment's row, in the order to apply it; empty when there is none. */
      effects: AssignmentEffect[];
    }
  | { ok: false; refusal: Refusal };
