/**
 * The assignment workflow (立项交办 → 签收 → 办理 → 报结 / 退回重办 ...) as one pure transition function.
 * The server calls `transition` for every action; no workflow rule lives anywhere else.
 */
import { isIsoDate } from "./dates.js";
import { isBlankText } from "./text.js";
import { deadlineRefusal } from "./plan-change.js";
import { departmentRoleOf, handlerReach } from "./department-roles.js";
import { assignmentActions, assignmentActionTypes } from "./actions.js";
import { assignmentEvent } from "./audit-events.js";
import type {
  Actor,
  AssignmentAction,
  AssignmentActionType,
  AssignmentEffect,
  AssignmentEvent,
  AssignmentEventType,
  AssignmentState,
  AssignmentStatus,
  MeasureContext,
  DepartmentCode,
  DepartmentRole,
  HandlerRef,
  DivisionRef,
  PendingApproval,
  Refusal,
  RefusalCode,
  TransitionResult,
} from "./types.js";

/**
 * Who may take an action: the assigned department's liaison; a `member` (its liaison, or the handler the work was
 * given to); its department leader; the lead ministry's coordinator; or any `participant` (the coordinator and the
 * department's people who see the assignment).
 */
export type ActionPerformer = "liaison" | "member" | "leader" | "coordinator" | "participant";

export interface ActionRule {
  by: ActionPerformer;
  /** Statuses the action may start from. */
  from: readonly AssignmentStatus[];
  /** The status after the action; `null` keeps the current status. */
  to: AssignmentStatus | null;
  event: AssignmentEventType;
  /** Whether the action is allowed on a measure the lead ministry has closed. */
  allowedWhenClosed: boolean;
}

const open: readonly AssignmentStatus[] = ["assigned", "accepted", "in_progress"];

/**
 * The transition table. Every (status × action) pair not listed in `from` is refused with `invalid_state`;
 * the guards in `transition` add the rules that need more than the status.
 */
export const actionRules = {
  accept: { by: "liaison", from: ["assigned"], to: "accepted", event: "assignment.accepted", allowedWhenClosed: false },
  decline: { by: "liaison", from: ["assigned"], to: "declined", event: "assignment.declined", allowedWhenClosed: false },
  reportProgress: {
    by: "member",
    from: ["accepted", "in_progress"],
    to: "in_progress",
    event: "assignment.progress_reported",
    allowedWhenClosed: false,
  },
  // With the department's leader approval on, the sign-off waits as `pendingApproval` (status kept) until `approve`.
  signOff: {
    by: "member",
    from: ["accepted", "in_progress"],
    to: "signed_off",
    event: "assignment.signed_off",
    allowedWhenClosed: false,
  },
  requestExtension: {
    by: "member",
    from: open,
    to: null,
    event: "assignment.extension_requested",
    allowedWhenClosed: false,
  },
  comment: {
    by: "participant",
    from: ["assigned", "accepted", "declined", "in_progress", "signed_off", "withdrawn"],
    to: null,
    event: "assignment.commented",
    allowedWhenClosed: true,
  },
  assignHandler: {
    by: "liaison",
    from: ["accepted", "in_progress"],
    to: null,
    event: "assignment.handler_assigned",
    allowedWhenClosed: false,
  },
  // 审核/签发: the waiting sign-off (→ signed_off) or extension request (→ to the lead ministry) goes out.
  approve: { by: "leader", from: open, to: null, event: "assignment.signed_off", allowedWhenClosed: false },
  reject: { by: "leader", from: open, to: null, event: "assignment.approval_rejected", allowedWhenClosed: false },
  reassign: { by: "coordinator", from: ["declined"], to: "assigned", event: "assignment.reassigned", allowedWhenClosed: false },
  reaffirm: { by: "coordinator", from: ["declined"], to: "assigned", event: "assignment.reaffirmed", allowedWhenClosed: false },
  return: { by: "coordinator", from: ["signed_off"], to: "in_progress", event: "assignment.returned", allowedWhenClosed: false },
  withdraw: {
    by: "coordinator",
    from: ["assigned", "accepted", "declined", "in_progress"],
    to: "withdrawn",
    event: "assignment.withdrawn",
    allowedWhenClosed: false,
  },
  remind: { by: "coordinator", from: open, to: null, event: "assignment.reminded", allowedWhenClosed: false },
  decideExtension: {
    by: "coordinator",
    from: open,
    to: null,
    event: "assignment.extension_approved",
    allowedWhenClosed: false,
  },
} as const satisfies Record<AssignmentActionType, ActionRule>;


