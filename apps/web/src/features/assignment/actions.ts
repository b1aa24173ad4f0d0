import type { ActionTakingFiles, AssignmentActionType, DepartmentCode } from "@countersign/domain";
import {
  actionTakesFiles,
  approveInputSchema,
  assignHandlerInputSchema,
  rejectInputSchema,
  decideExtensionInputSchema,
  declineInputSchema,
  isBlankText,
  normaliseText,
  reaffirmInputSchema,
  reassignInputSchema,
  remindInputSchema,
  reportProgressInputSchema,
  requestExtensionInputSchema,
  returnInputSchema,
  signOffInputSchema,
  withdrawInputSchema,
} from "@countersign/domain";
import { idempotent } from "../../lib/idempotency.js";
import { trpcClient } from "../../trpc.js";
import { uploadAssignmentAction } from "./upload.js";

/** Actions that ask for something (a reason, a note, a date, a department) in a dialog. */
export type DialogActionType = Exclude<AssignmentActionType, "accept" | "comment">;

export type ActionField = "reason" | "note" | "summary" | "until" | "message" | "body" | "toDepartment" | "approve" | "dueDate" | "handler";

/** The input fields of each action, as the API names them; the shared zod schemas say which are required. */
export const dialogFields: Record<DialogActionType, readonly ActionField[]> = {
  decline: ["reason"],
  reportProgress: ["note"],
  signOff: ["summary"],
  requestExtension: ["until", "reason"],
  reassign: ["toDepartment", "note", "dueDate"],
  reaffirm: ["note"],
  return: ["reason"],
  withdraw: ["reason"],
  remind: ["message"],
  decideExtension: ["approve", "until", "note"],
  // Inside the department: 分办 to a division's handler, the leader's approval (optional note) or return (reason).
  assignHandler: ["handler", "note"],
  approve: ["note"],
  reject: ["reason"],
};

export type ActionValues = Partial<Record<Exclude<ActionField, "approve">, string>> & {
  approve?: boolean;
  /** Files to attach, for the actions that take them (the domain's `actionTakesFiles`). */
  files?: readonly File[];
};

interface Ref {
  id: number;
  expectedVersion: number;
}

const schemas = {
  decline: declineInputSchema,
  reportProgress: reportProgressInputSchema,
  signOff: signOffInputSchema,
  requestExtension: requestExtensionInputSchema,
  reassign: reassignInputSchema,
  reaffirm: reaffirmInputSchema,
  return: returnInputSchema,
  withdraw: withdrawInputSchema,
  remind: remindInputSchema,
  decideExtension: decideExtensionInputSchema,
  assignHandler: assignHandlerInputSchema,
  approve: approveInputSchema,
  reject: rejectInputSchema,
} as const;

/** The handler chosen in the dialog: "divisionId:handlerId". */
export function handlerChoice(value: string | undefined): { divisionId: number; handlerId: number } | null {
  const match = /^(\d+):(\d+)$/.exec(value ?? "");
  if (match === null) return null;
  return { divisionId: Number(match[1]), handlerId: Number(match[2]) };
}

/** Fields the shared schema rejects, so the dialog can say which to fill in before anything is sent. */
export function invalidFields(action: DialogActionType, ref: Ref, values: ActionValues): ActionField[] {
  const chosen = handlerChoice(values.handler);
  const input = { ...ref, ...withoutEmptyOptionals(action, values), ...(action === "assignHandler" ? (chosen ?? {}) : {}) };
  const result = schemas[action].safeParse(input);
  const fields = new Set<ActionField>();
  if (action === "assignHandler" && chosen === null) fields.add("handler");
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path[0];
      if (typeof field === "string" && (dialogFields[action] as readonly string[]).includes(field)) fields.add(field as ActionField);
    }
  }
  // Refusing an extension needs a reason (the workflow refuses it otherwise); ask before sending.
  if (action === "decideExtension" && values.approve === false && isBlankText(values.note ?? "")) fields.add("note");
  if (action === "decideExtension" && values.approve === undefined) fields.add("approve");
  return [...fields];
}

