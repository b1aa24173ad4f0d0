import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { usePageTitle } from "../../app/usePageTitle.js";
import type { SessionUser } from "../auth/session.js";
import { DivisionMatrix } from "./DivisionMatrix.js";
import { reviewOf } from "./model.js";
import type { ImportedDraft, Review } from "./model.js";
import { SaveAndIssue } from "./SaveAndIssue.js";
import { SourceForm } from "./SourceForm.js";
import { StructureReview } from "./StructureReview.js";
import "./import.css";

interface Imported {
  text: string;
  draft: ImportedDraft;
}

/**
 * 新建分工方案: the coordinator turns a policy document's text into a plan. Read the text (plan.import), review the
 * structure beside the text and the proposed division in a matrix, save the draft (plan.create), then issue it.
 */
export function ImportPage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  // English says "1 measure", not "1 measures": the …One key for one.
  const countOf = (
    n: number,
    one: "planImport.sectionCountOne" | "planImport.measureCountOne" | "planImport.warningCountOne",
    many: "planImport.sectionCount" | "planImport.measureCount" | "planImport.warningCount",
  ): string => (n === 1 ? t(one) : t(many, { n }));
  usePageTitle(t("planImport.title"));
  const [imported, setImported] = useState<Imported | null>(null);
  const [review, setReview] = useState<Review | null>(null);
  const [savedPlanId, setSavedPlanId] = useState<number | null>(null);
  const reviewHeading = useRef<HTMLHeadingElement>(null);
  // Counts the readings; after each one has rendered, the focus moves on to its result (for keyboard and
  // screen-reader users alike). An effect, not a frame callback: a large review may not be rendered by the next frame.
  const [readings, setReadings] = useState(0);
  useEffect(() => {
    if (readings > 0) reviewHeading.current?.focus();
  }, [readings]);

  if (user.role !== "coordinator") {
    return (
      <section className="page">
        <h1>{t("planImport.title")}</h1>
        <p className="notice notice-error">{t("planImport.notCoordinator")}</p>
      </section>
    );
  }

  function onImported(text: string, draft: ImportedDraft) {
    setImported({ text, draft });
    setReview(reviewOf(draft));
    setSavedPlanId(null);
    setReadings((n) => n + 1);
  }

  const locked = savedPlanId !== null;
  return (
    <div className="import-page">
      <section className="page" aria-labelledby="import-title">
        <h1 id="import-title">{t("planImport.title")}</h1>
        <p>{t("planImport.intro")}</p>
        <SourceForm onImported={onImported} hasReview={review !== null} disabled={locked} />
      </section>
      {imported && review ? (
        <>
          <section className="page" aria-labelledby="import-review-title" data-testid="import-review">
            <h2 id="import-review-title" ref={reviewHeading} tabIndex={-1}>
              {t("planImport.reviewTitle")}
            </h2>
            <p role="status" data-testid="import-summary">
              {t("planImport.summary", {
                sections: countOf(imported.draft.sections.length, "planImport.sectionCountOne", "planImport.sectionCount"),
                measures: countOf(imported.draft.measures.length, "planImport.measureCountOne", "planImport.measureCount"),
                warnings: countOf(imported.draft.warnings.length, "planImport.warningCountOne", "planImport.warningCount"),
              })}
            </p>
            <StructureReview text={imported.text} draft={imported.draft} review={review} onChange={setReview} disabled={locked} />
          </section>
          <section className="page" aria-labelledby="import-division-title">
            <h2 id="import-division-title">{t("planImport.divisionTitle")}</h2>
            <DivisionMatrix draft={imported.draft} review={review} onChange={setReview} disabled={locked} />
          </section>
          <SaveAndIssue draft={imported.draft} review={review} savedPlanId={savedPlanId} onSaved={setSavedPlanId} />
        </>
      ) : null}
    </div>
  );
}
