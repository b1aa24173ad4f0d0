/**
 * Print pages (HTML) for the PDF exports. Every text that comes from data goes through `escapeHtml`; a strict
 * Content-Security-Policy forbids scripts and any network fetch, so even a mistake here cannot reach the network.
 */
import type { DivisionRow, Language, ResponsibilityMatrix } from "@countersign/domain";
import { chineseNumeral, columnName, divisionTableHeadings, formatDeadline } from "@countersign/domain";
import { labels, matrixCellText, statusText } from "./labels.js";
import type { ProgressCounts, ProgressReport } from "@countersign/domain";

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Escaped, with line breaks kept. */
function text(value: string | number): string {
  return escapeHtml(String(value)).replace(/\n/g, "<br>");
}

export interface PrintPageOptions {
  lang: Language;
  title: string;
  subtitle?: string;
}

/**
 * A print page is laid out for print only: on screen its body is not displayed. Chromium lays a page out for the
 * screen when its content is set and again for print when it prints; the screen layout of a 500 × 60 matrix cost
 * about 0.5 s of the PDF's 2 s (measured on the 2-core machine) and was thrown away. Printing uses print media,
 * so the PDF is unchanged.
 */
export const printOnlyCss = "@media screen { body { display: none; } }";

/** A CSS string holding `value` as text: quotes, backslashes, line breaks and "<" (no "</style>") as hex escapes. */
export function cssString(value: string): string {
  return `"${value.replace(/[\\"<>\n\r\f]/g, (ch) => `\\${(ch.codePointAt(0) ?? 32).toString(16)} `)}"`;
}

/**
 * The page box: landscape A4, its margins, and the footer ("title · page / pages") printed in the bottom margin by
 * the page's own @page rule. Chromium's footer template (page.pdf's displayHeaderFooter) lays a separate document out
 * for every page; the @page margin box costs about a fifth less of the print's CPU on the 124-page 500 × 60 matrix
 * (measured on the 2-core machine), and prints the same text in the same place. The PDF is printed with
 * preferCSSPageSize (pdf.ts, pageBoxFromCss).
 */
function pageBoxCss(footerText: string): string {
  return `@page { size: A4 landscape; margin: 10mm 8mm 12mm 8mm;
  @bottom-center { content: ${cssString(`${footerText} · `)} counter(page) " / " counter(pages);
    font-size: 7pt; font-family: "Noto Sans CJK SC", sans-serif; color: #555; } }`;
}

const printCss = `
${printOnlyCss}
* { box-sizing: border-box; }
html { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif; font-size: 8.5pt; color: #111;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; }
h1 { font-size: 13pt; margin: 0 0 2pt; }
h2 { font-size: 10.5pt; margin: 10pt 0 4pt; break-after: avoid; }
p.sub, p.legend, p.note { margin: 0 0 4pt; font-size: 8pt; color: #333; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #888; padding: 1.5pt 2.5pt; vertical-align: middle; overflow-wrap: anywhere; }
th { background: #d9e1f2; font-weight: bold; text-align: center; font-size: 7.5pt; }
/* A heading never breaks inside a word ("Supportin g"): it wraps at spaces only, and its column is sized for its
   longest word. Numbers like （十一） never wrap. */
th { overflow-wrap: normal; word-break: normal; hyphens: manual; }
td.num, th.num { white-space: nowrap; }
td.num, td.mark, td.count { text-align: center; }
td.lead { font-weight: bold; }
tr.section td { background: #ededed; font-weight: bold; }
tr.total td { background: #f2f2f2; font-weight: bold; }
th.vertical { writing-mode: vertical-rl; text-orientation: upright; padding: 3pt 0; height: 96pt; white-space: nowrap; }
.late { color: #c00000; font-weight: bold; }
.s-assigned { background: #f2f2f2; } .s-accepted { background: #ddebf7; } .s-declined { background: #fce4d6; }
.s-in_progress { background: #fff2cc; } .s-signed_off { background: #e2efda; } .s-withdrawn { background: #d9d9d9; }
.m-not_started { background: #f2f2f2; } .m-in_progress { background: #fff2cc; } .m-awaiting_lead { background: #ffe699; }
.m-countersigned { background: #c6efce; } .m-closed { background: #a9d08e; }
table.matrix td { font-size: 7.5pt; }
table.matrix td.mark, table.matrix th.dept { padding: 1.5pt 1pt; }
/* English words are not broken inside (the font size is chosen so the longest fits); Chinese breaks anywhere. */
table.matrix.en td.mark, table.matrix.en th.dept { overflow-wrap: normal; word-break: keep-all; }
table.matrix.with-status td.mark { font-size: 6pt; }
table.matrix.en th.dept { font-size: 7pt; }
table.counts { width: auto; min-width: 60%; }
table.counts td, table.counts th { padding: 2pt 6pt; }
`;

