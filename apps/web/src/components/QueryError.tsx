import { useTranslation } from "react-i18next";
import { describeError, errorCode } from "../lib/errors.js";

/** A failed load, explained, with a way to try again. Expired sessions are handled globally. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const code = errorCode(error);
  const text =
    code === "FORBIDDEN" ? t("error.forbidden") : code === "NOT_FOUND" ? t("assignment.notFound") : t("error.generic", { message: describeError(error) });
  return (
    <div className="notice notice-error" role="alert">
      <p>{text}</p>
      {onRetry && code !== "FORBIDDEN" && code !== "NOT_FOUND" ? (
        <button type="button" className="button button-small" onClick={onRetry}>
          {t("error.retry")}
        </button>
      ) : null}
    </div>
  );
}
