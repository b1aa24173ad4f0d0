/**
 * A report's draft or submission with its files, over multipart (lib/multipart.ts): a department's round report
 * (`POST /attachments/round-report/:id`) or an office's report to the level above (`POST /attachments/level-report/:id`).
 * Both routes take the same fields and answer the report's new version and status.
 */
import { postMultipart } from "../../lib/multipart.js";

/** The act and its text and files, as both routes take them. */
export interface ReportActUpload {
  expectedVersion: number;
  action: "saveDraft" | "submit";
  progress: string;
  problems: string;
  nextSteps: string;
  files: readonly File[];
}

export interface ReportUpload extends ReportActUpload {
  reportId: number;
}

export interface LevelReportUpload extends ReportActUpload {
  levelReportId: number;
}

/** Posts the act to `path`; throws when the answer lacks the report's version and status. */
async function uploadReportAct(path: string, input: ReportActUpload, onProgress: (fraction: number) => void): Promise<{ version: number; status: string }> {
  const form = new FormData();
  form.set("action", input.action);
  form.set("expectedVersion", String(input.expectedVersion));
  form.set("progress", input.progress);
  form.set("problems", input.problems);
  form.set("nextSteps", input.nextSteps);
  for (const file of input.files) form.append("file", file, file.name);
  const result = await postMultipart(path, form, onProgress);
  const { version, status } = (result ?? {}) as { version?: unknown; status?: unknown };
  if (typeof version !== "number" || typeof status !== "string") throw new Error("The server's answer to the upload lacks the report's version and status.");
  return { version, status };
}

/** A department's round report, draft or submission, with its files. */
export function uploadReport(input: ReportUpload, onProgress: (fraction: number) => void): Promise<{ version: number; status: string }> {
  return uploadReportAct(`/attachments/round-report/${input.reportId}`, input, onProgress);
}

/** The office's report to the level above, draft or submission, with its own evidence files. */
export function uploadLevelReport(input: LevelReportUpload, onProgress: (fraction: number) => void): Promise<{ version: number; status: string }> {
  return uploadReportAct(`/attachments/level-report/${input.levelReportId}`, input, onProgress);
}

/**
 * A new version of a file of the office's report to the level above (`POST /attachments/level-report-files/:id/replace`):
 * the old one is kept, marked superseded. `expectedVersion` is the level report's.
 */
export async function replaceLevelReportFile(
  input: { fileId: number; expectedVersion: number; file: File },
  onProgress: (fraction: number) => void,
): Promise<{ version: number; replacementId: number }> {
  const form = new FormData();
  form.set("expectedVersion", String(input.expectedVersion));
  form.append("file", input.file, input.file.name);
  const result = await postMultipart(`/attachments/level-report-files/${input.fileId}/replace`, form, onProgress);
  const { version, replacementId } = (result ?? {}) as { version?: unknown; replacementId?: unknown };
  if (typeof version !== "number" || typeof replacementId !== "number") throw new Error("The server's answer to the replacement lacks the report's version.");
  return { version, replacementId };
}
