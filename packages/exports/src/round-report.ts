/**
 * The compiled report of a reporting round (定期调度汇总报告), issue 14 point 2: the round's statistics, then each
 * section and measure with the lead department's report first and each supporting department's after, under the
 * three headings (进展情况 / 存在问题 / 下一步计划), and the statistics as a chart (round-chart.ts: reports by
 * department and standing; in the DOCX an SVG image with a PNG fallback). As DOCX (the `docx` package: the format
 * offices edit) and as PDF (a print page printed by Chromium, as every PDF export), in Chinese or English.
 */
import { AlignmentType, Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import { chineseNumeral } from "@countersign/domain";
import type { Language, Role, RoundReportStanding, RoundStatistics } from "@countersign/domain";
import { escapeHtml, printOnlyCss } from "./html.js";
import { htmlToPdf, svgToPng } from "./pdf.js";
import { roundStandingsChart } from "./round-chart.js";

export interface CompiledRoundReport {
  department: { code: string; nameZh: string; nameEn: string };
  role: Role;
  standing: RoundReportStanding;
  /** UTC ISO time of the latest submission, or null. */
  submittedAt: string | null;
  /** Null when not submitted (a draft is the department's own). */
  progress: string | null;
  problems: string | null;
  nextSteps: string | null;
  /** Names of the files attached (佐证材料). */
  attachments: string[];
}

/**
 * One organisation's report to this round from the level below (issue 16, point 3), as signed off; "not yet reported"
 * (text null) until then. `departments` counts its own departments' reports as signed off, `below` its own children's.
 */
export interface CompiledLevelReport {
  organisation: { id: string; nameZh: string; nameEn: string };
  standing: "reported" | "returned" | "not_reported";
  submittedAt: string | null;
  progress: string | null;
  problems: string | null;
  nextSteps: string | null;
  departments: { reported: number; total: number } | null;
  below: { organisation: { id: string; nameZh: string; nameEn: string }; standing: "reported" | "returned" | "not_reported" }[];
  /** Names of the office's own evidence files (佐证材料) sent up with the signed-off report; empty when none or not yet reported. */
  files: string[];
}

export interface CompiledRound {
  title: string;
  planTitle: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  /** UTC ISO time the report was compiled. */
  compiledAt: string;
  statistics: RoundStatistics;
  sections: {
    number: number;
    numeral: string;
    title: string;
    measures: { number: number; title: string; reports: CompiledRoundReport[] }[];
  }[];
  /** The level below's reports to this round (absent or empty: the round asks none). */
  levels?: CompiledLevelReport[];
}

interface RoundLabels {
  documentTitle: (title: string) => string;
  period: (start: string, end: string, due: string) => string;
  compiled: (at: string) => string;
  statistics: string;
  statRows: [keyof RoundStatistics, string][];
  section: (numeral: string, number: number, title: string) => string;
  measure: (number: number, title: string) => string;
  role: Record<Role, string>;
  standing: Record<RoundReportStanding, string>;
  progress: string;
  problems: string;
  nextSteps: string;
  attachments: string;
  submittedAt: (at: string) => string;
  notSubmitted: string;
  none: string;
  levels: string;
  levelStanding: Record<CompiledLevelReport["standing"], string>;
  levelDepartments: (reported: number, total: number) => string;
  levelBelow: string;
}

export const roundLabels: Record<Language, RoundLabels> = {
  zh: {
    documentTitle: (title) => `${title} 汇总报告`,
    period: (start, end, due) => `报告期：${start} 至 ${end}；报送截止：${due}`,
    compiled: (at) => `汇总时间：${at}（北京时间）`,
    statistics: "报送情况统计",
    statRows: [
      ["total", "应报送（份）"],
      ["reported", "按时报送"],
      ["reportedLate", "逾期报送"],
      ["returned", "已退回待重报"],
      ["late", "逾期未报"],
      ["notReported", "未到期未报"],
      ["departments", "涉及单位（个）"],
      ["departmentsComplete", "已全部报送的单位"],
    ],
    section: (numeral) => `${numeral}`,
    measure: (number, title) => `（${chineseNumeral(number)}）${title}`,
    role: { lead: "牵头单位", supporting: "参与单位" },
    standing: { reported: "已报送", reported_late: "逾期报送", returned: "已退回", late: "逾期未报", not_reported: "未报送" },
    progress: "进展情况",
    problems: "存在问题",
    nextSteps: "下一步计划",
    attachments: "佐证材料",
    submittedAt: (at) => `报送时间：${at}`,
    notSubmitted: "尚未报送。",
    none: "无",
    levels: "下级报送情况",
    levelStanding: { reported: "已报送", returned: "已退回", not_reported: "尚未报送" },
    levelDepartments: (reported, total) => `成员单位报告：已报送 ${reported} 份，共 ${total} 份`,
    levelBelow: "其下级",
  },
  en: {
    documentTitle: (title) => `${title}: compiled report`,
    period: (start, end, due) => `Period: ${start} to ${end}; due ${due}`,
    compiled: (at) => `Compiled ${at} (Beijing time)`,
    statistics: "Reporting statistics",
    statRows: [
      ["total", "Reports asked for"],
      ["reported", "Reported on time"],
      ["reportedLate", "Reported late"],
      ["returned", "Returned, awaiting a new report"],
      ["late", "Late, not reported"],
      ["notReported", "Not reported, not yet due"],
      ["departments", "Departments asked"],
      ["departmentsComplete", "Departments with every report in"],
    ],
    section: (numeral, _number, title) => `${numeral}. ${title}`,
    measure: (number, title) => `(${number}) ${title}`,
    role: { lead: "Lead", supporting: "Supporting" },
    standing: { reported: "Reported", reported_late: "Reported late", returned: "Returned", late: "Late, not reported", not_reported: "Not reported" },
    progress: "Progress",
    problems: "Problems",
    nextSteps: "Next steps",
    attachments: "Evidence attached",
    submittedAt: (at) => `Submitted ${at}`,
    notSubmitted: "Not yet submitted.",
    none: "none",
    levels: "Reports of the level below",
    levelStanding: { reported: "Reported", returned: "Returned", not_reported: "Not yet reported" },
    levelDepartments: (reported, total) => `Member departments' reports: ${reported} of ${total} submitted`,
    levelBelow: "Its level below",
  },
};

/** UTC ISO time as "YYYY-MM-DD HH:MM" in Beijing. */
function beijing(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
}

const sectionHeading = (l: RoundLabels, s: CompiledRound["sections"][number], lang: Language): string =>
  lang === "zh" ? `${chineseNumeral(s.number)}、${s.title}` : l.section(s.numeral, s.number, s.title);

/** Lead first, then supporting departments in the order given. */
function leadFirst(reports: readonly CompiledRoundReport[]): CompiledRoundReport[] {
  return [...reports.filter((r) => r.role === "lead"), ...reports.filter((r) => r.role !== "lead")];
}

const departmentName = (r: CompiledRoundReport, lang: Language): string => (lang === "zh" ? r.department.nameZh : r.department.nameEn);
const organisationName = (o: { nameZh: string; nameEn: string }, lang: Language): string => (lang === "zh" ? o.nameZh : o.nameEn);

/**
 * The level below's reports as lines of text per organisation (one rule for the Word and the print page): its
 * heading, then its lines (submission time, the three headings and their text, its departments' count, its level below).
 */
function levelLines(level: CompiledLevelReport, l: RoundLabels, lang: Language): { heading: string; lines: { text: string; bold?: boolean }[] } {
  const heading = `${organisationName(level.organisation, lang)} · ${l.levelStanding[level.standing]}`;
  if (level.progress === null) return { heading, lines: [{ text: l.notSubmitted }] };
  const lines: { text: string; bold?: boolean }[] = [];
  if (level.submittedAt !== null) lines.push({ text: l.submittedAt(beijing(level.submittedAt)) });
  for (const [h, v] of [
    [l.progress, level.progress],
    [l.problems, level.problems],
    [l.nextSteps, level.nextSteps],
  ] as const) {
    lines.push({ text: h, bold: true });
    lines.push({ text: v === null || v.trim() === "" ? l.none : v });
  }
  if (level.files.length > 0) lines.push({ text: `${l.attachments}${lang === "zh" ? "：" : ": "}${level.files.join(lang === "zh" ? "；" : "; ")}` });
  if (level.departments !== null) lines.push({ text: l.levelDepartments(level.departments.reported, level.departments.total) });
  if (level.below.length > 0) {
    const sep = lang === "zh" ? "；" : "; ";
    lines.push({ text: `${l.levelBelow}${lang === "zh" ? "：" : ": "}${level.below.map((b) => `${organisationName(b.organisation, lang)} ${l.levelStanding[b.standing]}`).join(sep)}` });
  }
  return { heading, lines };
}

/** The compiled report as a Word document (DOCX bytes). */
export async function renderRoundDocx(round: CompiledRound, lang: Language): Promise<Buffer> {
  const l = roundLabels[lang];
  const font = { ascii: "Times New Roman", hAnsi: "Times New Roman", eastAsia: "SimSun" };
  const para = (value: string, options: { bold?: boolean; heading?: (typeof HeadingLevel)[keyof typeof HeadingLevel] } = {}) =>
    new Paragraph({
      ...(options.heading === undefined ? {} : { heading: options.heading }),
      children: value.split("\n").map((line, i) => new TextRun({ text: line, bold: options.bold ?? false, font, break: i > 0 ? 1 : 0 })),
    });
  const cell = (value: string, bold = false) => new TableCell({ children: [para(value, { bold })], width: { size: 50, type: WidthType.PERCENTAGE } });
  const stats = new Table({
    width: { size: 70, type: WidthType.PERCENTAGE },
    rows: l.statRows.map(([key, label]) => new TableRow({ children: [cell(label, true), cell(String(round.statistics[key]))] })),
  });
  const body: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: l.documentTitle(round.title), font })] }),
    para(round.planTitle),
    para(l.period(round.periodStart, round.periodEnd, round.dueDate)),
    para(l.compiled(beijing(round.compiledAt))),
    para(l.statistics, { heading: HeadingLevel.HEADING_1 }),
    stats,
  ];
  // The chart as an SVG image with a PNG fallback (docx requires one: editors without SVG support show it), 0.75 of
  // its CSS size so that it fits a portrait page's text width; its alt text says what it shows.
  const chart = roundStandingsChart(round, lang, l.standing);
  if (chart !== null) {
    const png = await svgToPng(chart.svg, chart.width, chart.height);
    body.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: 200 },
        children: [
          new ImageRun({
            type: "svg",
            data: Buffer.from(chart.svg, "utf8"),
            fallback: { type: "png", data: png },
            transformation: { width: Math.round(chart.width * 0.75), height: Math.round(chart.height * 0.75) },
            altText: { name: chart.title, title: chart.title, description: chart.description },
          }),
        ],
      }),
    );
  }
  const levels = round.levels ?? [];
  if (levels.length > 0) {
    body.push(para(l.levels, { heading: HeadingLevel.HEADING_1 }));
    for (const level of levels) {
      const { heading, lines } = levelLines(level, l, lang);
      body.push(para(heading, { heading: HeadingLevel.HEADING_3 }));
      for (const line of lines) body.push(para(line.text, { bold: line.bold ?? false }));
    }
  }
  for (const section of round.sections) {
    body.push(para(sectionHeading(l, section, lang), { heading: HeadingLevel.HEADING_1 }));
    for (const measure of section.measures) {
      body.push(para(l.measure(measure.number, measure.title), { heading: HeadingLevel.HEADING_2 }));
      for (const r of leadFirst(measure.reports)) {
        body.push(para(`${departmentName(r, lang)}（${l.role[r.role]}）· ${l.standing[r.standing]}`, { heading: HeadingLevel.HEADING_3 }));
        if (r.progress === null) {
          body.push(para(l.notSubmitted));
          continue;
        }
        if (r.submittedAt !== null) body.push(para(l.submittedAt(beijing(r.submittedAt))));
        for (const [heading, value] of [
          [l.progress, r.progress],
          [l.problems, r.problems],
          [l.nextSteps, r.nextSteps],
        ] as const) {
          body.push(para(heading, { bold: true }));
          body.push(para(value === null || value.trim() === "" ? l.none : value));
        }
        if (r.attachments.length > 0) body.push(para(`${l.attachments}：${r.attachments.join("；")}`));
      }
    }
  }
  const doc = new Document({
    creator: "Countersign",
    title: l.documentTitle(round.title),
    styles: { default: { document: { run: { font, size: 24 } } } },
    sections: [{ children: body }],
  });
  return Packer.toBuffer(doc);
}