function page(options: PrintPageOptions, body: string): string {
  const subtitle = options.subtitle === undefined ? "" : `<p class="sub">${text(options.subtitle)}</p>`;
  return `<!doctype html>
<html lang="${options.lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${text(options.title)}</title>
<style>${pageBoxCss(options.title)}${printCss}</style>
</head>
<body>
<h1>${text(options.title)}</h1>
${subtitle}
${body}
</body>
</html>`;
}

/** The matrix as a print page: measures as rows under their sections, departments as columns. */
export function matrixHtml(matrix: ResponsibilityMatrix, options: PrintPageOptions): string {
  const { lang } = options;
  const l = labels[lang];
  const span = 2 + matrix.columns.length + (matrix.withStatus ? 1 : 0);
  const deptClass = lang === "zh" ? ' class="dept vertical"' : ' class="dept"';
  const colgroup = [
    `<col style="width:${lang === "zh" ? 15 : 10}mm">`,
    `<col style="width:${matrix.withStatus ? (lang === "zh" ? 52 : 46) : 62}mm">`,
    ...matrix.columns.map(() => "<col>"),
    ...(matrix.withStatus ? ['<col style="width:17mm">'] : []),
  ].join("");
  const head = `<tr><th>${text(l.measureNo)}</th><th>${text(l.measure)}</th>${matrix.columns
    .map((c) => `<th${deptClass} title="${escapeHtml(lang === "zh" ? c.nameZh : c.nameEn)}">${text(columnName(c, lang))}</th>`)
    .join("")}${matrix.withStatus ? `<th>${text(l.measureStatusHeading)}</th>` : ""}</tr>`;
  const rows = matrix.groups
    .map((group) => {
      const heading = `<tr class="section"><td colspan="${span}">${text(
        l.sectionHeading(group.section.numeral, group.section.number, group.section.title),
      )}</td></tr>`;
      const measures = group.rows.map((row) => {
        const cells = row.cells
          .map((c) => {
            const classes = ["mark"];
            if (c.role === "lead") classes.push("lead");
            if (matrix.withStatus && c.status !== null) classes.push(`s-${c.status}`);
            if (matrix.withStatus && (c.lateness === "overdue" || c.lateness === "long_overdue")) classes.push("late");
            return `<td class="${classes.join(" ")}">${text(matrixCellText(c, lang, matrix.withStatus))}</td>`;
          })
          .join("");
        const title = row.measure.textCut ? `${row.measure.title}${l.textCut}` : row.measure.title;
        const status =
          matrix.withStatus && row.measureStatus !== null
            ? `<td class="mark m-${row.measureStatus}">${text(l.measureStatus[row.measureStatus])}</td>`
            : matrix.withStatus
              ? "<td></td>"
              : "";
        return `<tr><td class="num">${text(l.measureNumber(row.measure.number))}</td><td>${text(title)}</td>${cells}${status}</tr>`;
      });
      return heading + measures.join("");
    })
    .join("");
  const totals = (["lead", "supporting"] as const)
    .map(
      (role) =>
        `<tr class="total"><td></td><td>${text(role === "lead" ? l.totalLead : l.totalSupporting)}</td>${matrix.totals
          .map((t) => `<td class="count">${t[role]}</td>`)
          .join("")}${matrix.withStatus ? "<td></td>" : ""}</tr>`,
    )
    .join("");
  const legend = `<p class="legend">${text(l.legend)}${matrix.withStatus ? ` ${text(l.legendStatus)}` : ""}</p>`;
  return page(
    options,
    `${legend}<table class="matrix ${lang}${matrix.withStatus ? " with-status" : ""}"><colgroup>${colgroup}</colgroup><thead>${head}</thead><tbody>${rows}${totals}</tbody></table>`,
  );
}