const refuse = (code: RefusalCode, message: string): { ok: false; refusal: Refusal } => ({ ok: false, refusal: { code, message } });

/** Text that shows nothing counts as missing (one rule with the schemas: `isBlankText`). */
const blank = isBlankText;

/** The text the action's registry entry requires (`requires`), read from the action; null when it requires none. */
function requiredText(action: AssignmentAction): { field: string; text: string } | null {
  const field = assignmentActions[action.type].requires;
  if (field === null) return null;
  const value: unknown = Reflect.get(action, field);
  return { field, text: typeof value === "string" ? value : "" };
}

const requiredTextLabel: Record<string, string> = {
  reason: "a reason",
  note: "a note",
  summary: "a summary of the work done",
  body: "a comment text",
};

const departmentRoleLabel: Record<DepartmentRole, string> = { liaison: "liaison", handler: "handler", leader: "department leader" };

/**
 * Each action in the users' words, for refusals ("You cannot report progress now: …"): a refusal never shows an
 * action's code name (new-user trial, fault 7).
 */
export const actionPhrase: Record<AssignmentActionType, string> = {
  accept: "accept this assignment",
  decline: "decline this assignment",
  reportProgress: "report progress",
  signOff: "sign off",
  requestExtension: "ask for an extension",
  comment: "comment",
  assignHandler: "hand the work to a division (分办)",
  approve: "approve the draft",
  reject: "send the draft back",
  reassign: "reassign this assignment",
  reaffirm: "reaffirm this assignment",
  return: "return it for rework",
  withdraw: "withdraw this assignment",
  remind: "send a reminder",
  decideExtension: "decide on an extension request",
};

/**
 * What the assignment's state means and what can be done next, in the users' words: the second half of every
 * `invalid_state` refusal. The web words the same per status in both languages (i18n `why.state.*`).
 */
export const stateExplanation: Record<AssignmentStatus, string> = {
  assigned: "the assignment has not been accepted yet; the department accepts it (签收) first.",
  accepted: "the department has accepted it and the work is under way.",
  in_progress: "the department is working on it.",
  declined:
    "the department has declined it; the lead ministry now reassigns it to another department or reaffirms it (维持交办).",
  signed_off:
    "the department has already signed off its part (报结). Nothing more is needed unless the lead ministry returns it for rework (退回重办); comments are still open.",
  withdrawn: "the assignment was withdrawn (撤销); nothing more is needed from the department. Comments are still open.",
};

/** The refusal for the actor alone, before any state is looked at. */
function checkActor(rule: ActionRule, actionType: AssignmentActionType, state: AssignmentState, actor: Actor): Refusal | null {
  if (actor.role === "observer" || actor.role === "admin") {
    return { code: "read_only", message: `An ${actor.role} account reads assignments but cannot ${actionPhrase[actionType]}.` };
  }
  if (rule.by !== "coordinator" && rule.by !== "participant" && actor.role !== "liaison") {
    return { code: "wrong_role", message: `Only the assigned department's people can ${actionPhrase[actionType]}.` };
  }
  if (rule.by === "coordinator" && actor.role !== "coordinator") {
    return { code: "wrong_role", message: `Only the lead ministry's coordinator can ${actionPhrase[actionType]}.` };
  }
  if (actor.role === "liaison" && actor.department !== state.department) {
    return { code: "not_your_department", message: `This assignment belongs to ${state.department}, not to your department.` };
  }
  const part = departmentRoleOf(actor);
  if (part === null) return null;
  switch (rule.by) {
    case "liaison":
      if (part !== "liaison") {
        return { code: "wrong_role", message: `Only the department's liaison can ${actionPhrase[actionType]}; you are its ${departmentRoleLabel[part]}.` };
      }
      return null;
    case "leader":
      if (part !== "leader") {
        return { code: "wrong_role", message: "Only the department leader approves or sends back what a handler drafted." };
      }
      return null;
    case "member":
      if (part === "leader") {
        return { code: "wrong_role", message: `The department leader approves; the liaison or the handler given the work can ${actionPhrase[actionType]}.` };
      }
      if (part === "handler" && handlerReach(actor, { division: state.division ?? null, handler: state.handler ?? null }) !== "given") {
        return { code: "not_your_assignment", message: `This assignment was not given to you; only its handler or the department's liaison can ${actionPhrase[actionType]}.` };
      }
      return null;
    case "participant":
      if (part === "handler" && handlerReach(actor, { division: state.division ?? null, handler: state.handler ?? null }) === null) {
        return { code: "not_your_assignment", message: "This assignment was given neither to you nor to your division." };
      }
      return null;
    case "coordinator":
      return null;
  }
}

