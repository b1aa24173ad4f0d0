import type { DepartmentCode } from "@countersign/domain";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { usePageTitle } from "../../app/usePageTitle.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { QueryError } from "../../components/QueryError.js";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError, isExpiredSession } from "../../lib/errors.js";
import { useFormat } from "../../lib/format.js";
import { trpc, trpcClient } from "../../trpc.js";
import { canReadAnyDepartment } from "../auth/session.js";
import type { SessionUser } from "../auth/session.js";
import { useDepartments } from "../catalog/departments.js";
import { PlanPicker, usePlan, usePlanId } from "../catalog/plan.js";
import { IssuePlanForm } from "./IssuePlanForm.js";
import { MeasureChangeDialog, WithdrawPlan } from "./PlanChanges.js";

interface Division {
  lead: DepartmentCode | null;
  supporting: DepartmentCode[];
}

/**
 * 任务分工: the coordinator sets each measure's lead and supporting departments, then issues the plan (立项交办).
 * A department's account is told plainly that the page is not for it (a draft's division is the lead ministry's
 * working paper; the server refuses it too, policy `readsDraftDivision`) and where its own work is.
 */
export function DivisionPage({ user }: { user: SessionUser }) {
  if (!canReadAnyDepartment(user)) return <DivisionUnavailable />;
  return <DivisionEditor user={user} />;
}

function DivisionUnavailable() {
  const { t } = useTranslation();
  usePageTitle(t("division.title"));
  return (
    <section className="page" aria-labelledby="division-title" data-testid="division-unavailable">
      <h1 id="division-title">{t("division.title")}</h1>
      <p role="status">{t("division.notAvailable")}</p>
      <ul>
        <li>
          <Link href="/inbox">{t("division.toInbox")}</Link>
        </li>
        <li>
          <Link href="/matrix">{t("division.toMatrix")}</Link>
        </li>
      </ul>
    </section>
  );
}

