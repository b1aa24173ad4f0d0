import { actionTakesFiles } from "@countersign/domain";
import type { AssignmentActionType } from "@countersign/domain";
import { idempotent } from "../../lib/idempotency.js";
import { trpcClient } from "../../trpc.js";
import { actionInput, uploadFields } from "./action-input.js";
import type { ActionValues, Ref } from "./action-input.js";
import { uploadAssignmentAction } from "./upload.js";

export { dialogFields, handlerChoice, invalidFields, isDialogAction, isRequiredField, offeredActions } from "./action-input.js";
export type { ActionField, ActionValues, DialogActionType } from "./action-input.js";

type MutationOptions = Parameters<typeof trpcClient.assignment.accept.mutate>[1];

/**
 * The procedure `assignment.<action>` (one per registry entry, server side too). Typed loosely on purpose: its input
 * is built from the same registry entry by `actionInput`, and the server validates it with that entry's schema.
 */
function procedureOf(action: AssignmentActionType): { mutate: (input: Ref & Record<string, unknown>, options?: MutationOptions) => Promise<unknown> } {
  return trpcClient.assignment[action] as { mutate: (input: Ref & Record<string, unknown>, options?: MutationOptions) => Promise<unknown> };
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
  const files = values.files ?? [];
  if (files.length > 0 && actionTakesFiles(action)) {
    return uploadAssignmentAction(
      { ...ref, action, fields: uploadFields(action, ref, values), files, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) },
      onProgress,
    );
  }
  if (action === "assignHandler" && !("handlerId" in actionInput(action, ref, values))) throw new Error("no handler chosen");
  const options = idempotencyKey === undefined ? undefined : { context: idempotent(idempotencyKey) };
  return procedureOf(action).mutate(actionInput(action, ref, values), options);
}