const css = `
@page { size: A4 portrait; }
html { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 10.5pt; color: #111; }
body { margin: 0; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 6pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 10pt 0 3pt; break-after: avoid; }
h4 { font-size: 10.5pt; margin: 8pt 0 2pt; break-after: avoid; border-bottom: 0.5pt solid #999; }
p { margin: 0 0 3pt; line-height: 1.45; }
p.meta { color: #333; font-size: 9.5pt; }
dt { font-weight: bold; margin-top: 3pt; }
dd { margin: 0 0 2pt 1.5em; line-height: 1.45; }
table { border-collapse: collapse; min-width: 60%; }
th, td { border: 0.5pt solid #888; padding: 2pt 6pt; }
th { text-align: left; background: #eef2f8; }
td { text-align: right; }
figure.chart { margin: 10pt 0 0; break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; }
.late { color: #b00000; }
`;

const t = (value: string): string => escapeHtml(value).replace(/\n/g, "<br>");

/** The compiled report as a print page (HTML), for the PDF. */
export function roundReportHtml(round: CompiledRound, lang: Language): string {
  const l = roundLabels[lang];
  const stats = `<table>${l.statRows.map(([k, label]) => `<tr><th>${t(label)}</th><td>${round.statistics[k]}</td></tr>`).join("")}</table>`;
  // ECharts writes the SVG (its text escaped); it draws the title, the departments and the legend as text.
  const chart = roundStandingsChart(round, lang, l.standing);
  const figure = chart === null ? "" : `<figure class="chart" role="img" aria-label="${escapeHtml(`${chart.title}: ${chart.description}`)}">${chart.svg}</figure>`;
  const sections = round.sections
    .map((s) => {
      const measures = s.measures
        .map((m) => {
          const reports = leadFirst(m.reports)
            .map((r) => {
              const late = r.standing === "late" || r.standing === "reported_late" ? ' class="late"' : "";
              const head = `<h4>${t(departmentName(r, lang))}（${t(l.role[r.role])}）· <span${late}>${t(l.standing[r.standing])}</span></h4>`;
              if (r.progress === null) return `${head}<p>${t(l.notSubmitted)}</p>`;
              const items = (
                [
                  [l.progress, r.progress],
                  [l.problems, r.problems],
                  [l.nextSteps, r.nextSteps],
                ] as const
              )
                .map(([h, v]) => `<dt>${t(h)}</dt><dd>${t(v === null || v.trim() === "" ? l.none : v)}</dd>`)
                .join("");
              const when = r.submittedAt === null ? "" : `<p class="meta">${t(l.submittedAt(beijing(r.submittedAt)))}</p>`;
              const files = r.attachments.length === 0 ? "" : `<p class="meta">${t(`${l.attachments}：${r.attachments.join("；")}`)}</p>`;
              return `${head}${when}<dl>${items}</dl>${files}`;
            })
            .join("");
          return `<h3>${t(l.measure(m.number, m.title))}</h3>${reports}`;
        })
        .join("");
      return `<h2>${t(sectionHeading(l, s, lang))}</h2>${measures}`;
    })
    .join("");
  const levels = round.levels ?? [];
  const levelsHtml =
    levels.length === 0
      ? ""
      : `<h2>${t(l.levels)}</h2>${levels
          .map((level) => {
            const { heading, lines } = levelLines(level, l, lang);
            return `<h4>${t(heading)}</h4>${lines.map((line) => (line.bold === true ? `<p><strong>${t(line.text)}</strong></p>` : `<p>${t(line.text)}</p>`)).join("")}`;
          })
          .join("")}`;
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${t(l.documentTitle(round.title))}</title>
<style>${printOnlyCss}${css}</style>
</head>
<body>
<h1>${t(l.documentTitle(round.title))}</h1>
<p class="meta">${t(round.planTitle)}</p>
<p class="meta">${t(l.period(round.periodStart, round.periodEnd, round.dueDate))}</p>
<p class="meta">${t(l.compiled(beijing(round.compiledAt)))}</p>
<h2>${t(l.statistics)}</h2>${stats}${figure}${levelsHtml}${sections}
</body>
</html>`;
}

/** The compiled report as PDF bytes (Chromium, A4 like every export). */
export function renderRoundPdf(round: CompiledRound, lang: Language): Promise<Buffer> {
  return htmlToPdf(roundReportHtml(round, lang), { footerText: roundLabels[lang].documentTitle(round.title) });
}
