import { planCalendarDate } from "@countersign/domain";
import type { StatedDeadline } from "@countersign/domain";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../components/Dialog.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError, isExpiredSession } from "../../lib/errors.js";
import { useFormat } from "../../lib/format.js";
import { idempotent, useIntentKeys } from "../../lib/idempotency.js";
import { trpcClient } from "../../trpc.js";

/**
 * 立项交办: issue a plan with one deadline for every assignment (a date, or ongoing 持续推进), after a confirmation.
 * Used by the division page and at the end of importing a document.
 */
export function IssuePlanForm({
  planId,
  headingLevel,
  className,
  blockedNotice,
  onIssued,
  measures,
}: {
  planId: number;
  headingLevel: 2 | 3;
  className?: string;
  /** Why the plan cannot be issued yet; shown, and the form is disabled. */
  blockedNotice?: string | undefined;
  /** After the plan is issued and every query refreshed. */
  onIssued?: () => void;
  /**
   * The plan's measures: when given, each may get its own deadline (otherwise the one above). A deadline the
   * document states for a measure is filled in and shown as stated; the coordinator may change or clear it.
   */
  measures?: ReadonlyArray<{ number: number; title: string; statedDeadline?: StatedDeadline | null | undefined }>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<"date" | "ongoing">("date");
  const [date, setDate] = useState("");
  // A deadline already past makes every assignment overdue at once: issued only when confirmed as back-dated.
  const [backdated, setBackdated] = useState(false);
  const backdatedId = useId();
  // Per-measure deadlines (measure number → YYYY-MM-DD or "ongoing"), starting from those the document states; a
  // measure left empty takes the plan's deadline.
  const [perMeasure, setPerMeasure] = useState<ReadonlyMap<number, string>>(
    () => new Map((measures ?? []).flatMap((m) => (m.statedDeadline ? [[m.number, m.statedDeadline.dueDate] as const] : []))),
  );
  const perMeasureId = useId();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Confirming again after a lost answer is the same intent: the server answers it once.
  const intents = useIntentKeys();
  const titleId = useId();
  const dateId = useId();
  const kindName = useId();
  const due = kind === "ongoing" ? "ongoing" : date;
  const today = planCalendarDate(new Date());
  const isDate = (d: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(d);
  const set = [...perMeasure].filter(([, d]) => d === "ongoing" || isDate(d)).map(([measureNumber, d]) => ({ measureNumber, dueDate: d }));
  // The server applies a stated deadline to a measure given none: a stated one cleared here is sent as the plan's.
  const cleared = (measures ?? [])
    .filter((m) => m.statedDeadline && !set.some((d) => d.measureNumber === m.number))
    .map((m) => ({ measureNumber: m.number, dueDate: due }));
  const dueDates = [...set, ...cleared];
  const past = (kind === "date" && isDate(date) && date < today) || set.some((d) => isDate(d.dueDate) && d.dueDate < today);
  const anyStated = (measures ?? []).some((m) => m.statedDeadline);
  const Heading = headingLevel === 2 ? "h2" : "h3";

  function ask(event: FormEvent) {
    event.preventDefault();
    if (kind === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      setError(t("dialog.missing", { field: t("division.dueDateLabel") }));
      return;
    }
    if (past && !backdated) {
      setError(t("division.pastDeadline"));
      document.getElementById(backdatedId)?.focus();
      return;
    }
    setError(null);
    setConfirming(true);
  }

  async function issue() {
    setPending(true);
    try {
      const input = { planId, dueDate: due, ...(dueDates.length > 0 ? { dueDates } : {}), ...(past && backdated ? { backdated: true } : {}) };
      await trpcClient.plan.issue.mutate(input, { context: idempotent(intents.keyFor(input)) });
      announce(t("division.issued"), "success");
      setConfirming(false);
      await queryClient.invalidateQueries();
      onIssued?.();
    } catch (e) {
      if (!isExpiredSession(e)) setError(t("assignment.refused", { message: describeError(e) }));
      setConfirming(false);
    } finally {
      setPending(false);
    }
  }

  return (
    <section className={className} aria-labelledby={titleId}>
      <Heading id={titleId}>{t("division.issueTitle")}</Heading>
      <p>{t("division.issueIntro")}</p>
      {blockedNotice ? <p className="notice notice-warning">{blockedNotice}</p> : null}
      <form onSubmit={ask} noValidate>
        <fieldset>
          <legend>{t("division.dueKind")}</legend>
          <label className="field-inline">
            <input type="radio" name={kindName} checked={kind === "date"} onChange={() => setKind("date")} />
            {t("division.dueDate")}
          </label>
          <div className="field">
            <label htmlFor={dateId}>{t("division.dueDateLabel")}</label>
            <input id={dateId} type="date" value={date} disabled={kind !== "date"} onChange={(e) => setDate(e.target.value)} />
          </div>
          <label className="field-inline">
            <input type="radio" name={kindName} checked={kind === "ongoing"} onChange={() => setKind("ongoing")} />
            {t("division.dueOngoing")}
          </label>
        </fieldset>
        {measures !== undefined && measures.length > 0 ? (
          <details className="per-measure-deadlines" open={anyStated} data-testid="per-measure-deadlines">
            <summary>{t("division.perMeasure", { n: set.length })}</summary>
            <p className="muted">{t(anyStated ? "division.perMeasureHintStated" : "division.perMeasureHint")}</p>
            <ul>
              {measures.map((m) => {
                const value = perMeasure.get(m.number) ?? "";
                const ongoing = value === "ongoing";
                const inputId = `${perMeasureId}-${m.number}`;
                const statedId = `${inputId}-stated`;
                const put = (next: string) => {
                  const map = new Map(perMeasure);
                  if (next === "") map.delete(m.number);
                  else map.set(m.number, next);
                  setPerMeasure(map);
                };
                return (
                  <li key={m.number} className="field field-inline" data-measure={m.number}>
                    <label htmlFor={inputId}>{t("measure.number", { number: m.number })}</label>
                    <input
                      id={inputId}
                      type="date"
                      value={ongoing ? "" : value}
                      disabled={ongoing}
                      aria-describedby={m.statedDeadline ? statedId : undefined}
                      onChange={(e) => put(e.target.value)}
                    />
                    <label className="field-inline">
                      <input type="checkbox" checked={ongoing} onChange={(e) => put(e.target.checked ? "ongoing" : "")} />
                      {t("division.perMeasureOngoing", { number: m.number })}
                    </label>
                    {m.statedDeadline ? (
                      <span id={statedId} className="muted" data-testid="stated-deadline">
                        {t("division.statedDeadline", { stated: m.statedDeadline.stated, due: format.dueDate(m.statedDeadline.dueDate) })}
                      </span>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </details>
        ) : null}
        {past ? (
          <div className="notice notice-warning">
            <p>{t("division.pastDeadline")}</p>
            <label className="field-inline">
              <input id={backdatedId} type="checkbox" checked={backdated} onChange={(e) => setBackdated(e.target.checked)} />
              {t("division.confirmBackdated")}
            </label>
          </div>
        ) : null}
        <ErrorNotice error={error} />
        <button type="submit" className="button button-primary" disabled={Boolean(blockedNotice)}>
          {t("division.issue")}
        </button>
      </form>
      {confirming ? (
        <Dialog open title={t("division.issueTitle")} onClose={() => setConfirming(false)}>
          {() => (
            <>
              <p>{t("division.confirmIssue", { due: format.dueDate(due) })}</p>
              <div className="dialog-actions">
                <button type="button" className="button" onClick={() => setConfirming(false)}>
                  {t("dialog.cancel")}
                </button>
                <button type="button" className="button button-primary" disabled={pending} onClick={() => void issue()}>
                  {pending ? t("dialog.sending") : t("division.issue")}
                </button>
              </div>
            </>
          )}
        </Dialog>
      ) : null}
    </section>
  );
}
