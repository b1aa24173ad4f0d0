import { roundRecurrences } from "@countersign/domain";
import type { RoundRecurrence } from "@countersign/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { usePageTitle } from "../../app/usePageTitle.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { QueryError } from "../../components/QueryError.js";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError } from "../../lib/errors.js";
import { useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import type { SessionUser } from "../auth/session.js";
import { usePlanId } from "../catalog/plan.js";

/** The rounds of the plan: the coordinator opens one here; a liaison sees those that ask its department. */
export function RoundsPage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { planId } = usePlanId();
  usePageTitle(t("rounds.title"));
  const rounds = useQuery({ ...trpc.round.list.queryOptions({ planId: planId ?? 0 }), enabled: planId !== undefined });
  return (
    <>
      <section className="page" aria-labelledby="rounds-title">
        <h1 id="rounds-title">{t("rounds.title")}</h1>
        <p>{t("rounds.intro")}</p>
        {rounds.isError ? <QueryError error={rounds.error} onRetry={() => void rounds.refetch()} /> : null}
        {rounds.data === undefined ? (
          <p className="loading">{t("app.loading")}</p>
        ) : rounds.data.length === 0 ? (
          <p>{user.role === "liaison" ? t("rounds.noneForYou") : t("rounds.none")}</p>
        ) : (
          <ul className="round-list" data-testid="round-list">
            {rounds.data.map((r) => (
              <li key={r.id}>
                <Link href={`/rounds/${r.id}`}>{r.title}</Link>{" "}
                <span>
                  {t("rounds.period", { start: format.dueDate(r.periodStart), end: format.dueDate(r.periodEnd) })} ·{" "}
                  {t("rounds.due", { date: format.dueDate(r.dueDate) })} · {r.status === "open" ? t("rounds.statusOpen") : t("rounds.statusClosed")} ·{" "}
                  {t("rounds.stats", {
                    total: format.number(r.statistics.total),
                    reported: format.number(r.statistics.reported + r.statistics.reportedLate),
                    late: format.number(r.statistics.late),
                    notReported: format.number(r.statistics.notReported + r.statistics.returned),
                  })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {user.role === "coordinator" && planId !== undefined ? <OpenRoundForm planId={planId} /> : null}
    </>
  );
}

function OpenRoundForm({ planId }: { planId: number }) {
  const { t } = useTranslation();
  const id = useId();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState("");
  const [periodStart, setPeriodStart] = useState("");
  const [periodEnd, setPeriodEnd] = useState("");
  const [dueDate, setDueDate] = useState("");
  const [measures, setMeasures] = useState("");
  const [departments, setDepartments] = useState("");
  const [recurrence, setRecurrence] = useState<RoundRecurrence>("none");
  const [error, setError] = useState<string | null>(null);
  const open = useMutation(
    trpc.round.open.mutationOptions({
      onSuccess: (opened) => {
        setError(null);
        announce(t("rounds.opened", { reports: opened.reports, departments: opened.departments.length }));
        void queryClient.invalidateQueries({ queryKey: trpc.round.list.queryKey() });
        setTitle("");
      },
      onError: (e) => setError(describeError(e)),
    }),
  );
  const list = (value: string) =>
    value
      .split(/[,，、\s]+/)
      .map((v) => v.trim())
      .filter((v) => v !== "");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    open.mutate({
      planId,
      title,
      periodStart,
      periodEnd,
      dueDate,
      measureNumbers: list(measures).map(Number).filter((n) => Number.isInteger(n) && n > 0),
      departments: list(departments).map((d) => d.toUpperCase()),
      recurrence,
    });
  };
  const recurrenceLabel = { none: t("rounds.recurrenceNone"), monthly: t("rounds.recurrenceMonthly"), quarterly: t("rounds.recurrenceQuarterly") };
  return (
    <section className="page" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t("rounds.openTitle")}</h2>
      <form onSubmit={submit} data-testid="open-round">
        <div className="field">
          <label htmlFor={`${id}-title`}>{t("rounds.fieldTitle")}</label>
          <input id={`${id}-title`} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-start`}>{t("rounds.periodStart")}</label>
          <input id={`${id}-start`} type="date" value={periodStart} onChange={(e) => setPeriodStart(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor={`${id}-end`}>{t("rounds.periodEnd")}</label>
          <input id={`${id}-end`} type="date" value={periodEnd} onChange={(e) => setPeriodEnd(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor={`${id}-due`}>{t("rounds.dueDate")}</label>
          <input id={`${id}-due`} type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor={`${id}-measures`}>{t("rounds.measures")}</label>
          <input id={`${id}-measures`} value={measures} onChange={(e) => setMeasures(e.target.value)} inputMode="numeric" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-departments`}>{t("rounds.departments")}</label>
          <input id={`${id}-departments`} value={departments} onChange={(e) => setDepartments(e.target.value)} placeholder="MOF, STA" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-recurrence`}>{t("rounds.recurrence")}</label>
          <select id={`${id}-recurrence`} value={recurrence} onChange={(e) => setRecurrence(e.target.value as RoundRecurrence)}>
            {roundRecurrences.map((r) => (
              <option key={r} value={r}>
                {recurrenceLabel[r]}
              </option>
            ))}
          </select>
        </div>
        <ErrorNotice error={error} />
        <button type="submit" className="button button-primary" disabled={open.isPending}>
          {open.isPending ? t("rounds.opening") : t("rounds.open")}
        </button>
      </form>
    </section>
  );
}
