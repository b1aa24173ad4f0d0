// The tracking page's charts (issue 14 point 4): each department's on-time rate, open against signed-off work by week,
// and lateness by department. Each chart is an image with a name and a description for screen readers, with its
// figures in a table that follows it (visually hidden: the chart shows them); lateness levels differ by colour, by
// pattern (ECharts decals) and by their named legend, never by colour alone.
import type { DepartmentCode } from "@countersign/domain";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import { latenessSymbol } from "../../components/Badges.js";
import { QueryError } from "../../components/QueryError.js";
import { useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import { useDepartments } from "../catalog/departments.js";
import { echarts } from "./echarts.js";
import type { EChartsCoreOption } from "./echarts.js";

/** The lateness levels charted, with the page's own colours for them (styles.css: --warn, --bad, --worse). */
const levels = [
  { key: "due_soon", color: "#c98a00" },
  { key: "overdue", color: "#b42318" },
  { key: "long_overdue", color: "#5c0b0b" },
] as const;
const ink = "#1b2430";

export interface LatenessTally {
  department: DepartmentCode;
  byLateness: Record<"none" | "due_soon" | "overdue" | "long_overdue", number>;
}

/** One ECharts chart in an SVG, drawn into a div that is an image named `label` and described by `description`. */
function Chart({ option, label, description, height }: { option: EChartsCoreOption; label: string; description: string; height: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  const { i18n } = useTranslation();
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const instance = echarts.init(element, null, { renderer: "svg", locale: i18n.language === "en" ? "EN" : "ZH" });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [i18n.language]);
  useEffect(() => {
    // ECharts' decals tell the series apart without colour; its generated label is off: the div carries our name.
    chart.current?.setOption({ ...option, aria: { enabled: true, label: { enabled: false }, decal: { show: true } } }, true);
  }, [option]);
  const name = i18n.language === "en" ? `${label}. ${description}` : `${label}。${description}`;
  return <div ref={ref} role="img" aria-label={name} className="chart" style={{ height }} />;
}

/** A chart with its title, and its figures as a table for screen readers. */
function Figure({ title, children, table }: { title: string; children: React.ReactNode; table: React.ReactNode }) {
  const id = useId();
  const { t } = useTranslation();
  return (
    <figure className="chart-figure" aria-labelledby={id}>
      <figcaption id={id}>{title}</figcaption>
      {children}
      <div className="visually-hidden">
        <table>
          <caption>
            {title}: {t("tracking.charts.dataTable")}
          </caption>
          {table}
        </table>
      </div>
    </figure>
  );
}

const axisText = { color: ink, fontSize: 12 };

export default function TrackingCharts({ planId, tallies }: { planId: number; tallies: readonly LatenessTally[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const departments = useDepartments();
  const trend = useQuery(trpc.tracking.trend.queryOptions({ planId }));

  const rates = trend.data?.departments ?? [];
  const weeks = trend.data?.weeks ?? [];
  const lateTallies = tallies.filter((d) => levels.some((l) => d.byLateness[l.key] > 0));

  const onTimeOption = useMemo<EChartsCoreOption>(
    () => ({
      grid: { left: 8, right: 48, top: 8, bottom: 8 },
      tooltip: { trigger: "axis", valueFormatter: (v: unknown) => (typeof v === "number" ? `${v}%` : "—") },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { ...axisText, formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: rates.map((d) => departments.short(d.department)), axisLabel: axisText },
      series: [
        {
          type: "bar",
          name: t("tracking.charts.onTimeRate"),
          color: "#166534",
          data: rates.map((d) => (d.rate === null ? null : Math.round(d.rate * 100))),
          label: { show: true, position: "right", color: ink, formatter: "{c}%" },
        },
      ],
    }),
    [rates, departments, t],
  );
  const trendOption = useMemo<EChartsCoreOption>(
    () => ({
      grid: { left: 8, right: 16, top: 36, bottom: 8 },
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: axisText },
      xAxis: { type: "category", data: weeks.map((w) => w.weekStart.slice(5)), axisLabel: axisText },
      yAxis: { type: "value", minInterval: 1, axisLabel: axisText },
      series: [
        { type: "line", name: t("tracking.charts.open"), color: "#b42318", symbol: "circle", data: weeks.map((w) => w.open) },
        { type: "line", name: t("tracking.charts.done"), color: "#166534", symbol: "diamond", lineStyle: { type: "dashed" }, data: weeks.map((w) => w.done) },
      ],
    }),
    [weeks, t],
  );
  const latenessOption = useMemo<EChartsCoreOption>(
    () => ({
      grid: { left: 8, right: 16, top: 36, bottom: 8 },
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: axisText },
      xAxis: { type: "value", minInterval: 1, axisLabel: axisText },
      yAxis: { type: "category", inverse: true, data: lateTallies.map((d) => departments.short(d.department)), axisLabel: axisText },
      series: levels.map((l) => ({
        type: "bar",
        stack: "lateness",
        name: `${latenessSymbol[l.key]} ${t(`lateness.${l.key}`)}`,
        color: l.color,
        data: lateTallies.map((d) => d.byLateness[l.key]),
      })),
    }),
    [lateTallies, departments, t],
  );

  return (
    <section className="page" aria-labelledby="charts-title" data-testid="tracking-charts">
      <h2 id="charts-title">{t("tracking.charts.title")}</h2>
      {trend.isError ? <QueryError error={trend.error} onRetry={() => void trend.refetch()} /> : null}
      {trend.isPending ? <p className="loading">{t("tracking.charts.loading")}</p> : null}
      <div className="charts">
        {trend.data ? (
          <Figure
            title={t("tracking.charts.onTimeTitle")}
            table={
              <>
                <thead>
                  <tr>
                    <th scope="col">{t("assignment.department")}</th>
                    <th scope="col">{t("tracking.charts.onTime")}</th>
                    <th scope="col">{t("tracking.charts.late")}</th>
                    <th scope="col">{t("tracking.charts.onTimeRate")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rates.map((d) => (
                    <tr key={d.department}>
                      <th scope="row">{departments.full(d.department)}</th>
                      <td>{format.number(d.onTime)}</td>
                      <td>{format.number(d.late)}</td>
                      <td>{d.rate === null ? t("tracking.charts.nothingDue") : format.percent(d.rate)}</td>
                    </tr>
                  ))}
                </tbody>
              </>
            }
          >
            <Chart option={onTimeOption} label={t("tracking.charts.onTimeTitle")} description={t("tracking.charts.onTimeDescription")} height={Math.max(160, rates.length * 26 + 24)} />
          </Figure>
        ) : null}
        {trend.data ? (
          <Figure
            title={t("tracking.charts.trendTitle")}
            table={
              <>
                <thead>
                  <tr>
                    <th scope="col">{t("tracking.charts.week")}</th>
                    <th scope="col">{t("tracking.charts.open")}</th>
                    <th scope="col">{t("tracking.charts.done")}</th>
                  </tr>
                </thead>
                <tbody>
                  {weeks.map((w) => (
                    <tr key={w.weekStart}>
                      <th scope="row">{format.dueDate(w.weekStart)}</th>
                      <td>{format.number(w.open)}</td>
                      <td>{format.number(w.done)}</td>
                    </tr>
                  ))}
                </tbody>
              </>
            }
          >
            {weeks.length === 0 ? (
              <p className="muted">{t("tracking.charts.noWeeks")}</p>
            ) : (
              <Chart option={trendOption} label={t("tracking.charts.trendTitle")} description={t("tracking.charts.trendDescription")} height={280} />
            )}
          </Figure>
        ) : null}
        <Figure
          title={t("tracking.charts.latenessTitle")}
          table={
            <>
              <thead>
                <tr>
                  <th scope="col">{t("assignment.department")}</th>
                  {levels.map((l) => (
                    <th scope="col" key={l.key}>
                      {t(`lateness.${l.key}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {lateTallies.map((d) => (
                  <tr key={d.department}>
                    <th scope="row">{departments.full(d.department)}</th>
                    {levels.map((l) => (
                      <td key={l.key}>{format.number(d.byLateness[l.key])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </>
          }
        >
          {lateTallies.length === 0 ? (
            <p className="muted">{t("tracking.charts.noLateness")}</p>
          ) : (
            <Chart option={latenessOption} label={t("tracking.charts.latenessTitle")} description={t("tracking.charts.latenessDescription")} height={Math.max(160, lateTallies.length * 26 + 60)} />
          )}
        </Figure>
      </div>
    </section>
  );
}
