import { useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "wouter";
import { Dialog } from "../../components/Dialog.js";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError, isExpiredSession } from "../../lib/errors.js";
import { useFormat } from "../../lib/format.js";
import { trpc, trpcClient } from "../../trpc.js";
import { createInputOf, measuresWithoutLead, reviewProblems } from "./model.js";
import type { ImportedDraft, Review, ReviewProblem } from "./model.js";
import { rememberPlan } from "./plan-selection.js";

/** The field a problem is about, to move the focus there. */
function fieldOf(problem: ReviewProblem): string {
  switch (problem.kind) {
    case "noTitle":
      return "import-title-en";
    case "noSections":
    case "noMeasures":
      return "import-sections-title";
    case "badNumber":
    case "duplicateNumber":
      return `import-measure-${problem.key}-number`;
    case "noSection":
      return `import-measure-${problem.key}-section`;
    case "blankMeasureTitle":
      return `import-measure-${problem.key}-title`;
    case "blankSectionTitle":
      return `import-section-${problem.section}-title`;
  }
}

function focusField(id: string) {
  const element = document.getElementById(id);
  element?.scrollIntoView({ block: "center" });
  element?.focus();
}

/** Save the reviewed draft as a plan (plan.create), then issue it (plan.issue) and go to its tracking page. */
export function SaveAndIssue({
  draft,
  review,
  savedPlanId,
  onSaved,
}: {
  draft: ImportedDraft;
  review: Review;
  savedPlanId: number | null;
  onSaved: (planId: number) => void;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [showProblems, setShowProblems] = useState(false);
  const problemsRef = useRef<HTMLDivElement>(null);
  const problems = reviewProblems(review);
  const missing = measuresWithoutLead(review);

  async function save() {
    if (problems.length > 0) {
      setShowProblems(true);
      requestAnimationFrame(() => problemsRef.current?.focus());
      return;
    }
    setPending(true);
    setError(null);
    try {
      const created = await trpcClient.plan.create.mutate(createInputOf(review, draft));
      onSaved(created.planId);
      announce(t("planImport.saved"), "success");
      void queryClient.invalidateQueries({ queryKey: trpc.catalog.plans.queryKey() });
    } catch (e) {
      if (!isExpiredSession(e)) setError(describeError(e));
    } finally {
      setPending(false);
    }
  }

  const problemText = (p: ReviewProblem): string => {
    switch (p.kind) {
      case "noTitle":
      case "noSections":
      case "noMeasures":
        return t(`planImport.problem.${p.kind}`);
      case "badNumber":
        return t("planImport.problem.badNumber", { label: p.label });
      case "blankSectionTitle":
        return t("planImport.problem.blankSectionTitle", { number: p.number });
      default:
        return t(`planImport.problem.${p.kind}`, { number: p.number });
    }
  };

  return (
    <section className="page" aria-labelledby="import-save-title">
      <h2 id="import-save-title">{t("planImport.saveTitle")}</h2>
      {showProblems && problems.length > 0 ? (
        <div className="notice notice-error" ref={problemsRef} tabIndex={-1} role="alert" aria-labelledby="import-problems-title">
          <h3 id="import-problems-title">{t("planImport.problemsTitle")}</h3>
          <ul>
            {problems.map((p) => (
              <li key={`${p.kind}-${"key" in p ? p.key : "section" in p ? p.section : ""}`}>
                <button type="button" className="link-button" onClick={() => focusField(fieldOf(p))}>
                  {problemText(p)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {savedPlanId === null ? (
        <>
          {missing.length > 0 ? <p className="muted">{t("planImport.issueBlocked")}</p> : null}
          {error ? (
            <p className="notice notice-error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="button" className="button button-primary" disabled={pending} onClick={() => void save()}>
            {pending ? t("planImport.saving") : t("planImport.save")}
          </button>
        </>
      ) : (
        <>
          <p className="notice" data-testid="import-saved">
            {t("planImport.savedNotice")} <Link href={`/division?plan=${savedPlanId}`}>{t("planImport.openDivision")}</Link>
          </p>
          <IssueForm planId={savedPlanId} blocked={missing.length > 0} />
        </>
      )}
    </section>
  );
}

function IssueForm({ planId, blocked }: { planId: number; blocked: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [kind, setKind] = useState<"date" | "ongoing">("date");
  const [date, setDate] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const dateId = useId();
  const due = kind === "ongoing" ? "ongoing" : date;

  function ask(event: FormEvent) {
    event.preventDefault();
    if (kind === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      setError(t("dialog.missing", { field: t("division.dueDateLabel") }));
      return;
    }
    setError(null);
    setConfirming(true);
  }

  async function issue() {
    setPending(true);
    try {
      await trpcClient.plan.issue.mutate({ planId, dueDate: due });
      announce(t("planImport.issued"), "success");
      setConfirming(false);
      rememberPlan(planId);
      await queryClient.invalidateQueries();
      navigate(`/tracking?plan=${planId}`);
    } catch (e) {
      if (!isExpiredSession(e)) setError(describeError(e));
      setConfirming(false);
    } finally {
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="import-issue-title">
      <h3 id="import-issue-title">{t("planImport.issueTitle")}</h3>
      <p>{t("division.issueIntro")}</p>
      {blocked ? <p className="notice notice-warning">{t("planImport.issueBlocked")}</p> : null}
      <form onSubmit={ask} noValidate>
        <fieldset>
          <legend>{t("division.dueKind")}</legend>
          <label className="field-inline">
            <input type="radio" name="import-due-kind" checked={kind === "date"} onChange={() => setKind("date")} />
            {t("division.dueDate")}
          </label>
          <div className="field">
            <label htmlFor={dateId}>{t("division.dueDateLabel")}</label>
            <input id={dateId} type="date" value={date} disabled={kind !== "date"} onChange={(e) => setDate(e.target.value)} />
          </div>
          <label className="field-inline">
            <input type="radio" name="import-due-kind" checked={kind === "ongoing"} onChange={() => setKind("ongoing")} />
            {t("division.dueOngoing")}
          </label>
        </fieldset>
        {error ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button button-primary" disabled={blocked}>
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
