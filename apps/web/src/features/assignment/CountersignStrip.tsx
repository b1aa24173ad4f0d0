import type { AssignmentStatus, DepartmentCode, Lateness, Role } from "@countersign/domain";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { LatenessBadge, RoleBadge, StatusBadge } from "../../components/Badges.js";
import { useDepartments } from "../catalog/departments.js";

export interface StripEntry {
  id?: number | null;
  department: DepartmentCode;
  role: Role;
  status: AssignmentStatus;
  lateness?: Lateness;
}

/** 报结情况: every department responsible for the measure and where each stands; the lead first. */
export function CountersignStrip({
  current,
  others,
  linkOthers,
}: {
  current: StripEntry | null;
  others: readonly StripEntry[];
  linkOthers: boolean;
}) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const order = new Map(departments.list.map((d) => [d.code, d.order]));
  const entries = [...(current ? [current] : []), ...others.filter((o) => o.department !== current?.department || o.id !== current.id)].sort(
    (a, b) => (a.role === b.role ? (order.get(a.department) ?? 99) - (order.get(b.department) ?? 99) : a.role === "lead" ? -1 : 1),
  );
  return (
    <ul className="strip" data-testid="countersign-strip">
      {entries.map((entry) => {
        const isCurrent = current !== null && entry === current;
        const name = departments.full(entry.department);
        return (
          <li key={`${entry.department}-${entry.id ?? ""}`} aria-current={isCurrent || undefined} data-department={entry.department} data-status={entry.status}>
            <span className="dept">
              {linkOthers && entry.id && !isCurrent ? <Link href={`/assignments/${entry.id}`}>{name}</Link> : name}
              {isCurrent ? <span className="muted"> ({t("assignment.thisDepartment")})</span> : null}
            </span>
            <span>
              <RoleBadge role={entry.role} /> <StatusBadge status={entry.status} />
            </span>
            {entry.lateness && entry.lateness !== "none" ? <LatenessBadge lateness={entry.lateness} /> : null}
          </li>
        );
      })}
    </ul>
  );
}
