import { TRPCClientError } from "@trpc/client";
import i18next from "i18next";

/** The tRPC error code ("CONFLICT", "UNAUTHORIZED"...) of an error from the server, if it is one. */
export function errorCode(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  if (typeof data === "object" && data !== null && "code" in data && typeof data.code === "string") return data.code;
  return null;
}

function errorData(error: unknown): Record<string, unknown> | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  return typeof data === "object" && data !== null ? (data as Record<string, unknown>) : null;
}

/** The server's stable code ("supporting_not_signed_off", "stale_version"...), when it sends one. */
export function refusalCode(error: unknown): string | null {
  const value = errorData(error)?.["refusalCode"];
  return typeof value === "string" ? value : null;
}

/** On `too_many_attempts` the server says in how many seconds sign-in is allowed again. */
export function retryAfterSeconds(error: unknown): number | null {
  const value = errorData(error)?.["retryAfterSeconds"];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** On CONFLICT the server says what the assignment's status is now. */
export function conflictStatus(error: unknown): string | null {
  const current = errorData(error)?.["current"];
  if (typeof current === "object" && current !== null && "status" in current && typeof current.status === "string") return current.status;
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

/** A refusal in the reader's language when its code is known; the server's own words otherwise. */
export function describeError(error: unknown): string {
  const code = refusalCode(error);
  if (code !== null && i18next.exists(`refusal.${code}`)) {
    const translated = i18next.t(`refusal.${code}` as "refusal.not_found");
    // The server's message names the specifics (which departments are still waiting, the current deadline).
    return i18next.language === "en" ? errorMessage(error) || translated : translated;
  }
  return errorMessage(error);
}

/**
 * The input field the server names as at fault (`field` of its error data), reduced to the top-level name:
 * "measureNumbers[0]" → "measureNumbers"; null when it names none.
 */
export function errorField(error: unknown): string | null {
  const value = errorData(error)?.["field"];
  if (typeof value !== "string" || value === "" || value === "(input)") return null;
  return value.split(/[.[]/)[0] ?? null;
}