/** Optional dates left empty are not sent: reassign keeps the deadline, an approval grants the date asked for. */
function withoutEmptyOptionals(action: DialogActionType, values: ActionValues): ActionValues {
  const out: ActionValues = { ...values };
  if (!out.dueDate?.trim()) delete out.dueDate;
  if (action === "decideExtension" && (!out.until?.trim() || out.approve !== true)) delete out.until;
  return out;
}

/** The text fields of an action that takes files, as its multipart upload sends them (its tRPC input's names). */
function uploadFields(action: ActionTakingFiles, text: (field: Exclude<ActionField, "approve">) => string): Record<string, string> {
  switch (action) {
    case "reportProgress":
      return { note: text("note") };
    case "signOff":
      return { summary: text("summary") };
    case "requestExtension":
      return { until: text("until"), reason: text("reason") };
    case "return":
      return { reason: text("reason") };
    case "comment":
      return { body: text("body") };
  }
}

/**
 * Sends one assignment action; the server checks everything again. With files (an action that takes them), the
 * action and its files go in one multipart request, `onProgress` told the fraction sent. With `idempotencyKey` (one per intent, see
 * lib/idempotency.ts) a repeat of the same request gets the first answer instead of a conflict.
 */
export async function runAssignmentAction(
  action: AssignmentActionType,
  ref: Ref,
  values: ActionValues,
  idempotencyKey?: string,
  onProgress: (fraction: number) => void = () => {},
): Promise<unknown> {
  const text = (field: Exclude<ActionField, "approve">): string => normaliseText(values[field] ?? "");
  const files = values.files ?? [];
  if (files.length > 0 && actionTakesFiles(action)) {
    return uploadAssignmentAction(
      { ...ref, action, fields: uploadFields(action, text), files, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) },
      onProgress,
    );
  }
  const a = trpcClient.assignment;
  const o = idempotencyKey === undefined ? undefined : { context: idempotent(idempotencyKey) };
  switch (action) {
    case "accept":
      return a.accept.mutate(ref, o);
    case "decline":
      return a.decline.mutate({ ...ref, reason: text("reason") }, o);
    case "reportProgress":
      return a.reportProgress.mutate({ ...ref, note: text("note") }, o);
    case "signOff":
      return a.signOff.mutate({ ...ref, summary: text("summary") }, o);
    case "requestExtension":
      return a.requestExtension.mutate({ ...ref, until: text("until"), reason: text("reason") }, o);
    case "comment":
      return a.comment.mutate({ ...ref, body: text("body") }, o);
    case "reassign":
      return a.reassign.mutate(
        {
          ...ref,
          toDepartment: text("toDepartment") as DepartmentCode,
          note: text("note"),
          ...(text("dueDate") === "" ? {} : { dueDate: text("dueDate") }),
        },
        o,
      );
    case "reaffirm":
      return a.reaffirm.mutate({ ...ref, note: text("note") }, o);
    case "return":
      return a.return.mutate({ ...ref, reason: text("reason") }, o);
    case "withdraw":
      return a.withdraw.mutate({ ...ref, reason: text("reason") }, o);
    case "remind":
      return a.remind.mutate({ ...ref, message: text("message") }, o);
    case "assignHandler": {
      const chosen = handlerChoice(values.handler);
      if (chosen === null) throw new Error("no handler chosen");
      return a.assignHandler.mutate({ ...ref, ...chosen, note: text("note") }, o);
    }
    case "approve":
      return a.approve.mutate({ ...ref, note: text("note") }, o);
    case "reject":
      return a.reject.mutate({ ...ref, reason: text("reason") }, o);
    case "decideExtension":
      return a.decideExtension.mutate(
        {
          ...ref,
          approve: values.approve === true,
          note: text("note"),
          ...(values.approve === true && text("until") !== "" ? { until: text("until") } : {}),
        },
        o,
      );
  }
}
