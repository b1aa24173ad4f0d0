/**
 * The compiled round report's chart (issue 14 point 4): each department's reports by standing, as a horizontal stacked
 * bar chart, drawn on the server by Apache ECharts (server-side rendering with the SVG renderer, `renderToSVGString`).
 * The SVG keeps its words as text (the PDF's pdftotext reads the title, the departments and the legend); each
 * standing has its own colour and decal pattern and its name in the legend, so the chart reads in black and white.
 */
import { roundStandingsByDepartment } from "@countersign/domain";
import type { Language, RoundReportStanding } from "@countersign/domain";
import { BarChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TitleComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import type { CompiledRound } from "./round-report.js";

echarts.use([BarChart, GridComponent, LegendComponent, TitleComponent, AriaComponent, SVGRenderer]);

export interface RoundChart {
  /** A standalone SVG document (UTF-8 text), `width` × `height` CSS pixels. */
  svg: string;
  width: number;
  height: number;
  /** The chart's title, also drawn in it. */
  title: string;
  /** A sentence for the image's text alternative (DOCX alt text). */
  description: string;
}

/** A light pattern over a bar (ECharts decal), so that a standing is told apart in black and white too. */
const decal = (symbol: string, rotation: number, dashArrayX: number[], dashArrayY: number[]) => ({
  symbol,
  rotation,
  dashArrayX,
  dashArrayY,
  symbolSize: 1,
  color: "rgba(255, 255, 255, 0.55)",
});

/** The standings in the legend's order, with their colours (the web page's: ok, warn, accent, bad, muted) and patterns. */
const standings: readonly { key: RoundReportStanding; color: string; decal: ReturnType<typeof decal> | null }[] = [
  { key: "reported", color: "#166534", decal: null },
  { key: "reported_late", color: "#c98a00", decal: decal("rect", Math.PI / 4, [1, 0], [2, 5]) },
  { key: "returned", color: "#1d4ed8", decal: decal("circle", 0, [4, 4], [4, 4]) },
  { key: "late", color: "#b42318", decal: decal("rect", -Math.PI / 4, [1, 0], [2, 3]) },
  { key: "not_reported", color: "#9aa3af", decal: decal("rect", 0, [6, 4], [1, 5]) },
];

const chartLabels: Record<Language, { title: string; description: (departments: number, reports: number) => string }> = {
  zh: {
    title: "各单位报送情况",
    description: (departments, reports) => `堆叠条形图：${departments} 个单位的 ${reports} 份报告按报送情况分列，数字见“报送情况统计”表和各措施下的报告。`,
  },
  en: {
    title: "Reports by department",
    description: (departments, reports) =>
      `Stacked bar chart: ${reports} reports of ${departments} departments by standing; the figures are in the reporting statistics table and under each measure.`,
  },
};

/** The width the chart is drawn at (CSS pixels): the PDF's A4 landscape page, a Word page's text width at 0.75 scale. */
export const roundChartWidth = 760;
const rowHeight = 24;
/** The widest a department's name is drawn (CSS pixels); longer ones end in "…". */
const labelWidth: Record<Language, number> = { zh: 160, en: 200 };

/**
 * The chart of a compiled round: departments in the order they first appear in the report (section by section, the
 * lead first), names in `lang`, standing names from `standingNames` (the report's own labels). Null when the round
 * asks for no report. Synchronous and pure apart from ECharts' own instance, disposed before returning.
 */
export function roundStandingsChart(
  round: CompiledRound,
  lang: Language,
  standingNames: Record<RoundReportStanding, string>,
): RoundChart | null {
  const names = new Map<string, string>();
  const reports = round.sections.flatMap((s) =>
    s.measures.flatMap((m) =>
      m.reports.map((r) => {
        names.set(r.department.code, lang === "zh" ? r.department.nameZh : r.department.nameEn);
        return { department: r.department.code, standing: r.standing };
      }),
    ),
  );
  if (reports.length === 0) return null;
  const byDepartment = roundStandingsByDepartment(reports);
  const l = chartLabels[lang];
  const width = roundChartWidth;
  const height = 96 + byDepartment.length * rowHeight;
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height, locale: lang === "zh" ? "ZH" : "EN" });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: "#ffffff",
      textStyle: { fontFamily: "Noto Sans CJK SC, Noto Sans, sans-serif", color: "#111111" },
      title: { text: l.title, left: "center", top: 4, textStyle: { fontSize: 15, fontWeight: "bold" } },
      legend: { top: 32, itemGap: 14, textStyle: { fontSize: 12 } },
      aria: { enabled: true, label: { enabled: true, description: l.description(byDepartment.length, reports.length) } },
      // Room for the names is fixed: ECharts measures text on the server by estimate, narrower than Latin type prints.
      grid: { left: labelWidth[lang] * 1.35 + 12, right: 24, top: 64, bottom: 24, outerBoundsMode: "none" },
      xAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: 11 } },
      yAxis: {
        type: "category",
        inverse: true,
        data: byDepartment.map((d) => names.get(d.department) ?? d.department),
        axisLabel: { fontSize: 11, width: labelWidth[lang], overflow: "truncate" },
      },
      series: standings.map((s) => ({
        type: "bar",
        stack: "standing",
        name: standingNames[s.key],
        color: s.color,
        itemStyle: s.decal === null ? {} : { decal: s.decal },
        barMaxWidth: 18,
        data: byDepartment.map((d) => d.counts[s.key]),
      })),
    });
    return { svg: chart.renderToSVGString(), width, height, title: l.title, description: l.description(byDepartment.length, reports.length) };
  } finally {
    chart.dispose();
  }
}
