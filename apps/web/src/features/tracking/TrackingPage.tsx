import { assignmentStatuses } from "@countersign/domain";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { usePageTitle } from "../../app/usePageTitle.js";
import { latenessSymbol, StateLegendItems, StatusBadge } from "../../components/Badges.js";
import { QueryError } from "../../components/QueryError.js";
import { useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import { canReadAnyDepartment } from "../auth/session.js";
import type { SessionUser } from "../auth/session.js";
import { useDepartments } from "../catalog/departments.js";
import { PlanPicker, usePlanId } from "../catalog/plan.js";
import { ForwardedWaiting } from "../cascade/ForwardedWaiting.js";
import { ProgressExportLinks } from "../matrix/ExportLinks.js";
import { AuditTrailStatus } from "./AuditTrailStatus.js";
import { DeclinedQueue, ExtensionQueue, OverdueQueue } from "./Queues.js";
import { SignOffGrid } from "./SignOffGrid.js";

// ECharts is loaded only when the charts are drawn, after the page's own figures (the JavaScript budget).
const TrackingCharts = lazy(() => import("./TrackingCharts.js"));

/** The lead ministry's home: how far the plan is, the sign-off grid, and the queues that need a decision. */
export function TrackingPage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const format = useFormat();
  const departments = useDepartments();
  usePageTitle(t("tracking.title"));
  const { planId, isPending: planPending } = usePlanId();
  const overview = useQuery({ ...trpc.tracking.overview.queryOptions({ planId: planId ?? 0 }), enabled: planId !== undefined });
  const canAct = user.role === "coordinator";

  if (planId === undefined) {
    return (
      <section className="page">
        <h1>{t("tracking.title")}</h1>
        <p className="muted">{planPending ? t("app.loading") : t("tracking.noPlan")}</p>
        {canAct && !planPending ? <ForwardedWaiting /> : null}
      </section>
    );
  }
  if (overview.isError) {
    return (
      <section className="page">
        <h1>{t("tracking.title")}</h1>
        <QueryError error={overview.error} onRetry={() => void overview.refetch()} />
      </section>
    );
  }
  const data = overview.data;
  if (!data) return <p className="loading">{t("app.loading")}</p>;

  const total = data.measures.length;
  const closed = data.totals.measuresByStatus.closed;
  const countersigned = data.totals.measuresByStatus.countersigned + closed;
  const columns = data.departments.map((d) => d.department);
  const planTitle = format.language === "zh" ? data.plan.titleZh : data.plan.titleEn;

  return (
    <div className="tracking-page">
      <section className="page" aria-labelledby="tracking-title">
        <div className="page-header">
          <h1 id="tracking-title">{t("tracking.title")}</h1>
          <p className="muted">
            {t("tracking.plan")}: {planTitle}
          </p>
          <PlanPicker planId={planId} />
          <ProgressExportLinks planId={planId} />
        </div>
        {data.plan.status !== "issued" ? (
          <p className="notice notice-warning">
            {t("tracking.notIssued")} <Link href={`/division?plan=${planId}`}>{t("division.title")}</Link>
          </p>
        ) : null}
        {/* The server lets the coordinator, observers and admins walk the whole trail; liaisons read only their own. */}
        {canReadAnyDepartment(user) ? <AuditTrailStatus /> : null}
        <h2>{t("tracking.progress")}</h2>
        <div className="stats">
          <Stat label={t("tracking.countersigned")} count={countersigned} total={total} testId="stat-countersigned" />
          <Stat label={t("tracking.closed")} count={closed} total={total} testId="stat-closed" />
        </div>
        <h3>{t("tracking.byState")}</h3>
        <ul className="state-counts" data-testid="state-counts">
          {assignmentStatuses.map((s) => (
            <li key={s} data-status={s}>
              <StatusBadge status={s} /> {format.number(data.totals.byStatus[s])}
            </li>
          ))}
          {(["due_soon", "overdue", "long_overdue"] as const).map((l) => (
            <li key={l} data-lateness={l}>
              <span className={`lateness lateness-${l}`}>
                <span aria-hidden="true">{latenessSymbol[l]}</span>
                {t(`lateness.${l}`)}
              </span>{" "}
              {format.number(data.totals.byLateness[l])}
            </li>
          ))}
        </ul>
      </section>

      <Suspense fallback={<p className="loading">{t("tracking.charts.loading")}</p>}>
        <TrackingCharts planId={planId} tallies={data.departments} />
      </Suspense>

      <section className="page" aria-labelledby="grid-title">
        <h2 id="grid-title">{t("tracking.grid")}</h2>
        <ul className="legend" aria-label={t("tracking.legend")}>
          <StateLegendItems />
          <li>
            <span aria-hidden="true">{t("roleShort.lead")}</span> {t("role.lead")}
          </li>
          <li>
            <span aria-hidden="true">{t("roleShort.supporting")}</span> {t("role.supporting")}
          </li>
        </ul>
        <SignOffGrid overview={data} columns={columns} />
      </section>

      <section className="page" aria-labelledby="queues-title">
        <h2 id="queues-title">{t("tracking.queues")}</h2>
        <div className="queues">
          <DeclinedQueue overview={data} canAct={canAct} />
          <ExtensionQueue overview={data} canAct={canAct} />
          <OverdueQueue planId={planId} canAct={canAct} />
        </div>
      </section>

      <section className="page" aria-labelledby="departments-title">
        <h2 id="departments-title">{t("tracking.byDepartment")}</h2>
        <div className="table-wrap">
          <table className="data" data-testid="department-tallies">
            <thead>
              <tr>
                <th scope="col">{t("assignment.department")}</th>
                <th scope="col">{t("role.lead")}</th>
                <th scope="col">{t("role.supporting")}</th>
                {assignmentStatuses.map((s) => (
                  <th scope="col" key={s}>
                    {t(`status.${s}`)}
                  </th>
                ))}
                <th scope="col">{t("lateness.overdue")}</th>
              </tr>
            </thead>
            <tbody>
              {data.departments.map((d) => (
                <tr key={d.department}>
                  <th scope="row">
                    <Link href={`/inbox/${d.department}`}>{departments.full(d.department)}</Link>
                  </th>
                  <td>{format.number(d.lead)}</td>
                  <td>{format.number(d.supporting)}</td>
                  {assignmentStatuses.map((s) => (
                    <td key={s}>{format.number(d.byStatus[s])}</td>
                  ))}
                  <td>{format.number(d.byLateness.overdue + d.byLateness.long_overdue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

function Stat({ label, count, total, testId }: { label: string; count: number; total: number; testId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="stat" data-testid={testId} data-count={count} data-total={total}>
      <p>{label}</p>
      <p className="stat-value">{t("tracking.outOf", { n: format.number(count), total: format.number(total) })}</p>
      <progress max={total || 1} value={count} aria-label={label} />
    </div>
  );
}
