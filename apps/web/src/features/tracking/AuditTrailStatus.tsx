import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../components/QueryError.js";
import { useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import type { RouterOutputs } from "../../trpc.js";

type FirstBroken = NonNullable<RouterOutputs["audit"]["verify"]["firstBroken"]>;

/**
 * Whether the audit trail's hash chain verifies (the server walks it: `audit.verify`), so that the lead ministry sees
 * tampering where it tracks the work. Coordinators, observers and admins only: the server refuses liaisons.
 */
export function AuditTrailStatus() {
  const { t } = useTranslation();
  const format = useFormat();
  // On load the server checks only the events since the last point it verified; "check again" asks for the full
  // walk (the whole chain and every assignment's replayed state), linear in the trail: once a minute at most.
  const [full, setFull] = useState(false);
  const verify = useQuery(trpc.audit.verify.queryOptions(full ? { full: true } : undefined, { staleTime: 60_000 }));

  if (verify.isError) return <QueryError error={verify.error} onRetry={() => void verify.refetch()} />;
  const result = verify.data;
  const recheck = (
    <button type="button" className="button button-small" onClick={() => (full ? void verify.refetch() : setFull(true))} disabled={verify.isFetching}>
      {verify.isFetching ? t("tracking.audit.checking") : t("tracking.audit.recheck")}
    </button>
  );
  if (!result) {
    return (
      <p className="muted" data-testid="audit-status" data-state="checking">
        {t("tracking.audit.checking")}
      </p>
    );
  }
  /** The server's own words in English (they name the event's id too); the reason translated otherwise. */
  const brokenText = (broken: FirstBroken): string =>
    format.language === "en" && broken.message !== ""
      ? broken.message
      : t(`tracking.audit.reason.${broken.reason}`, { seq: format.number(broken.seq) });
  const checkedAt = <span className="muted">{t("tracking.audit.checkedAt", { time: format.dateTime(result.checkedAt) })}</span>;
  if (result.ok || result.firstBroken === null) {
    return (
      <div className="notice notice-ok audit-status" role="status" data-testid="audit-status" data-state="verified">
        <p>
          <span aria-hidden="true">✓ </span>
          <strong>{t("tracking.audit.verified", { n: format.number(result.events) })}</strong> {checkedAt}
        </p>
        {recheck}
      </div>
    );
  }
  return (
    <div className="notice notice-error audit-status" role="alert" data-testid="audit-status" data-state="broken">
      <p>
        <span aria-hidden="true">✗ </span>
        <strong>{t("tracking.audit.broken")}</strong> {checkedAt}
      </p>
      <p data-testid="audit-first-broken" data-seq={result.firstBroken.seq}>
        {t("tracking.audit.firstBroken", { detail: brokenText(result.firstBroken) })}
      </p>
      <p className="muted">{t("tracking.audit.intactBefore", { n: format.number(result.events) })}</p>
      {recheck}
    </div>
  );
}
