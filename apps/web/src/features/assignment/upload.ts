/**
 * An assignment action with files, over `POST /attachments/assignment/:id` (multipart; docs/api.md; lib/multipart.ts).
 */
import type { ActionTakingFiles } from "@countersign/domain";
import { postMultipart } from "../../lib/multipart.js";

export interface AssignmentUpload {
  id: number;
  expectedVersion: number;
  action: ActionTakingFiles;
  /** The action's own fields (note, summary, until, reason, body), as its tRPC procedure takes them. */
  fields: Record<string, string>;
  files: readonly File[];
  idempotencyKey?: string;
}

export function uploadAssignmentAction(input: AssignmentUpload, onProgress: (fraction: number) => void): Promise<unknown> {
  const form = new FormData();
  form.set("action", input.action);
  form.set("expectedVersion", String(input.expectedVersion));
  for (const [k, v] of Object.entries(input.fields)) form.set(k, v);
  for (const file of input.files) form.append("file", file, file.name);
  return postMultipart(
    `/attachments/assignment/${input.id}`,
    form,
    onProgress,
    input.idempotencyKey === undefined ? {} : { "Idempotency-Key": input.idempotencyKey },
  );
}
