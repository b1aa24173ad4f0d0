/**
 * A round report's draft or submission with its files, over `POST /attachments/round-report/:id` (multipart), with
 * upload progress (XMLHttpRequest reports it; fetch does not). The session cookie authenticates; the header
 * `X-Countersign-Upload: 1` is what the server requires of every upload.
 */
export interface ReportUpload {
  reportId: number;
  expectedVersion: number;
  action: "saveDraft" | "submit";
  progress: string;
  problems: string;
  nextSteps: string;
  files: readonly File[];
}

export interface UploadFailure {
  status: number;
  refusalCode: string | null;
  message: string;
}

export function uploadReport(input: ReportUpload, onProgress: (fraction: number) => void): Promise<{ version: number; status: string }> {
  const form = new FormData();
  form.set("action", input.action);
  form.set("expectedVersion", String(input.expectedVersion));
  form.set("progress", input.progress);
  form.set("problems", input.problems);
  form.set("nextSteps", input.nextSteps);
  for (const file of input.files) form.append("file", file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/attachments/round-report/${input.reportId}`);
    xhr.setRequestHeader("X-Countersign-Upload", "1");
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { result?: { version: number; status: string }; error?: { message?: string; data?: { refusalCode?: string } } } | null;
      if (xhr.status >= 200 && xhr.status < 300 && body?.result) {
        onProgress(1);
        resolve(body.result);
        return;
      }
      const failure: UploadFailure = { status: xhr.status, refusalCode: body?.error?.data?.refusalCode ?? null, message: body?.error?.message ?? xhr.statusText };
      reject(failure);
    };
    xhr.onerror = () => reject({ status: 0, refusalCode: null, message: "network" } satisfies UploadFailure);
    xhr.send(form);
  });
}

export function isUploadFailure(error: unknown): error is UploadFailure {
  return typeof error === "object" && error !== null && "status" in error && "message" in error;
}
