import type { TFunction } from "i18next";
import type { Language } from "../../i18n/i18n.js";
import { describeError, errorCode, errorMessage, refusalCode, retryAfterSeconds } from "../../lib/errors.js";

/** "15 minutes" / "15 分钟", rounded up as the server rounds its own message. */
export function waitText(seconds: number, t: TFunction): string {
  if (seconds < 60) {
    const n = Math.max(1, Math.ceil(seconds));
    return n === 1 ? t("auth.waitOneSecond") : t("auth.waitSeconds", { n });
  }
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? t("auth.waitOneMinute") : t("auth.waitMinutes", { n: minutes });
}

/**
 * What the sign-in form says about a failed attempt, in the reader's language: a wrong name or password (never which),
 * a name or address locked after too many failures (and for how long), or the server's explanation of anything else.
 */
export function signInFailureText(error: unknown, t: TFunction, language: Language): string {
  const code = refusalCode(error);
  if (code === "too_many_attempts") {
    const seconds = retryAfterSeconds(error);
    if (seconds !== null) return t("auth.tooManyAttempts", { wait: waitText(seconds, t) });
    // A server that does not say how long: its own words in English, a general notice otherwise.
    return language === "en" && errorMessage(error) !== "" ? errorMessage(error) : t("auth.tooManyAttemptsLater");
  }
  const trpcCode = errorCode(error);
  if (code === "invalid_credentials" || trpcCode === "UNAUTHORIZED" || trpcCode === "BAD_REQUEST") return t("auth.failed");
  return describeError(error);
}