const event = assignmentEvent;

/** Days are compared as calendar dates: ISO strings sort as dates. */
const isAfter = (a: string, b: string): boolean => a > b;

/**
 * The refusals that need no action's fields, in the fixed order actor → withdrawn plan → closed measure → status:
 * whether an action of this type is open at all. Null when it is.
 */
function gateRefusal(type: AssignmentActionType, state: AssignmentState, actor: Actor, context: MeasureContext): Refusal | null {
  const rule: ActionRule = actionRules[type];
  const actorRefusal = checkActor(rule, type, state, actor);
  if (actorRefusal) return actorRefusal;
  if (context.planWithdrawn === true && type !== "comment") {
    return { code: "plan_withdrawn", message: "This plan was withdrawn (撤销); its assignments take no further action." };
  }
  if (context.measureClosed && !rule.allowedWhenClosed) {
    return { code: "measure_closed", message: "The lead ministry has closed this measure (办结); it must be reopened before anything changes." };
  }
  if (!rule.from.includes(state.status)) {
    return { code: "invalid_state", message: `You cannot ${actionPhrase[type]} now: ${stateExplanation[state.status]}` };
  }
  return null;
}

const noApprovalPending: Refusal = {
  code: "no_approval_pending",
  message: "Nothing drafted on this assignment waits for the department leader's approval.",
};
const noHandler: Refusal = {
  code: "no_handler",
  message:
    "There is no one to hand this work to yet: the department has no division with a handler (承办人). An administrator adds a division and a handler on the Administration page (Departments); until then the liaison carries the work.",
};
const noExtensionPending: Refusal = { code: "no_extension_pending", message: "There is no extension request to decide on this assignment." };

/**
 * The action-specific guards that read only the assignment and its measure, never the action's fields (a sign-off
 * waits for the supporting departments, one extension request at a time, something must wait for the leader ...):
 * `transition` checks them after the required text, and `actionAvailability` with no action at hand. Null when none refuses.
 */
function stateRefusal(type: AssignmentActionType, state: AssignmentState, context: MeasureContext): Refusal | null {
  switch (type) {
    case "signOff": {
      const waiting = leadWaitingFor(state, context);
      if (waiting !== null) return waiting;
      return state.pendingApproval ? { code: "approval_pending", message: pendingMessage(state.pendingApproval) } : null;
    }
    case "requestExtension": {
      const wrong = extensionStateRefusal(state);
      if (wrong !== null) return wrong;
      return state.pendingApproval ? { code: "approval_pending", message: pendingMessage(state.pendingApproval) } : null;
    }
    case "approve": {
      const pending = state.pendingApproval;
      if (!pending) return noApprovalPending;
      if (pending.kind === "signOff") {
        // A sign-off is drafted only on accepted work; never let one jump from "assigned" to "signed off".
        if (state.status === "assigned") return { code: "invalid_state", message: "Cannot approve a sign-off of an assignment not yet accepted." };
        // The lead-last rule holds at the moment the sign-off goes out, not only when it was drafted.
        return leadWaitingFor(state, context);
      }
      return extensionRefusal(state, pending.until);
    }
    case "assignHandler":
      return context.handlersAvailable === false ? noHandler : null;
    case "reject":
      return state.pendingApproval ? null : noApprovalPending;
    case "decideExtension":
      return state.pendingExtension ? null : noExtensionPending;
    default:
      return null;
  }
}

/**
 * (assignment state, action, actor, the rest of the measure) → the next state, the events to record and the effects
 * to apply beside the assignment's row (`AssignmentEffect`), or a refusal.
 * Checks run in a fixed order, so each combination has one defined answer:
 * actor → withdrawn plan → closed measure → status → required text → guards on the state → guards on the action's fields.
 */
