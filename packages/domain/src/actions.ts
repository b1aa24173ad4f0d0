/**
 * The registry of assignment actions (issue 13, point 2 "one place per rule"): each action is one entry holding its
 * input fields (the zod schema the API, the multipart upload and the web's dialog validate with, and from which the
 * action's TypeScript type is derived), the text it requires, its label in both languages and its place in the order
 * in which actions are offered. The workflow (workflow.ts), the server's procedures (one per entry, named by its key)
 * and the web's action switch and dialog read this; adding an action is one entry here plus its rule in the
 * transition table (`actionRules`), which TypeScript then requires.
 */
import { z } from "zod";
import type { Language } from "./matrix.js";
import { assignmentRefSchema, departmentCodeSchema, dueDateSchema, isoDateSchema, optionalTextSchema, requiredTextSchema } from "./schemas.js";

interface ActionSpec<F extends z.ZodRawShape> {
  /** The action's own input fields (beside the assignment's `id` and `expectedVersion`), in the order a form asks for them. */
  fields: F;
  /** The field that must hold text that shows something, if any (the workflow refuses the action with `reason_required`). */
  requires: (keyof F & string) | null;
  /** The action's name as a button, a dialog title and a line of history say it (the glossary's `action`). */
  label: Record<Language, string>;
  /** Where the action is offered among the others: the usual next step first (0-based, distinct). */
  order: number;
}

/** One entry: the spec and its procedure input, the fields beside the assignment reference. */
function defineAction<const F extends z.ZodRawShape>(spec: ActionSpec<F>) {
  return { ...spec, input: assignmentRefSchema.extend(spec.fields) };
}

/**
 * Every assignment action, keyed by its type (also its tRPC procedure `assignment.<type>` and its multipart `action`).
 * The key order is the transition table's (`allowedActions` and `actionAvailability` list actions in it); `order`
 * is the order offered to people.
 */
export const assignmentActions = {
  accept: defineAction({ fields: {}, requires: null, label: { zh: "签收", en: "Accept" }, order: 0 }),
  decline: defineAction({ fields: { reason: requiredTextSchema }, requires: "reason", label: { zh: "申请调整", en: "Decline" }, order: 7 }),
  reportProgress: defineAction({
    fields: { note: requiredTextSchema },
    requires: "note",
    label: { zh: "进展反馈", en: "Report progress" },
    order: 4,
  }),
  signOff: defineAction({ fields: { summary: requiredTextSchema }, requires: "summary", label: { zh: "报结", en: "Sign off" }, order: 5 }),
  requestExtension: defineAction({
    fields: { until: isoDateSchema, reason: requiredTextSchema },
    requires: "reason",
    label: { zh: "延期申请", en: "Request an extension" },
    order: 6,
  }),
  // Offered as the comment box under the history rather than as a button.
  comment: defineAction({ fields: { body: requiredTextSchema }, requires: "body", label: { zh: "发表意见", en: "Comment" }, order: 14 }),
  /** 分办: the liaison hands the work to a division (处室) and one of its handlers (承办人), with a note. */
  assignHandler: defineAction({
    fields: { divisionId: z.number().int().positive(), handlerId: z.number().int().positive(), note: requiredTextSchema },
    requires: "note",
    label: { zh: "分办", en: "Assign to a handler" },
    order: 3,
  }),
  /** 审核/签发: the department leader lets the handler's draft go out; the note is optional. */
  approve: defineAction({ fields: { note: optionalTextSchema.default("") }, requires: null, label: { zh: "审核签发", en: "Approve and send" }, order: 1 }),
  /** The department leader sends the draft back to the handler, with a reason. */
  reject: defineAction({ fields: { reason: requiredTextSchema }, requires: "reason", label: { zh: "退回承办人", en: "Return to the handler" }, order: 2 }),
  /** 改派: the note says why (the departments concerned read it); `dueDate` sets the new department's deadline (absent: kept). */
  reassign: defineAction({
    fields: { toDepartment: departmentCodeSchema, note: requiredTextSchema, dueDate: dueDateSchema.optional() },
    requires: "note",
    label: { zh: "改派", en: "Reassign" },
    order: 9,
  }),
  reaffirm: defineAction({ fields: { note: requiredTextSchema }, requires: "note", label: { zh: "维持交办", en: "Reaffirm" }, order: 10 }),
  return: defineAction({ fields: { reason: requiredTextSchema }, requires: "reason", label: { zh: "退回重办", en: "Return for rework" }, order: 12 }),
  withdraw: defineAction({ fields: { reason: requiredTextSchema }, requires: "reason", label: { zh: "撤销", en: "Withdraw" }, order: 13 }),
  remind: defineAction({ fields: { message: optionalTextSchema.default("") }, requires: null, label: { zh: "催办", en: "Remind" }, order: 11 }),
  /**
   * On approval `until` may grant another date than the one asked for (absent: the date asked for). A refusal needs a
   * note: the workflow says so (`reason_required`), since whether the note is required depends on `approve`.
   */
  decideExtension: defineAction({
    fields: { approve: z.boolean(), until: isoDateSchema.optional(), note: optionalTextSchema.default("") },
    requires: null,
    label: { zh: "审批延期申请", en: "Decide on the extension" },
    order: 8,
  }),
};

