import type { AssignmentActionType, AssignmentStatus } from "@countersign/domain";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format.js";
import { useDepartments } from "../catalog/departments.js";
import { unavailableLines } from "./unavailable-lines.js";
import type { Availability } from "./unavailable-lines.js";

export type { Availability } from "./unavailable-lines.js";

/**
 * Every action of the caller's role that is not offered now, each with why (the domain's refusal, in the reader's
 * language): e.g. a lead told it signs off only after the supporting departments it names.
 */
export function Unavailable({
  availability,
  order,
  status,
}: {
  availability: readonly Availability[];
  order: readonly AssignmentActionType[];
  status: AssignmentStatus;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const departments = useDepartments();
  const headingId = useId();
  const { byState, others } = unavailableLines(availability, order);
  if (byState.length === 0 && others.length === 0) return null;
  const why = (a: Availability): string => {
    const refusal = a.refusal;
    if (refusal === null) return "";
    if (refusal.code === "supporting_not_signed_off" && refusal.waitingFor !== undefined) {
      return t("why.supporting_not_signed_off", { departments: format.list(refusal.waitingFor.map((d) => departments.short(d))) });
    }
    return t(`refusal.${refusal.code}`, { defaultValue: refusal.message });
  };
  return (
    <section className="unavailable-actions" aria-labelledby={headingId} data-testid="unavailable-actions">
      <h3 id={headingId}>{t("why.title")}</h3>
      <ul>
        {byState.length > 0 ? (
          <li data-refusal="invalid_state" data-actions={byState.map((a) => a.action).join(" ")}>
            {t(`why.state.${status}`)}
          </li>
        ) : null}
        {others.map((a) => (
          <li key={a.action} data-action={a.action} data-refusal={a.refusal?.code}>
            <strong>{t(`action.${a.action}`)}</strong>
            {t("why.separator")}
            {why(a)}
          </li>
        ))}
      </ul>
    </section>
  );
}
