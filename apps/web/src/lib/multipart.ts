/**
 * A multipart upload (`POST /attachments/...`, docs/api.md) with upload progress (XMLHttpRequest reports it; fetch does
 * not). The session cookie authenticates; `X-Countersign-Upload: 1` is what the server requires of every upload.
 * Resolves with the answer's `result`; a refusal rejects with a TRPCClientError carrying the same `data` (code,
 * refusalCode) as a tRPC call's, so pages handle both alike (`describeError`, a stale version is a CONFLICT).
 */
import { TRPCClientError } from "@trpc/client";

export function postMultipart(url: string, form: FormData, onProgress: (fraction: number) => void, headers: Record<string, string> = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-Countersign-Upload", "1");
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
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
