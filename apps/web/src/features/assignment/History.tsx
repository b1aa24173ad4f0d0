import type { AssignmentStatus } from "@countersign/domain";
import { assignmentStatuses } from "@countersign/domain";
import { useTranslation } from "react-i18next";
import { StoredFiles } from "../../components/FileDrop.js";
import type { StoredFileLink } from "../../components/FileDrop.js";
import { useFormat } from "../../lib/format.js";
import { useDepartments } from "../catalog/departments.js";

export interface HistoryEvent {
  id: number | string;
  at: string;
  type: string;
  from: string | null;
  to: string | null;
  actor: string | null;
  department: string | null;
  payload: Record<string, unknown> | null;
  /**
   * The department whose assignment the event is of, where one list holds the events of several assignments (the
   * measure page): an issue says to whom it went, the other events whose work they concern.
   */
  assignmentDepartment?: string | null;
  /** The files the act carried (佐证材料), as the viewer may see them. */
  files?: readonly StoredFileLink[];
}

const isStatus = (s: string | null): s is AssignmentStatus => assignmentStatuses.some((x) => x === s);

/** Payload fields a person wrote, shown as quotes; dates and departments are formatted. */
const textFields = ["reason", "note", "summary", "message", "body"] as const;

export function History({ events }: { events: readonly HistoryEvent[] }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const departments = useDepartments();
  if (events.length === 0) return <p className="muted">{t("assignment.noHistory")}</p>;
  return (
    <ol className="timeline">
      {events.map((e) => {
        const label = i18n.exists(`event.${e.type}`) ? t(`event.${e.type}` as "event.assignment.issued") : e.type;
        const changed = isStatus(e.from) && isStatus(e.to) && e.from !== e.to;
        const payload = e.payload ?? {};
        const until = typeof payload.until === "string" ? payload.until : null;
        const toDepartment = typeof payload.toDepartment === "string" ? payload.toDepartment : null;
        // A deadline set by a change after issue or a reassignment.
        const dueDate = e.type !== "assignment.issued" && typeof payload.dueDate === "string" ? payload.dueDate : null;
        return (
          <li key={e.id} data-event={e.type}>
            <p className="when">
              <time dateTime={e.at}>{format.dateTime(e.at)}</time>
              {e.actor ? ` · ${t("assignment.by", { actor: e.actor, department: e.department ? departments.short(e.department) : t("common.none") })}` : null}
            </p>
            <p className="what">
              {label}
              {changed && isStatus(e.from) && isStatus(e.to) ? (
                <span className="muted"> ({t("assignment.fromTo", { from: t(`status.${e.from}`), to: t(`status.${e.to}`) })})</span>
              ) : null}
            </p>
            {e.assignmentDepartment ? (
              <p data-testid="event-department">
                {e.type === "assignment.issued"
                  ? t("assignment.issuedTo", { department: departments.full(e.assignmentDepartment) })
                  : t("assignment.ofDepartment", { department: departments.full(e.assignmentDepartment) })}
              </p>
            ) : null}
            {until ? <p>{`${t("field.until")}: ${format.dueDate(until)}`}</p> : null}
            {toDepartment ? <p>{`${t("field.toDepartment")}: ${departments.full(toDepartment)}`}</p> : null}
            {dueDate ? <p>{`${t("due.label")}: ${format.dueDate(dueDate)}`}</p> : null}
            {textFields.map((field) => {
              const value = payload[field];
              return typeof value === "string" && value.trim() ? <blockquote key={field}>{value}</blockquote> : null;
            })}
            <StoredFiles files={e.files ?? []} />
          </li>
        );
      })}
    </ol>
  );
}