export function transition(state: AssignmentState, action: AssignmentAction, actor: Actor, context: MeasureContext): TransitionResult {
  const gate = gateRefusal(action.type, state, actor, context);
  if (gate !== null) return { ok: false, refusal: gate };
  const required = requiredText(action);
  if (required !== null && blank(required.text)) {
    return refuse("reason_required", `To ${actionPhrase[action.type]}, give ${requiredTextLabel[required.field] ?? `the ${required.field}`}.`);
  }
  const guard = stateRefusal(action.type, state, context);
  if (guard !== null) return { ok: false, refusal: guard };

  const rule: ActionRule = actionRules[action.type];
  const from = state.status;
  const to = rule.to ?? from;
  const next: AssignmentState = { ...state, status: to };

  switch (action.type) {
    case "accept":
      return done(next, [event(rule.event, from, to, {})]);
    case "decline":
      // An extension request drafted before the decline lapses with it.
      next.pendingApproval = null;
      return done(next, [event(rule.event, from, to, { reason: action.reason })]);
    case "reportProgress":
      return done(next, [event(rule.event, from, to, { note: action.note })]);
    case "signOff": {
      if (context.leaderApproval === true) {
        // The department requires its leader's approval: the draft waits; the status does not move yet.
        const draft: PendingApproval = { kind: "signOff", summary: action.summary, by: actor.userId ?? null };
        return done({ ...next, status: from, pendingApproval: draft }, [event("assignment.approval_requested", from, from, { kind: "signOff", summary: action.summary })]);
      }
      return done(next, [event(rule.event, from, to, { summary: action.summary })]);
    }
    case "requestExtension": {
      const wrong = extensionRefusal(state, action.until);
      if (wrong !== null) return { ok: false, refusal: wrong };
      if (context.leaderApproval === true) {
        // A draft for the leader: nothing goes to the lead ministry until it is approved.
        const draft: PendingApproval = { kind: "extension", until: action.until, reason: action.reason, by: actor.userId ?? null };
        return done({ ...next, pendingApproval: draft }, [
          event("assignment.approval_requested", from, to, { kind: "extension", until: action.until, reason: action.reason }),
        ]);
      }
      next.pendingExtension = { until: action.until, reason: action.reason };
      return done(
        next,
        [event(rule.event, from, to, { until: action.until, reason: action.reason })],
        [{ kind: "extensionRequested", until: action.until, reason: action.reason, requestedBy: null }],
      );
    }
    case "assignHandler": {
      const wrong = handlerRefusal(state.department, action.division, action.handler);
      if (wrong !== null) return { ok: false, refusal: wrong };
      next.division = action.division.id;
      next.handler = action.handler.id;
      return done(next, [
        event(rule.event, from, to, {
          divisionId: String(action.division.id),
          handlerId: String(action.handler.id),
          previousHandlerId: state.handler === undefined || state.handler === null ? null : String(state.handler),
          note: action.note,
        }),
      ]);
    }
    case "approve": {
      const pending = state.pendingApproval;
      // Checked by stateRefusal; repeated only to narrow the type.
      if (!pending) return { ok: false, refusal: noApprovalPending };
      if (pending.kind === "signOff") {
        return done({ ...next, status: "signed_off", pendingApproval: null }, [
          event("assignment.signed_off", from, "signed_off", { summary: pending.summary, approvedByLeader: true, approvalNote: action.note }),
        ]);
      }
      // The request goes to the lead ministry as asked by the handler who drafted it.
      return done(
        { ...next, pendingApproval: null, pendingExtension: { until: pending.until, reason: pending.reason } },
        [event("assignment.extension_requested", from, to, { until: pending.until, reason: pending.reason, approvedByLeader: true, approvalNote: action.note })],
        [{ kind: "extensionRequested", until: pending.until, reason: pending.reason, requestedBy: pending.by }],
      );
    }
    case "reject": {
      const pending = state.pendingApproval;
      if (!pending) return { ok: false, refusal: noApprovalPending };
      return done({ ...next, pendingApproval: null }, [event(rule.event, from, to, { kind: pending.kind, reason: action.reason })]);
    }
    case "comment":
      return done(next, [event(rule.event, from, to, { body: action.body })], [{ kind: "commentRecorded", body: action.body }]);
    case "reassign": {
      const taken =
        action.toDepartment === state.department ||
        context.others.some((o) => o.department === action.toDepartment && o.status !== "withdrawn");
      if (taken) {
        return refuse("already_responsible", `${action.toDepartment} is already responsible for this measure; choose another department.`);
      }
      if (action.dueDate !== undefined) {
        const wrong = deadlineRefusal(action.dueDate, context.today ?? null, false);
        if (wrong !== null) return { ok: false, refusal: wrong };
        next.dueDate = action.dueDate;
      }
      next.department = action.toDepartment;
      next.pendingExtension = null;
      // The new department hands the work out itself (分办).
      next.division = null;
      next.handler = null;
      next.pendingApproval = null;
      return done(
        next,
        [
          event(rule.event, from, to, {
            fromDepartment: state.department,
            toDepartment: action.toDepartment,
            note: action.note,
            dueDate: next.dueDate,
            previousDueDate: state.dueDate,
          }),
        ],
        [
          { kind: "extensionSettled", status: "cancelled", note: `reassigned to ${action.toDepartment}` },
          { kind: "responsibilityMoved", toDepartment: action.toDepartment },
        ],
      );
    }
    case "reaffirm":
      return done(next, [event(rule.event, from, to, { note: action.note })]);
    case "return": {
      const lead = context.others.find((o) => o.role === "lead");
      // A supporting department's work feeds the lead's consolidated sign-off, so returning it reopens the lead's too.
      const reopenLead = state.role === "supporting" && lead !== undefined && lead.status === "signed_off";
      const effects: AssignmentEffect[] =
        reopenLead && lead !== undefined
          ? [{ kind: "leadReopened", department: lead.department, event: leadReopenedEvent(state.department, action.reason) }]
          : [];
      return done(next, [event(rule.event, from, to, { reason: action.reason })], effects);
    }
    case "withdraw":
      next.pendingExtension = null;
      next.pendingApproval = null;
      return done(next, [event(rule.event, from, to, { reason: action.reason })], [{ kind: "extensionSettled", status: "cancelled", note: action.reason }]);
    case "remind":
      return done(next, [event(rule.event, from, to, { message: action.message })], [{ kind: "reminded" }]);
    case "decideExtension": {
      const pending = state.pendingExtension;
      if (!pending) return { ok: false, refusal: noExtensionPending };
      if (!action.approve && blank(action.note)) {
        return refuse("reason_required", "To refuse an extension request, give a reason in the note.");
      }
      const granted = action.approve ? (action.until ?? pending.until) : null;
      if (granted !== null && granted !== pending.until) {
        // Another date than asked: still a real extension, and not in the past.
        if (state.dueDate === "ongoing" || !isIsoDate(granted) || !isAfter(granted, state.dueDate)) {
          return refuse("invalid_extension", `The date granted must be a date (YYYY-MM-DD) after the current deadline, ${state.dueDate}.`);
        }
        const past = deadlineRefusal(granted, context.today ?? null, false);
        if (past !== null) return { ok: false, refusal: past };
      }
      next.pendingExtension = null;
      if (granted !== null) next.dueDate = granted;
      const type: AssignmentEventType = action.approve ? "assignment.extension_approved" : "assignment.extension_refused";
      return done(
        next,
        [
          event(type, from, to, {
            approve: action.approve,
            until: granted ?? pending.until,
            requested: pending.until,
            note: action.note,
            // The deadline before an approval moved it: the as-of view reads it when the trail has nothing earlier.
            ...(granted === null ? {} : { previousDueDate: state.dueDate }),
          }),
        ],
        [{ kind: "extensionSettled", status: action.approve ? "approved" : "refused", note: action.note }],
      );
    }
  }
}

