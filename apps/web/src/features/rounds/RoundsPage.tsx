import { roundRecurrences } from "@countersign/domain";
import type { RoundRecurrence } from "@countersign/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useSearch } from "wouter";
import { usePageTitle } from "../../app/usePageTitle.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { QueryError } from "../../components/QueryError.js";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError, errorField } from "../../lib/errors.js";
import { useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import type { SessionUser } from "../auth/session.js";
import { useDepartments } from "../catalog/departments.js";
import { usePlan, usePlanId } from "../catalog/plan.js";
import { rememberPlan } from "../import/plan-selection.js";

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

type RoundField = "planId" | "title" | "periodStart" | "periodEnd" | "dueDate" | "measureNumbers" | "departments" | "recurrence";
const roundFields: readonly RoundField[] = ["planId", "title", "periodStart", "periodEnd", "dueDate", "measureNumbers", "departments", "recurrence"];
const isRoundField = (f: string | null): f is RoundField => roundFields.some((x) => x === f);

/**
 * The coordinator opens a round on an issued plan, chosen here (the page's plan: the remembered one, else the newest
 * issued). Errors show next to their field: empty required fields and measure numbers the plan lacks before sending,
 * the server's `field` after.
 */
function OpenRoundForm({ planId }: { planId: number }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const departmentNames = useDepartments();
  const plan = usePlan(planId);
  const plans = useQuery(trpc.catalog.planPage.queryOptions({ limit: 50, include: [planId] }, { staleTime: 60_000 }));
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(useSearch());
  const [title, setTitle] = useState("");
  const [periodStart, setPeriodStart] = useState("");
  const [periodEnd, setPeriodEnd] = useState("");
  const [dueDate, setDueDate] = useState("");
  const [measures, setMeasures] = useState("");
  const [departments, setDepartments] = useState<readonly string[]>([]);
  const [recurrence, setRecurrence] = useState<RoundRecurrence>("none");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<RoundField, string>>>({});
  const fieldId = (f: RoundField) => `${id}-${f}`;
  // Moves the focus to the first field at fault, so a keyboard or screen-reader user lands on it.
  const showFieldErrors = (errors: Partial<Record<RoundField, string>>) => {
    setFieldErrors(errors);
    const first = roundFields.find((f) => errors[f] !== undefined);
    if (first !== undefined) requestAnimationFrame(() => document.getElementById(first === "departments" ? `${fieldId(first)}-0` : fieldId(first))?.focus());
  };
  const open = useMutation(
    trpc.round.open.mutationOptions({
      onSuccess: (opened) => {
        setError(null);
        setFieldErrors({});
        // Rounds opened with it down the levels (issue 16, point 3) are said too: each of those offices now owes a report.
        const opening = t("rounds.opened", { reports: opened.reports, departments: opened.departments.length });
        announce(opened.below.length === 0 ? opening : `${opening} ${t("rounds.openedBelow", { n: opened.below.length })}`);
        void queryClient.invalidateQueries({ queryKey: trpc.round.list.queryKey() });
        setTitle("");
        setPeriodStart("");
        setPeriodEnd("");
        setDueDate("");
        setMeasures("");
        setDepartments([]);
        setRecurrence("none");
      },
      onError: (e) => {
        const field = errorField(e);
        if (isRoundField(field)) {
          setError(null);
          showFieldErrors({ [field]: describeError(e) });
        } else {
          setFieldErrors({});
          setError(describeError(e));
        }
      },
    }),
  );
  const issuedPlans = (plans.data?.items ?? []).filter((p) => p.status === "issued" || p.id === planId);
  const planTitle = (p: { titleEn: string; titleZh: string }) => (i18n.language === "en" ? p.titleEn : p.titleZh) || p.titleEn || p.titleZh;
  const members = plan.data?.departments ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors: Partial<Record<RoundField, string>> = {};
    const missing = (f: RoundField, label: string, value: string) => {
      if (value.trim() === "") errors[f] = t("dialog.missing", { field: label });
    };
    missing("title", t("rounds.fieldTitle"), title);
    missing("periodStart", t("rounds.periodStart"), periodStart);
    missing("periodEnd", t("rounds.periodEnd"), periodEnd);
    missing("dueDate", t("rounds.dueDate"), dueDate);
    const tokens = measures
      .split(/[,，、\s]+/)
      .map((v) => v.trim())
      .filter((v) => v !== "");
    const numbers = tokens.map(Number);
    const known = new Set((plan.data?.measures ?? []).map((m) => m.number));
    const wrong = tokens.filter((_, i) => {
      const n = numbers[i] ?? Number.NaN;
      return !Number.isInteger(n) || n <= 0 || (plan.data !== undefined && !known.has(n));
    });
    if (wrong.length > 0) errors.measureNumbers = t("rounds.noSuchMeasure", { numbers: wrong.join(", ") });
    if (Object.keys(errors).length > 0) {
      setError(null);
      showFieldErrors(errors);
      return;
    }
    setFieldErrors({});
    open.mutate({ planId, title, periodStart, periodEnd, dueDate, measureNumbers: numbers, departments: [...departments], recurrence });
  };
  // The attributes that tie a field to its error message.
  const invalid = (f: RoundField) =>
    fieldErrors[f] === undefined ? {} : { "aria-invalid": true as const, "aria-describedby": `${fieldId(f)}-error` };
  const fieldError = (f: RoundField) =>
    fieldErrors[f] === undefined ? null : (
      <p id={`${fieldId(f)}-error`} className="field-error" data-testid={`error-${f}`}>
        {fieldErrors[f]}
      </p>
    );
  const recurrenceLabel = { none: t("rounds.recurrenceNone"), monthly: t("rounds.recurrenceMonthly"), quarterly: t("rounds.recurrenceQuarterly") };
  return (
    <section className="page" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t("rounds.openTitle")}</h2>
      <form onSubmit={submit} data-testid="open-round" noValidate>
        <div className="field">
          <label htmlFor={fieldId("planId")}>{t("rounds.plan")}</label>
          <select
            id={fieldId("planId")}
            value={planId}
            {...invalid("planId")}
            onChange={(e) => {
              // The page's plan: the rounds listed above follow, and the choice is remembered like on other pages.
              rememberPlan(Number(e.target.value));
              params.set("plan", e.target.value);
              navigate(`${location}?${params.toString()}`);
            }}
          >
            {issuedPlans.length === 0 ? <option value={planId}>{planId}</option> : null}
            {issuedPlans.map((p) => (
              <option key={p.id} value={p.id}>
                {`${planTitle(p)}${p.documentNumber ? `（${p.documentNumber}）` : ""}`}
              </option>
            ))}
          </select>
          {fieldError("planId")}
        </div>
        <div className="field">
          <label htmlFor={fieldId("title")}>
            {t("rounds.fieldTitle")} <span className="required-mark">({t("field.required")})</span>
          </label>
          <input id={fieldId("title")} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} {...invalid("title")} />
          {fieldError("title")}
        </div>
        <div className="field">
          <label htmlFor={fieldId("periodStart")}>
            {t("rounds.periodStart")} <span className="required-mark">({t("field.required")})</span>
          </label>
          <input id={fieldId("periodStart")} type="date" value={periodStart} onChange={(e) => setPeriodStart(e.target.value)} required {...invalid("periodStart")} />
          {fieldError("periodStart")}
        </div>
        <div className="field">
          <label htmlFor={fieldId("periodEnd")}>
            {t("rounds.periodEnd")} <span className="required-mark">({t("field.required")})</span>
          </label>
          <input id={fieldId("periodEnd")} type="date" value={periodEnd} onChange={(e) => setPeriodEnd(e.target.value)} required {...invalid("periodEnd")} />
          {fieldError("periodEnd")}
        </div>
        <div className="field">
          <label htmlFor={fieldId("dueDate")}>
            {t("rounds.dueDate")} <span className="required-mark">({t("field.required")})</span>
          </label>
          <input id={fieldId("dueDate")} type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} required {...invalid("dueDate")} />
          {fieldError("dueDate")}
        </div>
        <div className="field">
          <label htmlFor={fieldId("measureNumbers")}>{t("rounds.measures")}</label>
          <input id={fieldId("measureNumbers")} value={measures} onChange={(e) => setMeasures(e.target.value)} inputMode="numeric" {...invalid("measureNumbers")} />
          {fieldError("measureNumbers")}
        </div>
        <fieldset className="field" {...(fieldErrors.departments === undefined ? {} : { "aria-describedby": `${fieldId("departments")}-error` })}>
          <legend>{t("rounds.departments")}</legend>
          <div className="checkbox-grid">
            {members.map((code, i) => (
              <label key={code}>
                <input
                  id={`${fieldId("departments")}-${i}`}
                  type="checkbox"
                  value={code}
                  checked={departments.includes(code)}
                  onChange={(e) => setDepartments((now) => (e.target.checked ? [...now, code] : now.filter((d) => d !== code)))}
                />{" "}
                {departmentNames.full(code)}
              </label>
            ))}
          </div>
          {fieldError("departments")}
        </fieldset>
        <div className="field">
          <label htmlFor={fieldId("recurrence")}>{t("rounds.recurrence")}</label>
          <select id={fieldId("recurrence")} value={recurrence} onChange={(e) => setRecurrence(e.target.value as RoundRecurrence)} {...invalid("recurrence")}>
            {roundRecurrences.map((r) => (
              <option key={r} value={r}>
                {recurrenceLabel[r]}
              </option>
            ))}
          </select>
          {fieldError("recurrence")}
        </div>
        <ErrorNotice error={error} />
        <button type="submit" className="button button-primary" disabled={open.isPending}>
          {open.isPending ? t("rounds.opening") : t("rounds.open")}
        </button>
      </form>
    </section>
  );
}
