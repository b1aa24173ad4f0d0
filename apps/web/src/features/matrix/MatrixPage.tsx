import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useSearch } from "wouter";
import { usePageTitle } from "../../app/usePageTitle.js";
import { latenessSymbol, StateLegendItems, statusSymbol } from "../../components/Badges.js";
import { QueryError } from "../../components/QueryError.js";
import { sectionValues, useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import type { SessionUser } from "../auth/session.js";
import { formatPlanDate, planCalendarDate } from "@countersign/domain";
import { measureHref, PlanPicker, usePlan, usePlanId } from "../catalog/plan.js";
import { ExportLinks } from "./ExportLinks.js";

const roleSymbol = { lead: "●", supporting: "○" } as const;

/** 责任分工矩阵: sections as group rows, one column per department, lead and supporting marked. */
export function MatrixPage(_props: { user: SessionUser }) {
  const { t } = useTranslation();
  const format = useFormat();
  usePageTitle(t("matrix.title"));
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(useSearch());
  const withStatus = params.get("status") === "1";
  const { planId } = usePlanId();
  const plan = usePlan(planId);
  const toggleId = useId();
  const matrix = useQuery({
    ...trpc.matrix.get.queryOptions({ planId: planId ?? 0, withStatus }),
    enabled: planId !== undefined,
    placeholderData: keepPreviousData,
  });

  function setWithStatus(on: boolean) {
    const next = new URLSearchParams(params);
    if (on) next.set("status", "1");
    else next.delete("status");
    const query = next.toString();
    navigate(query ? `${location}?${query}` : location, { replace: true });
  }

  const zh = format.language === "zh";
  const data = matrix.data?.matrix;
  const columnCount = (data?.columns.length ?? 0) + 1 + (data?.withStatus ? 1 : 0);

  return (
    <section className="page matrix-page" aria-labelledby="matrix-title">
      <div className="page-header">
        <h1 id="matrix-title">{t("matrix.title")}</h1>
        {plan.data ? (
          // On paper the matrix must say which document it divides and when it was printed.
          <p className="print-only matrix-print-header" data-testid="matrix-print-header">
            {(format.language === "zh" ? plan.data.plan.titleZh : plan.data.plan.titleEn) || plan.data.plan.titleEn || plan.data.plan.titleZh}
            {plan.data.plan.documentNumber ? `　${plan.data.plan.documentNumber}` : ""}
            {`　${t("matrix.printedOn", { date: formatPlanDate(planCalendarDate(new Date()), format.language) })}`}
          </p>
        ) : null}
        <fieldset className="plain-fieldset export-links no-print">
          <legend className="visually-hidden">{t("matrix.exports")}</legend>
          {planId !== undefined ? <ExportLinks planId={planId} withStatus={withStatus} /> : null}
          <button type="button" className="button" onClick={() => window.print()}>
            {t("matrix.print")}
          </button>
        </fieldset>
      </div>
      <div className="toolbar">
        <PlanPicker planId={planId} />
        <label className="field-inline" htmlFor={toggleId}>
          <input id={toggleId} type="checkbox" checked={withStatus} onChange={(e) => setWithStatus(e.target.checked)} />
          {t("matrix.withStatus")}
        </label>
      </div>
      <ul className="legend" aria-label={t("matrix.legend")}>
        <li>
          <span aria-hidden="true" className="mark-lead">
            {roleSymbol.lead}
          </span>
          {t("matrix.lead")}
        </li>
        <li>
          <span aria-hidden="true">{roleSymbol.supporting}</span>
          {t("matrix.supporting")}
        </li>
        {withStatus ? <StateLegendItems /> : null}
      </ul>

      {matrix.isError ? <QueryError error={matrix.error} onRetry={() => void matrix.refetch()} /> : null}
      {!data ? <p className="loading">{t("app.loading")}</p> : null}
      {data ? (
        <div className="table-wrap">
          <table className="matrix" data-testid="matrix">
            <caption className="muted">{t("matrix.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("inbox.columns.measure")}</th>
                {data.columns.map((c) => (
                  <th scope="col" key={c.code} data-department={c.code}>
                    <abbr title={zh ? c.nameZh : c.nameEn}>{zh ? c.shortZh : c.shortEn}</abbr>
                  </th>
                ))}
                {data.withStatus ? <th scope="col">{t("tracking.measureStatusColumn")}</th> : null}
              </tr>
            </thead>
            {data.groups.map((group) => (
              <tbody key={group.section.number}>
                <tr className="section-row">
                  <th scope="rowgroup" colSpan={columnCount}>
                    {t("measure.section", sectionValues(group.section))}
                  </th>
                </tr>
                {group.rows.map((row) => (
                  <tr key={row.measure.number} data-measure={row.measure.number}>
                    <th scope="row">
                      <Link href={measureHref(row.measure.number, planId)}>{t("measure.number", { number: row.measure.number })}</Link>{" "}
                      <span lang="en">{row.measure.title}</span>
                      {row.measure.textCut ? (
                        <span className="flag-cut">
                          {" "}
                          <span aria-hidden="true">⚠</span> {t("measure.textCutShort")}
                        </span>
                      ) : null}
                    </th>
                    {row.cells.map((cell) => (
                      <td key={cell.department} data-department={cell.department} data-role={cell.role ?? ""} data-status={cell.status ?? ""}>
                        {cell.role ? (
                          <span className={`mark mark-${cell.role}`}>
                            <span aria-hidden="true">{roleSymbol[cell.role]}</span>
                            <span className="visually-hidden">{t(`role.${cell.role}`)}</span>
                            {cell.status ? (
                              <span className="mark-status">
                                <span aria-hidden="true">{statusSymbol[cell.status]}</span>
                                {cell.lateness && cell.lateness !== "none" ? (
                                  <span aria-hidden="true" className={`late-mark late-mark-${cell.lateness}`}>
                                    {latenessSymbol[cell.lateness]}
                                  </span>
                                ) : null}
                                <span className="visually-hidden">
                                  {t(`status.${cell.status}`)}
                                  {cell.lateness && cell.lateness !== "none" ? `, ${t(`lateness.${cell.lateness}`)}` : ""}
                                </span>
                              </span>
                            ) : null}
                          </span>
                        ) : null}
                      </td>
                    ))}
                    {data.withStatus ? <td>{row.measureStatus ? t(`measureStatus.${row.measureStatus}`) : ""}</td> : null}
                  </tr>
                ))}
              </tbody>
            ))}
            <tfoot>
              <tr>
                <th scope="row">{`${t("matrix.lead")} / ${t("matrix.supporting")}`}</th>
                {data.totals.map((total) => (
                  <td key={total.department}>
                    {format.number(total.lead)} / {format.number(total.supporting)}
                  </td>
                ))}
                {data.withStatus ? <td /> : null}
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
    </section>
  );
}