/** The lead signs off last (牵头汇总): the refusal naming the supporting departments not yet signed off, or null. */
function leadWaitingFor(state: AssignmentState, context: MeasureContext): Refusal | null {
  if (state.role !== "lead") return null;
  const waiting = context.others.filter((o) => o.role === "supporting" && o.status !== "withdrawn" && o.status !== "signed_off");
  if (waiting.length === 0) return null;
  const departments = waiting.map((o) => o.department);
  return {
    code: "supporting_not_signed_off",
    message: `The lead department signs off last (牵头汇总), after every supporting department: waiting for ${departments.join(", ")}.`,
    waitingFor: departments,
  };
}

/** Why no extension can be asked for now, whatever the date (one pending at a time, a deadline to extend), or null. */
function extensionStateRefusal(state: AssignmentState): Refusal | null {
  if (state.pendingExtension) {
    return { code: "extension_pending", message: "An extension request for this assignment already awaits the lead ministry's decision." };
  }
  if (state.dueDate === "ongoing") {
    return { code: "invalid_extension", message: "This assignment is ongoing (持续推进) and has no deadline to extend." };
  }
  return null;
}

/** Why an extension to `until` cannot be asked for now (`extensionStateRefusal`, then a real date after the deadline), or null. */
function extensionRefusal(state: AssignmentState, until: string): Refusal | null {
  const wrong = extensionStateRefusal(state);
  if (wrong !== null) return wrong;
  if (!isIsoDate(until) || !isAfter(until, state.dueDate)) {
    return { code: "invalid_extension", message: `The new deadline must be a date (YYYY-MM-DD) after the current one, ${state.dueDate}.` };
  }
  return null;
}

