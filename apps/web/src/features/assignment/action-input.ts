/**
 * What the web asks for each assignment action and sends for it, read from the domain's action registry
 * (`assignmentActions`: each action's fields, which are optional, its input schema): no list of fields per action here.
 * Pure, so that it is tested without a browser.
 */
import { actionFieldNames, actionFieldOptional, assignmentActionOrder, assignmentActions, isBlankText, normaliseText } from "@countersign/domain";
import type { AssignmentActionType } from "@countersign/domain";

/** Actions that ask for something (a reason, a note, a date, a department) in a dialog; comments have their own box. */
export type DialogActionType = Exclude<AssignmentActionType, "accept" | "comment">;

/** A field of an action's dialog: the registry's fields by their API names, except 分办's division and handler, chosen as one. */
export type ActionField = "reason" | "note" | "summary" | "until" | "message" | "body" | "toDepartment" | "approve" | "dueDate" | "handler";

export type ActionValues = Partial<Record<Exclude<ActionField, "approve">, string>> & {
  approve?: boolean;
  /** Files to attach, for the actions that take them (the domain's `actionTakesFiles`). */
  files?: readonly File[];
};

export interface Ref {
  id: number;
  expectedVersion: number;
}

/** The actions offered as buttons, in the registry's order (the usual next step first); comments have their own box. */
export const offeredActions: readonly AssignmentActionType[] = assignmentActionOrder.filter((a) => a !== "comment");

export function isDialogAction(action: string): action is DialogActionType {
  return action !== "accept" && action !== "comment" && (assignmentActionOrder as readonly string[]).includes(action);
}

const handlerParts: ReadonlySet<string> = new Set(["divisionId", "handlerId"]);

function isActionField(name: string): name is ActionField {
  return (["reason", "note", "summary", "until", "message", "body", "toDepartment", "approve", "dueDate", "handler"] as const).some((f) => f === name);
}

/** The fields an action's dialog asks for, in the registry's order (分办's division and handler as one choice). */
export function dialogFields(action: AssignmentActionType): readonly ActionField[] {
  const fields: ActionField[] = [];
  for (const name of actionFieldNames(action)) {
    const field = handlerParts.has(name) ? "handler" : name;
    if (isActionField(field) && !fields.includes(field)) fields.push(field);
  }
  return fields;
}

/**
 * Whether the dialog marks the field required: the registry's schema says so, except that refusing an extension
 * needs a note (the workflow refuses it otherwise) and a date to grant is asked only on approval.
 */
export function isRequiredField(action: AssignmentActionType, field: ActionField, approve: boolean | undefined): boolean {
  if (field === "handler") return true;
  if (action === "decideExtension" && field === "note") return approve === false;
  return !actionFieldOptional(action, field);
}

/** The handler chosen in the dialog: "divisionId:handlerId". */
export function handlerChoice(value: string | undefined): { divisionId: number; handlerId: number } | null {
  const match = /^(\d+):(\d+)$/.exec(value ?? "");
  if (match === null) return null;
  return { divisionId: Number(match[1]), handlerId: Number(match[2]) };
}

/**
 * The action's procedure input built from what was typed, field by field as the registry lists them: texts
 * normalised, an optional field left empty not sent (reassign keeps the deadline, an approval grants the date asked
 * for, an empty message or note is ""), another date granted only on approval, 分办's choice as its two ids.
 */
export function actionInput(action: AssignmentActionType, ref: Ref, values: ActionValues): Ref & Record<string, unknown> {
  const input: Ref & Record<string, unknown> = { ...ref };
  const chosen = handlerChoice(values.handler);
  for (const name of actionFieldNames(action)) {
    if (name === "approve") {
      input.approve = values.approve === true;
      continue;
    }
    if (name === "divisionId" || name === "handlerId") {
      if (chosen !== null) input[name] = chosen[name];
      continue;
    }
    if (action === "decideExtension" && name === "until" && values.approve !== true) continue;
    const typed = isActionField(name) && name !== "approve" ? values[name] : undefined;
    const text = normaliseText(typed ?? "");
    if (text === "" && actionFieldOptional(action, name)) continue;
    input[name] = text;
  }
  return input;
}

/** Fields the shared schema rejects, so the dialog can say which to fill in before anything is sent. */
export function invalidFields(action: DialogActionType, ref: Ref, values: ActionValues): ActionField[] {
  const result = assignmentActions[action].input.safeParse(actionInput(action, ref, values));
  const fields = new Set<ActionField>();
  if (action === "assignHandler" && handlerChoice(values.handler) === null) fields.add("handler");
  const asked = dialogFields(action);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? "");
      const field = handlerParts.has(name) ? "handler" : name;
      if (isActionField(field) && asked.includes(field)) fields.add(field);
    }
  }
  // Refusing an extension needs a reason (the workflow refuses it otherwise); ask before sending.
  if (action === "decideExtension" && values.approve === false && isBlankText(values.note ?? "")) fields.add("note");
  if (action === "decideExtension" && values.approve === undefined) fields.add("approve");
  return [...fields];
}

/** The text fields of an action, as its multipart upload sends them (its tRPC input's names and values). */
export function uploadFields(action: AssignmentActionType, ref: Ref, values: ActionValues): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(actionInput(action, ref, values))) {
    if (name !== "id" && name !== "expectedVersion" && typeof value === "string") fields[name] = value;
  }
  return fields;
}
