import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "wouter";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError, isExpiredSession } from "../../lib/errors.js";
import { idempotent, useIntentKeys } from "../../lib/idempotency.js";
import { trpc, trpcClient } from "../../trpc.js";
import { IssuePlanForm } from "../division/IssuePlanForm.js";
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
  const [, navigate] = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Saving the same review again after a lost answer must not make a second plan.
  const intents = useIntentKeys();
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
      const input = createInputOf(review, draft);
      const created = await trpcClient.plan.create.mutate(input, { context: idempotent(intents.keyFor(input)) });
      onSaved(created.planId);
      announce(t("planImport.saved"), "success");
      void queryClient.invalidateQueries({ queryKey: trpc.catalog.plans.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.catalog.planPage.queryKey() });
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
          <ErrorNotice error={error} />
          <button type="button" className="button button-primary" disabled={pending} onClick={() => void save()}>
            {pending ? t("planImport.saving") : t("planImport.save")}
          </button>
        </>
      ) : (
        <>
          <p className="notice" data-testid="import-saved">
            {t("planImport.savedNotice")} <Link href={`/division?plan=${savedPlanId}`}>{t("planImport.openDivision")}</Link>
          </p>
          <IssuePlanForm
            planId={savedPlanId}
            headingLevel={3}
            blockedNotice={missing.length > 0 ? t("planImport.issueBlocked") : undefined}
            measures={review.measures.map((m) => ({ number: m.number, title: m.title, statedDeadline: m.statedDeadline }))}
            onIssued={() => {
              rememberPlan(savedPlanId);
              navigate(`/tracking?plan=${savedPlanId}`);
            }}
          />
        </>
      )}
    </section>
  );
}
