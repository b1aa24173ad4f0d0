import type { AssignmentActionType, AssignmentStatus, RefusalCode } from "@countersign/domain";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format.js";
import { useDepartments } from "../catalog/departments.js";

/** The server's `actionAvailability` entry: one action and, when it is not open now, the domain's refusal. */
export interface Availability {
  action: AssignmentActionType;
  allowed: boolean;
  refusal: { code: RefusalCode; message: string; waitingFor?: string[] | undefined } | null;
}

/** Refusals that only say the action belongs to another role: not offered, and nothing to explain. */
const otherRoles: ReadonlySet<string> = new Set(["wrong_role", "read_only", "not_your_department"]);

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
  const shown = order
    .map((action) => availability.find((a) => a.action === action))
    .filter((a): a is Availability => a !== undefined && !a.allowed && a.refusal !== null && !otherRoles.has(a.refusal.code));
  if (shown.length === 0) return null;
  const why = (a: Availability): string => {
    const refusal = a.refusal;
    if (refusal === null) return "";
    if (refusal.code === "supporting_not_signed_off" && refusal.waitingFor !== undefined) {
      return t("why.supporting_not_signed_off", { departments: format.list(refusal.waitingFor.map((d) => departments.short(d))) });
    }
    if (refusal.code === "invalid_state") return t("why.invalid_state", { status: t(`status.${status}`) });
    return t(`refusal.${refusal.code}`, { defaultValue: refusal.message });
  };
  return (
    <section className="unavailable-actions" aria-labelledby={headingId} data-testid="unavailable-actions">
      <h3 id={headingId}>{t("why.title")}</h3>
      <ul>
        {shown.map((a) => (
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
