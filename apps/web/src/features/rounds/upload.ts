/**
 * A round report's draft or submission with its files, over `POST /attachments/round-report/:id` (multipart;
 * lib/multipart.ts).
 */
import { postMultipart } from "../../lib/multipart.js";

export interface ReportUpload {
  reportId: number;
  expectedVersion: number;
  action: "saveDraft" | "submit";
  progress: string;
  problems: string;
  nextSteps: string;
  files: readonly File[];
}

export async function uploadReport(input: ReportUpload, onProgress: (fraction: number) => void): Promise<{ version: number; status: string }> {
  const form = new FormData();
  form.set("action", input.action);
  form.set("expectedVersion", String(input.expectedVersion));
  form.set("progress", input.progress);
  form.set("problems", input.problems);
  form.set("nextSteps", input.nextSteps);
  for (const file of input.files) form.append("file", file, file.name);
  const result = await postMultipart(`/attachments/round-report/${input.reportId}`, form, onProgress);
  const { version, status } = (result ?? {}) as { version?: unknown; status?: unknown };
  if (typeof version !== "number" || typeof status !== "string") throw new Error("The server's answer to the upload lacks the report's version and status.");
  return { version, status };
}

export interface LevelReportUpload {
  levelReportId: number;
  expectedVersion: number;
  action: "saveDraft" | "submit";
  progress: string;
  problems: string;
  nextSteps: string;
  files: readonly File[];
}

/** The office's report to the level above, draft or submission, with its own evidence files (`POST /attachments/level-report/:id`). */
export async function uploadLevelReport(input: LevelReportUpload, onProgress: (fraction: number) => void): Promise<{ version: number; status: string }> {
  const form = new FormData();
  form.set("action", input.action);
  form.set("expectedVersion", String(input.expectedVersion));
  form.set("progress", input.progress);
  form.set("problems", input.problems);
  form.set("nextSteps", input.nextSteps);
  for (const file of input.files) form.append("file", file, file.name);
  const result = await postMultipart(`/attachments/level-report/${input.levelReportId}`, form, onProgress);
  const { version, status } = (result ?? {}) as { version?: unknown; status?: unknown };
  if (typeof version !== "number" || typeof status !== "string") throw new Error("The server's answer to the upload lacks the report's version and status.");
  return { version, status };
}
