import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format.js";

/** One plan in which the department has work, with its counts (the server's `InboxPlan`). */
export interface InboxPlanSummary {
  planId: number;
  titleEn: string;
  titleZh: string;
  documentNumber: string;
  status: "draft" | "issued" | "withdrawn";
  open: number;
  overdue: number;
  unread: number;
}

/** A plan's name in the language shown, with its document number (titles of two plans of one kind can be alike). */
export function planLabel(plan: Pick<InboxPlanSummary, "titleEn" | "titleZh" | "documentNumber">, language: string): string {
  const title = (language === "en" ? plan.titleEn : plan.titleZh) || plan.titleEn || plan.titleZh;
  return plan.documentNumber ? `${title}（${plan.documentNumber}）` : title;
}

/**
 * The inbox's plan filter and per-plan counts: every plan with the department's work (newest first) and how much of
 * it is open, overdue and unread, so that work in an older plan stays in sight after a newer plan is issued.
 */
export function InboxPlans({
  plans,
  planId,
  onChoose,
}: {
  plans: readonly InboxPlanSummary[];
  planId: number | undefined;
  onChoose: (planId: number | undefined) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const selectId = useId();
  const headingId = useId();
  if (plans.length === 0) return null;
  return (
    <section className="inbox-plans" aria-labelledby={headingId} data-testid="inbox-plans">
      <h2 id={headingId} className="visually-hidden">
        {t("inbox.perPlan")}
      </h2>
      <div className="field field-inline">
        <label htmlFor={selectId}>{t("inbox.planFilter")}</label>
        <select id={selectId} value={planId ?? ""} onChange={(e) => onChoose(e.target.value === "" ? undefined : Number(e.target.value))}>
          <option value="">{t("inbox.allPlans", { n: format.number(plans.length) })}</option>
          {plans.map((p) => (
            <option key={p.planId} value={p.planId}>
              {planLabel(p, format.language)}
            </option>
          ))}
        </select>
      </div>
      <ul className="plan-counts">
        {plans.map((p) => (
          <li key={p.planId} data-plan-id={p.planId} aria-current={p.planId === planId ? "true" : undefined}>
            <button type="button" className="button button-quiet plan-count" onClick={() => onChoose(p.planId === planId ? undefined : p.planId)}>
              <span className="plan-count-title">{planLabel(p, format.language)}</span>
              {p.status === "withdrawn" ? <span className="muted"> ({t("planStatus.withdrawn")})</span> : null}
              <span className="plan-count-figures">
                {t("inbox.planOpen", { n: format.number(p.open) })}
                {p.overdue > 0 ? ` · ${t("inbox.planOverdue", { n: format.number(p.overdue) })}` : ""}
                {p.unread > 0 ? ` · ${t("inbox.planUnread", { n: format.number(p.unread) })}` : ""}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
