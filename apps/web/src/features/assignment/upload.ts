/**
 * An assignment action with files, over `POST /attachments/assignment/:id` (multipart; docs/api.md), with upload
 * progress (XMLHttpRequest reports it; fetch does not). A refusal comes back as a TRPCClientError carrying the same
 * `data` (code, refusalCode) as a tRPC call's, so the page handles both alike (a stale version is a CONFLICT).
 */
import type { ActionTakingFiles } from "@countersign/domain";
import { TRPCClientError } from "@trpc/client";

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
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/attachments/assignment/${input.id}`);
    xhr.setRequestHeader("X-Countersign-Upload", "1");
    if (input.idempotencyKey !== undefined) xhr.setRequestHeader("Idempotency-Key", input.idempotencyKey);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { result?: unknown; error?: { message?: string; data?: Record<string, unknown> } } | null;
      if (xhr.status >= 200 && xhr.status < 300 && body?.result !== undefined) {
        onProgress(1);
        resolve(body.result);
        return;
      }
      const message = body?.error?.message ?? xhr.statusText;
      reject(TRPCClientError.from({ error: { code: -32000, message, data: { httpStatus: xhr.status, ...(body?.error?.data ?? {}) } } }));
    };
    xhr.onerror = () => reject(new TRPCClientError("The upload did not reach the server."));
    xhr.send(form);
  });
}