type Registry = typeof assignmentActions;

/** An action's type: its key in the registry. */
export type AssignmentActionType = keyof Registry;

/** The input of the procedure `assignment.<K>` as it arrives after validation (`id`, `expectedVersion` and the fields). */
export type AssignmentActionInput<K extends AssignmentActionType> = z.output<Registry[K]["input"]>;

/** Flattens an intersection so that editors and errors show one object type. */
type Flat<T> = { [P in keyof T]: T[P] } & {};

/** An action's own fields after validation (none for accept: an empty shape would read as "any key, never a value"). */
type FieldsOf<K extends AssignmentActionType> = [keyof Registry[K]["fields"]] extends [never]
  ? Record<never, never>
  : z.output<z.ZodObject<Registry[K]["fields"]>>;

/** One action as a caller asks for it: its type and its own fields, e.g. `{ type: "decline", reason }` (distributes over a union K). */
export type AssignmentRequestOf<K extends AssignmentActionType> = K extends AssignmentActionType ? Flat<{ type: K } & FieldsOf<K>> : never;

/** Any action as a caller asks for it (分办 names its division and handler by id; the server resolves them). */
export type AssignmentRequest = { [K in AssignmentActionType]: AssignmentRequestOf<K> }[AssignmentActionType];

/** The action types in the registry's (the transition table's) order. */
export const assignmentActionTypes = Object.keys(assignmentActions) as AssignmentActionType[];

/** The action types in the order they are offered to people: the usual next step first. */
export const assignmentActionOrder: readonly AssignmentActionType[] = [...assignmentActionTypes].sort(
  (a, b) => assignmentActions[a].order - assignmentActions[b].order,
);

/** The names of an action's own input fields, in the order a form asks for them. */
export function actionFieldNames(type: AssignmentActionType): readonly string[] {
  return Object.keys(assignmentActions[type].fields);
}

/** Whether the action's input field may be left out or empty (an optional date, a text with a default ""). */
export function actionFieldOptional(type: AssignmentActionType, field: string): boolean {
  const shape: z.ZodRawShape = assignmentActions[type].fields;
  const schema = shape[field];
  return schema !== undefined && z.safeParse(schema, undefined).success;
}

/**
 * An action's validated procedure input → the action as the workflow's caller asks for it: the assignment reference
 * dropped, the type added. E.g. `{ id: 3, expectedVersion: 1, reason: "x" }` for decline → `{ type: "decline", reason: "x" }`.
 */
export function requestOf<K extends AssignmentActionType>(type: K, input: AssignmentActionInput<K>): AssignmentRequestOf<K> {
  const { id: _id, expectedVersion: _version, ...fields } = input as { id: number; expectedVersion: number } & Record<string, unknown>;
  // The registry's schema produced `input`, so its fields are exactly the action's: the type is the registry's own.
  return { type, ...fields } as AssignmentRequestOf<K>;
}

/**
 * Parses a candidate procedure input for the action of this type with its registry schema (the multipart upload reads
 * its fields this way): the request, or the zod issues.
 */
export function parseActionRequest(
  type: AssignmentActionType,
  candidate: unknown,
): { ok: true; id: number; expectedVersion: number; request: AssignmentRequest } | { ok: false; issues: z.core.$ZodIssue[] } {
  const parsed = assignmentActions[type].input.safeParse(candidate);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  return { ok: true, id: parsed.data.id, expectedVersion: parsed.data.expectedVersion, request: requestOf(type, parsed.data) };
}

// The procedure inputs under their former names, for the callers that name one action (the same schema objects).
export const acceptInputSchema = assignmentActions.accept.input;
export const declineInputSchema = assignmentActions.decline.input;
export const reportProgressInputSchema = assignmentActions.reportProgress.input;
export const signOffInputSchema = assignmentActions.signOff.input;
export const requestExtensionInputSchema = assignmentActions.requestExtension.input;
export const commentInputSchema = assignmentActions.comment.input;
export const assignHandlerInputSchema = assignmentActions.assignHandler.input;
export const approveInputSchema = assignmentActions.approve.input;
export const rejectInputSchema = assignmentActions.reject.input;
export const reassignInputSchema = assignmentActions.reassign.input;
export const reaffirmInputSchema = assignmentActions.reaffirm.input;
export const returnInputSchema = assignmentActions.return.input;
export const withdrawInputSchema = assignmentActions.withdraw.input;
export const remindInputSchema = assignmentActions.remind.input;
export const decideExtensionInputSchema = assignmentActions.decideExtension.input;
