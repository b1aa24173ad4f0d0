// Status, lateness and role shown by a symbol and a word, with colour only as a third cue.
import { assignmentStatuses, latenessLevels } from "@countersign/domain";
import type { AssignmentStatus, Lateness, MeasureStatus, Role } from "@countersign/domain";
import { useTranslation } from "react-i18next";

export const statusSymbol: Record<AssignmentStatus, string> = {
  assigned: "○",
  accepted: "◔",
  in_progress: "◑",
  declined: "✕",
  signed_off: "✓",
  withdrawn: "–",
};

export const latenessSymbol: Record<Lateness, string> = {
  none: "",
  // ◷ (U+25F7, a clock face) is in the CJK fonts the product ships with; ⏱ (U+23F1) is in none of them.
  due_soon: "◷",
  overdue: "!",
  long_overdue: "‼",
};

export const measureStatusSymbol: Record<MeasureStatus, string> = {
  not_started: "○",
  in_progress: "◑",
  awaiting_lead: "◕",
  countersigned: "✓",
  closed: "■",
};

export function StatusBadge({ status }: { status: AssignmentStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`status status-${status}`} data-status={status}>
      <span aria-hidden="true">{statusSymbol[status]}</span>
      {t(`status.${status}`)}
    </span>
  );
}

export function LatenessBadge({ lateness, showNone = false }: { lateness: Lateness; showNone?: boolean }) {
  const { t } = useTranslation();
  if (lateness === "none" && !showNone) return null;
  return (
    <span className={`lateness lateness-${lateness}`} data-lateness={lateness}>
      {latenessSymbol[lateness] ? <span aria-hidden="true">{latenessSymbol[lateness]}</span> : null}
      {t(`lateness.${lateness}`)}
    </span>
  );
}

export function RoleBadge({ role }: { role: Role }) {
  const { t } = useTranslation();
  return <span className={`role-tag role-${role}`}>{t(`role.${role}`)}</span>;
}

export function MeasureStatusBadge({ status }: { status: MeasureStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`measure-status measure-status-${status}`} data-measure-status={status}>
      <span aria-hidden="true">{measureStatusSymbol[status]}</span>
      {t(`measureStatus.${status}`)}
    </span>
  );
}

/** The legend entries of the state and lateness marks a matrix or grid shows (a mark is hidden, its word is read). */
export function StateLegendItems() {
  const { t } = useTranslation();
  return (
    <>
      {assignmentStatuses.map((s) => (
        <li key={s}>
          <span aria-hidden="true">{statusSymbol[s]}</span>
          {t(`status.${s}`)}
        </li>
      ))}
      {latenessLevels
        .filter((l) => l !== "none")
        .map((l) => (
          <li key={l}>
            <span aria-hidden="true" className={`late-mark late-mark-${l}`}>
              {latenessSymbol[l]}
            </span>
            {t(`lateness.${l}`)}
          </li>
        ))}
    </>
  );
}
