import { TRPCClientError } from "@trpc/client";

/** The tRPC error code ("CONFLICT", "UNAUTHORIZED"...) of an error from the server, if it is one. */
export function errorCode(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  if (typeof data === "object" && data !== null && "code" in data && typeof data.code === "string") return data.code;
  return null;
}

/** The stable refusal code of the domain ("supporting_not_signed_off"...) when the server sends one. */
export function refusalCode(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null) return null;
  for (const key of ["refusal", "refusalCode", "appCode", "domainCode", "reason"] as const) {
    if (key in data) {
      const value: unknown = (data as Record<string, unknown>)[key];
      if (typeof value === "string") return value;
      if (typeof value === "object" && value !== null && "code" in value && typeof value.code === "string") return value.code;
    }
  }
  return null;
}

export function isExpiredSession(error: unknown): boolean {
  return errorCode(error) === "UNAUTHORIZED";
}

export function isConflict(error: unknown): boolean {
  return errorCode(error) === "CONFLICT";
}

/** The server's message, for showing under a generic explanation. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