function DivisionEditor({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const format = useFormat();
  const departments = useDepartments();
  usePageTitle(t("division.title"));
  const { planId } = usePlanId("draft");
  const plan = usePlan(planId);
  const [editing, setEditing] = useState<number | null>(null);
  const [changing, setChanging] = useState<number | null>(null);

  if (plan.isError) return <QueryError error={plan.error} onRetry={() => void plan.refetch()} />;
  if (!plan.data || planId === undefined) return <p className="loading">{t("app.loading")}</p>;

  const data = plan.data;
  const draft = data.plan.status === "draft";
  const canEdit = draft && user.role === "coordinator";
  // After issue the coordinator changes a measure through the audited changes (deadline, departments, lead).
  const canChange = data.plan.status === "issued" && user.role === "coordinator";
  const division = new Map<number, Division>();
  for (const m of data.measures) division.set(m.number, { lead: null, supporting: [] });
  for (const r of data.responsibilities) {
    const d = division.get(r.measureNumber);
    if (!d) continue;
    if (r.role === "lead") d.lead = r.department;
    else d.supporting.push(r.department);
  }
  const members = data.departments.length > 0 ? data.departments : departments.list.map((d) => d.code);

  return (
    <div className="division-page">
      <section className="page" aria-labelledby="division-title">
        <h1 id="division-title">{t("division.title")}</h1>
        <p className="muted">{format.language === "zh" ? data.plan.titleZh : data.plan.titleEn}</p>
        <PlanPicker planId={planId} />
        {draft ? (
          <p>{t("division.intro")}</p>
        ) : (
          <p className="notice" data-testid="plan-issued">
            {t("division.alreadyIssued", { date: data.plan.assignedAt ? format.dateTime(data.plan.assignedAt) : t("common.none") })}{" "}
            <Link href={`/tracking?plan=${planId}`}>{t("tracking.title")}</Link>
          </p>
        )}
        <ol className="division-list">
          {data.measures.map((m) => {
            const d = division.get(m.number) ?? { lead: null, supporting: [] };
            return (
              <li key={m.number} className="division-item" data-measure={m.number}>
                <div className="summary">
                  <strong>{t("measure.number", { number: m.number })}</strong>
                  <span lang="en">{m.title}</span>
                </div>
                {editing === m.number ? (
                  <DivisionForm
                    planId={planId}
                    measureNumber={m.number}
                    initial={d}
                    members={members}
                    onDone={() => setEditing(null)}
                  />
                ) : (
                  <div className="summary">
                    <span>
                      <span className="muted">{t("division.lead")}: </span>
                      {d.lead ? <strong>{departments.full(d.lead)}</strong> : t("division.noLead")}
                    </span>
                    <span>
                      <span className="muted">{t("division.supporting")}: </span>
                      {d.supporting.length > 0 ? format.list(d.supporting.map((c) => departments.short(c))) : t("common.none")}
                    </span>
                    {canEdit ? (
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={`${t("division.edit")} ${t("measure.number", { number: m.number })}`}
                        onClick={() => setEditing(m.number)}
                      >
                        {t("division.edit")}
                      </button>
                    ) : null}
                    {canChange && !m.closed ? (
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={`${t("planChange.open")} ${t("measure.number", { number: m.number })}`}
                        onClick={() => setChanging(m.number)}
                      >
                        {t("planChange.open")}
                      </button>
                    ) : null}
                  </div>
                )}
                {changing === m.number ? (
                  <MeasureChangeDialog
                    planId={planId}
                    measureNumber={m.number}
                    lead={d.lead}
                    supporting={d.supporting}
                    members={members}
                    onClose={() => setChanging(null)}
                  />
                ) : null}
              </li>
            );
          })}
        </ol>
      </section>
      {canEdit ? <IssuePlanForm planId={planId} headingLevel={2} className="page" measures={data.measures} /> : null}
      {canChange ? <WithdrawPlan planId={planId} /> : null}
    </div>
  );
}

function DivisionForm({
  planId,
  measureNumber,
  initial,
  members,
  onDone,
}: {
  planId: number;
  measureNumber: number;
  initial: Division;
  members: readonly DepartmentCode[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const [lead, setLead] = useState<string>(initial.lead ?? "");
  const [supporting, setSupporting] = useState<ReadonlySet<string>>(new Set(initial.supporting));
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const leadId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!lead) {
      setError(t("dialog.missing", { field: t("division.lead") }));
      return;
    }
    setPending(true);
    setError(null);
    try {
      await trpcClient.plan.setResponsibilities.mutate({
        planId,
        measureNumber,
        lead,
        supporting: members.filter((c) => supporting.has(c) && c !== lead),
      });
      announce(t("division.saved", { number: measureNumber }), "success");
      await queryClient.invalidateQueries({ queryKey: trpc.catalog.plan.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.matrix.pathKey() });
      onDone();
    } catch (e) {
      if (!isExpiredSession(e)) setError(t("assignment.refused", { message: describeError(e) }));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="division-form">
      <div className="field">
        <label htmlFor={leadId}>
          {t("division.lead")}
          <span className="required-mark">({t("field.required")})</span>
        </label>
        <select id={leadId} value={lead} onChange={(e) => setLead(e.target.value)} aria-invalid={error !== null && !lead ? true : undefined}>
          <option value="">{t("field.chooseDepartment")}</option>
          {members.map((code) => (
            <option key={code} value={code}>
              {departments.full(code)}
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>{t("division.supporting")}</legend>
        <div className="checkbox-grid">
          {members.map((code) => (
            <label key={code}>
              <input
                type="checkbox"
                value={code}
                disabled={code === lead}
                checked={supporting.has(code) && code !== lead}
                onChange={(e) => {
                  const next = new Set(supporting);
                  if (e.target.checked) next.add(code);
                  else next.delete(code);
                  setSupporting(next);
                }}
              />
              {departments.full(code)}
            </label>
          ))}
        </div>
      </fieldset>
      <ErrorNotice error={error} />
      <div className="row-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {t("division.save")}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {t("division.cancel")}
        </button>
      </div>
    </form>
  );
}
