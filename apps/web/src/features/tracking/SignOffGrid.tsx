import type { DepartmentCode } from "@countersign/domain";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { latenessSymbol, MeasureStatusBadge, statusSymbol } from "../../components/Badges.js";
import type { RouterOutputs } from "../../trpc.js";
import { useDepartments } from "../catalog/departments.js";
import { measureHref } from "../catalog/plan.js";

type Overview = RouterOutputs["tracking"]["overview"];
type TrackingAssignment = Overview["measures"][number]["assignments"][number];

/** The live assignment of a department on a measure (a withdrawn one only if nothing replaced it). */
function cellAssignment(assignments: readonly TrackingAssignment[], department: DepartmentCode): TrackingAssignment | undefined {
  const mine = assignments.filter((a) => a.department === department);
  return mine.find((a) => a.status !== "withdrawn") ?? mine[0];
}

/** 报结情况表: measures × departments, every cell a state and a lateness mark, each a link to the assignment. */
export function SignOffGrid({ overview, columns }: { overview: Overview; columns: readonly DepartmentCode[] }) {
  const { t } = useTranslation();
  const departments = useDepartments();
  return (
    <div className="table-wrap">
      <table className="grid" data-testid="signoff-grid">
        <caption className="muted">{t("tracking.gridCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("tracking.measureColumn")}</th>
            <th scope="col">{t("tracking.measureStatusColumn")}</th>
            {columns.map((code) => (
              <th scope="col" key={code} data-department={code}>
                <abbr title={departments.full(code)}>{departments.short(code)}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {overview.measures.map((measure) => (
            <tr key={measure.number} data-measure={measure.number} data-measure-status={measure.status}>
              <th scope="row">
                <Link href={measureHref(measure.number, overview.plan.id)}>
                  <span className="measure-no">{t("measure.number", { number: measure.number })}</span>
                  <span className="measure-title" lang="en" title={measure.title}>
                    {measure.title}
                  </span>
                </Link>
              </th>
              <td className="status-col">
                <MeasureStatusBadge status={measure.status} />
              </td>
              {columns.map((code) => {
                const a = cellAssignment(measure.assignments, code);
                if (!a) {
                  return (
                    <td key={code} className="empty" data-department={code}>
                      <span className="visually-hidden">{t("tracking.notResponsible")}</span>
                    </td>
                  );
                }
                const label = [
                  t("tracking.cellLabel", { department: departments.full(code), role: t(`role.${a.role}`), status: t(`status.${a.status}`) }),
                  a.lateness !== "none" ? t(`lateness.${a.lateness}`) : null,
                  a.extensionPending ? t("action.requestExtension") : null,
                ]
                  .filter(Boolean)
                  .join(", ");
                return (
                  <td key={code} className={`cell-${a.status}`} data-department={code} data-status={a.status} data-lateness={a.lateness}>
                    <Link href={`/assignments/${a.id}`} className="cell" title={label}>
                      <span className="cell-symbol" aria-hidden="true">
                        {statusSymbol[a.status]}
                        {a.lateness !== "none" ? <span className={`late-mark late-mark-${a.lateness}`}>{latenessSymbol[a.lateness]}</span> : null}
                      </span>
                      <span className="cell-role" aria-hidden="true">
                        {t(`roleShort.${a.role}`)}
                      </span>
                      <span className="visually-hidden">{label}</span>
                    </Link>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
