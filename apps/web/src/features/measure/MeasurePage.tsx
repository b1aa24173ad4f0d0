import { decideMeasureClosure, isBlankText, normaliseText } from "@countersign/domain";
import type { MeasureClosureAction } from "@countersign/domain";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { usePageTitle } from "../../app/usePageTitle.js";
import { MeasureStatusBadge } from "../../components/Badges.js";
import { Dialog } from "../../components/Dialog.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { QueryError } from "../../components/QueryError.js";
import { useAnnounce } from "../../lib/announcer.js";
import { useDraft } from "../../lib/drafts.js";
import { describeError, isConflict, isExpiredSession } from "../../lib/errors.js";
import { useFormat } from "../../lib/format.js";
import { idempotent, useIntentKeys } from "../../lib/idempotency.js";
import { trpc, trpcClient } from "../../trpc.js";
import type { SessionUser } from "../auth/session.js";
import { CountersignStrip } from "../assignment/CountersignStrip.js";
import { History } from "../assignment/History.js";
import { useDepartments } from "../catalog/departments.js";
import { MeasureChangeDialog } from "../division/PlanChanges.js";
import { usePersonText } from "../people/person-text.js";
import { SectionName, usePlan, usePlanId } from "../catalog/plan.js";
import { AddTranslation } from "./AddTranslation.js";
import { MeasureText, MeasureTitle } from "./MeasureText.js";

/** One measure across departments: its text, every department's state, and closing (办结) or reopening it. */
export function MeasurePage({ user, number: numberParam }: { user: SessionUser; number: string }) {
  const number = Number(numberParam);
  const { t } = useTranslation();
  const format = useFormat();
  const { planId } = usePlanId();
  const plan = usePlan(planId);
  const overview = useQuery({ ...trpc.tracking.overview.queryOptions({ planId: planId ?? 0 }), enabled: planId !== undefined });
  // Who closed it, when and the note, and the measure's own history.
  const history = useQuery({
    ...trpc.measure.history.queryOptions({ planId: planId ?? 0, measureNumber: number }),
    enabled: planId !== undefined && Number.isInteger(number) && number > 0,
  });
  const departments = useDepartments();
  const personText = usePersonText();
  const [dialog, setDialog] = useState<MeasureClosureAction | null>(null);
  const [changing, setChanging] = useState(false);
  const measure = plan.data?.measures.find((m) => m.number === number);
  const tracked = overview.data?.measures.find((m) => m.number === number);
  usePageTitle(measure ? `${t("measure.number", { number })} ${measure.title}` : t("measure.number", { number }));

  if (plan.isError || overview.isError) {
    return (
      <section className="page">
        <h1>{t("measure.number", { number })}</h1>
        <QueryError error={plan.error ?? overview.error} />
      </section>
    );
  }
  if (!plan.data || !overview.data || planId === undefined) return <p className="loading">{t("app.loading")}</p>;
  if (!measure) {
    return (
      <section className="page">
        <h1>{t("measure.number", { number })}</h1>
        <p className="notice notice-error">{t("measure.notFound")}</p>
      </section>
    );
  }

  const assignments = tracked?.assignments ?? [];
  const actor = { role: user.role, department: user.department };
  // The domain decides whether closing or reopening is possible now; the server decides again on submit.
  const closure = { closed: measure.closed, assignments };
  const canClose = decideMeasureClosure(closure, "close", actor).ok;
  const canReopen = decideMeasureClosure(closure, "reopen", actor).ok;
  const status = tracked?.status ?? (measure.closed ? "closed" : "not_started");
  // After issue the coordinator changes the measure's deadline or departments here too (audited, see plan-change.ts).
  const canChange = user.role === "coordinator" && plan.data.plan.status === "issued" && !measure.closed;
  const active = assignments.filter((a) => a.status !== "withdrawn");
  const lead = active.find((a) => a.role === "lead")?.department ?? null;
  const supporting = active.filter((a) => a.role === "supporting").map((a) => a.department);
  const members = plan.data.departments.length > 0 ? plan.data.departments : departments.list.map((d) => d.code);

  return (
    <article className="measure-page" aria-labelledby="measure-title" data-measure={number} data-measure-status={status}>
      <nav className="breadcrumbs" aria-label={t("app.breadcrumbs")}>
        <Link href="/tracking">{t("tracking.title")}</Link>
        {" · "}
        <Link href="/matrix">{t("matrix.title")}</Link>
      </nav>
      <section className="page">
        <h1 id="measure-title">
          {t("measure.number", { number })} <MeasureTitle measure={measure} />
        </h1>
        <dl className="facts">
          <dt>{t("measure.sectionLabel")}</dt>
          <dd>
            <SectionName planId={planId} section={measure.section} />
          </dd>
          <dt>{t("measure.status")}</dt>
          <dd>
            <MeasureStatusBadge status={status} />
          </dd>
          <dt>{t("assignment.due")}</dt>
          <dd>{format.dueDate(tracked?.dueDate ?? null)}</dd>
          {measure.closedAt && measure.closed ? (
            <>
              <dt>{t("measureStatus.closed")}</dt>
              <dd data-testid="measure-closure">
                <time dateTime={measure.closedAt}>{format.dateTime(measure.closedAt)}</time>
                {history.data?.closure.closedBy ? (
                  <>
                    {" · "}
                    {t("measure.closedBy", {
                      name: history.data.closure.closedBy.displayName,
                      department: history.data.closure.closedBy.department ? departments.short(history.data.closure.closedBy.department) : t("common.none"),
                    })}
                  </>
                ) : null}
                {history.data?.closure.closeNote ? <blockquote>{history.data.closure.closeNote}</blockquote> : null}
              </dd>
            </>
          ) : null}
        </dl>
        {canClose || canReopen || canChange ? (
          <div className="actions">
            {canChange ? (
              <button type="button" className="button" onClick={() => setChanging(true)}>
                {t("planChange.open")}
              </button>
            ) : null}
            {canClose ? (
              <button type="button" className="button button-primary" onClick={() => setDialog("close")}>
                {t("measure.close")}
              </button>
            ) : null}
            {canReopen ? (
              <button type="button" className="button" onClick={() => setDialog("reopen")}>
                {t("measure.reopen")}
              </button>
            ) : null}
          </div>
        ) : null}
        <MeasureText measure={measure} />
        {user.role === "coordinator" && measure.translation === null ? (
          <AddTranslation planId={planId} language={measure.textLanguage === "zh" ? "en" : "zh"} />
        ) : null}
      </section>
      <section className="page" aria-labelledby="measure-strip-title">
        <h2 id="measure-strip-title">{t("measure.responsible")}</h2>
        <CountersignStrip current={null} others={assignments} linkOthers />
      </section>
      <section className="page" aria-labelledby="measure-history-title">
        <h2 id="measure-history-title">{t("measure.history")}</h2>
        {history.isError ? <QueryError error={history.error} /> : null}
        {history.data ? (
          <History
            events={history.data.events.map((e) => ({
              id: e.id,
              at: e.at,
              type: e.type,
              from: e.from,
              to: e.to,
              actor: personText(e.actor.person, e.actor.username),
              department: e.actor.department,
              assignmentDepartment: e.assignmentId === null ? null : e.department,
              payload: e.payload,
            }))}
          />
        ) : null}
      </section>
      {changing ? (
        <MeasureChangeDialog
          planId={planId}
          measureNumber={number}
          lead={lead}
          supporting={supporting}
          members={members}
          onClose={() => setChanging(false)}
        />
      ) : null}
      {dialog ? <ClosureDialog action={dialog} planId={planId} measureNumber={number} onClose={() => setDialog(null)} /> : null}
    </article>
  );
}