/** The task-division table (任务分工表) as a print page. */
export function divisionHtml(rows: readonly DivisionRow[], options: PrintPageOptions): string {
  const l = labels[options.lang];
  const h = divisionTableHeadings[options.lang];
  const head = `<tr>${h.map((heading) => `<th>${text(heading)}</th>`).join("")}</tr>`;
  const body = rows
    .map(
      (row) =>
        `<tr><td class="num">${row.no}</td><td>${text(row.task)}</td><td>${text(row.lead)}</td><td>${text(
          row.supporting.join(l.listSeparator),
        )}</td><td>${text(row.deadline)}</td></tr>`,
    )
    .join("");
  const colgroup =
    '<colgroup><col style="width:14mm"><col><col style="width:34mm"><col style="width:70mm"><col style="width:30mm"></colgroup>';
  return page(options, `<table>${colgroup}<thead>${head}</thead><tbody>${body}</tbody></table>`);
}

function countCells(c: ProgressCounts): string {
  return [c.assignments, c.acknowledged, c.signedOff, c.overdue].map((n) => `<td class="count">${n}</td>`).join("");
}

/** The progress report as a print page: totals, by section, by department, then the overdue items. */
export function progressHtml(report: ProgressReport, options: PrintPageOptions): string {
  const { lang } = options;
  const l = labels[lang];
  const countHeads = [l.assignments, l.acknowledged, l.signedOff, l.overdue].map((h) => `<th>${text(h)}</th>`).join("");
  const measureHeads = [l.measures, l.countersigned, l.closed].map((h) => `<th>${text(h)}</th>`).join("");
  const sectionRows = report.sections
    .map(
      (s) =>
        `<tr><td>${text(l.sectionHeading(s.section.numeral, s.section.number, s.section.title))}</td><td class="count">${s.measures}</td><td class="count">${s.countersigned}</td><td class="count">${s.closed}</td>${countCells(s)}</tr>`,
    )
    .join("");
  const t = report.totals;
  const sectionTable = `<h2>${text(l.sheetBySection)}</h2><table><colgroup><col><col style="width:22mm"><col style="width:22mm"><col style="width:22mm"><col style="width:22mm"><col style="width:22mm"><col style="width:22mm"><col style="width:22mm"></colgroup>
<thead><tr><th>${text(l.section)}</th>${measureHeads}${countHeads}</tr></thead><tbody>${sectionRows}
<tr class="total"><td>${text(l.total)}</td><td class="count">${t.measures}</td><td class="count">${t.countersigned}</td><td class="count">${t.closed}</td>${countCells(t)}</tr></tbody></table>`;
  const departmentRows = report.departments
    .map(
      (d) =>
        `<tr><td>${text(lang === "zh" ? d.department.nameZh : d.department.nameEn)}</td><td class="count">${d.lead}</td><td class="count">${d.supporting}</td>${countCells(d)}</tr>`,
    )
    .join("");
  const departmentTable = `<h2>${text(l.sheetByDepartment)}</h2><table><colgroup><col><col style="width:22mm"><col style="width:22mm"><col style="width:22mm"><col style="width:22mm"><col style="width:22mm"><col style="width:22mm"></colgroup>
<thead><tr><th>${text(l.department)}</th><th>${text(l.lead)}</th><th>${text(l.supporting)}</th>${countHeads}</tr></thead><tbody>${departmentRows}</tbody></table>`;
  const overdueBody =
    report.overdue.length === 0
      ? `<p class="note">${text(l.noOverdue)}</p>`
      : `<table><colgroup><col style="width:17mm"><col><col style="width:40mm"><col style="width:22mm"><col style="width:34mm"><col style="width:26mm"><col style="width:20mm"></colgroup>
<thead><tr><th>${text(l.measureNo)}</th><th>${text(l.measure)}</th><th>${text(l.department)}</th><th>${text(l.role)}</th><th>${text(
          l.statusHeading,
        )}</th><th>${text(l.dueDate)}</th><th>${text(l.daysLate)}</th></tr></thead><tbody>${report.overdue
          .map(
            (o) =>
              `<tr><td class="num">${text(lang === "zh" ? `（${chineseNumeral(o.measureNumber)}）` : `(${o.measureNumber})`)}</td><td>${text(
                o.measureTitle,
              )}</td><td>${text(lang === "zh" ? o.department.nameZh : o.department.nameEn)}</td><td>${text(l.roleName[o.role])}</td><td class="late s-${o.status}">${text(
                statusText(o.status, o.lateness, lang),
              )}</td><td>${text(formatDeadline(o.dueDate, lang))}</td><td class="count late">${o.daysLate}</td></tr>`,
          )
          .join("")}</tbody></table>`;
  const notes = `<p class="note">${text(l.acknowledgedNote)} ${text(l.countersignedNote)}</p>`;
  return page(options, `${notes}${sectionTable}${departmentTable}<h2>${text(l.overdueItems)}</h2>${overdueBody}`);
}