function pendingMessage(pending: PendingApproval): string {
  const what = pending.kind === "signOff" ? "A sign-off" : "An extension request";
  return `${what} drafted on this assignment already waits for the department leader's approval.`;
}

/**
 * Whether the liaison may hand the work to this division and account (分办): the division is the assigned
 * department's, the account is an enabled handler of that division. Null when it may.
 */
export function handlerRefusal(department: DepartmentCode, division: DivisionRef, handler: HandlerRef): Refusal | null {
  if (division.department !== department) {
    return { code: "invalid_handler", message: `That division belongs to ${division.department}, not to ${department}.` };
  }
  if (handler.role !== "liaison" || handler.department !== department || handler.departmentRole !== "handler") {
    return { code: "invalid_handler", message: `That account is not a handler (承办人) of ${department}.` };
  }
  if (handler.division !== division.id) {
    return { code: "invalid_handler", message: "That handler belongs to another division; choose a handler of the division." };
  }
  if (handler.disabled) return { code: "invalid_handler", message: "That account is disabled; choose another handler." };
  return null;
}

function done(next: AssignmentState, events: AssignmentEvent[], effects: AssignmentEffect[] = []): TransitionResult {
  return { ok: true, next, events, effects };
}

/** The event recorded on the lead's assignment when a returned supporting sign-off reopens it. */
export function leadReopenedEvent(returnedDepartment: string, reason: string): AssignmentEvent {
  return event("assignment.lead_reopened", "signed_off", "in_progress", { returnedDepartment, reason });
}

/**
 * Whether an action of this type is open to the actor now, whatever its fields: the refusal `transition` would give to
 * an action of this type with its required text filled and fields that fit, or null. The checks are `transition`'s own.
 */
function availabilityRefusal(type: AssignmentActionType, state: AssignmentState, actor: Actor, context: MeasureContext): Refusal | null {
  return gateRefusal(type, state, actor, context) ?? stateRefusal(type, state, context);
}

/** The actions this actor may take now: the UI shows only these. */
export function allowedActions(state: AssignmentState, actor: Actor, context: MeasureContext): AssignmentActionType[] {
  return assignmentActionTypes.filter((type) => availabilityRefusal(type, state, actor, context) === null);
}

/** Whether one action is open to the actor now and, when it is not, the domain's refusal saying why. */
export interface ActionAvailability {
  action: AssignmentActionType;
  allowed: boolean;
  refusal: Refusal | null;
}

/**
 * Every action of the table with the answer `transition` would give now (the same checks as `allowedActions`), so that
 * a client shows why an action it does not offer is not open: e.g. a lead told it signs off only after its supporting
 * departments, naming them (`refusal.waitingFor`). The actions of the actor's role come first, in the table's order;
 * those refused only for the role (`wrong_role`, `read_only`) are the other role's and clients usually hide them.
 */
export function actionAvailability(state: AssignmentState, actor: Actor, context: MeasureContext): ActionAvailability[] {
  return assignmentActionTypes.map((type) => {
    const refusal = availabilityRefusal(type, state, actor, context);
    return refusal === null ? { action: type, allowed: true, refusal: null } : { action: type, allowed: false, refusal };
  });
}