function ClosureDialog({
  action,
  planId,
  measureNumber,
  onClose,
}: {
  action: MeasureClosureAction;
  planId: number;
  measureNumber: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const [note, setNote, clearNote] = useDraft(`measure.${planId}.${measureNumber}.${action}.note`);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The dialog opens afresh for each intent; sending the same again (after a lost answer) reuses its key.
  const intents = useIntentKeys();
  const id = useId();
  const required = action === "reopen";

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (required && isBlankText(note)) {
      setError(t("dialog.missing", { field: t("measure.reopenNote") }));
      return;
    }
    setPending(true);
    setError(null);
    try {
      const input = { planId, measureNumber, note: normaliseText(note) };
      const options = { context: idempotent(intents.keyFor({ action, input })) };
      if (action === "close") await trpcClient.measure.close.mutate(input, options);
      else await trpcClient.measure.reopen.mutate(input, options);
      clearNote();
      announce(action === "close" ? t("measure.closed") : t("measure.reopened"), "success");
      onClose();
    } catch (e) {
      if (isExpiredSession(e)) return;
      if (isConflict(e)) {
        announce(t("assignment.conflictNoStatus"), "error");
        onClose();
      } else setError(t("assignment.refused", { message: describeError(e) }));
    } finally {
      setPending(false);
      void queryClient.invalidateQueries({ queryKey: trpc.tracking.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.catalog.plan.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.matrix.pathKey() });
    }
  }

  return (
    <Dialog open title={action === "close" ? t("measure.close") : t("measure.reopen")} onClose={onClose}>
      {() => (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <p className="muted">{t(`dialog.hint.${action}`)}</p>
          <div className="field">
            <label htmlFor={id}>
              {action === "close" ? t("measure.closeNote") : t("measure.reopenNote")}
              {required ? <span className="required-mark">({t("field.required")})</span> : null}
            </label>
            <textarea id={id} value={note} maxLength={4000} required={required} onChange={(e) => setNote(e.target.value)} />
          </div>
          <ErrorNotice error={error} />
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              {t("dialog.cancel")}
            </button>
            <button type="submit" className="button button-primary" disabled={pending}>
              {pending ? t("dialog.sending") : action === "close" ? t("measure.close") : t("measure.reopen")}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
