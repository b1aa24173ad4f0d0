/** The progress report as an XLSX workbook: by section (with totals), by department, and the overdue items. */
import ExcelJS from "exceljs";
import type { Language } from "@countersign/domain";
import { formatDeadline } from "@countersign/domain";
import { labels, statusText } from "./labels.js";
import type { ProgressCounts, ProgressReport } from "@countersign/domain";
import { statusFill } from "./matrix-xlsx.js";
import { headerRow, printSetup, rowHeightFor, sheetNamer, solidFill, thinBorder, titleRow, workbookDefaults } from "./xlsx-support.js";

export interface ProgressXlsxOptions {
  lang: Language;
  title: string;
  subtitle?: string;
}

const counts = (c: ProgressCounts): number[] => [c.assignments, c.acknowledged, c.signedOff, c.overdue];

/** Writes a titled table (title, subtitle, header, rows) and sets widths, freeze and print setup. */
function table(
  sheet: ExcelJS.Worksheet,
  options: ProgressXlsxOptions,
  heading: string,
  headings: readonly string[],
  widths: readonly number[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  note?: string,
): void {
  widths.forEach((w, i) => {
    sheet.getColumn(i + 1).width = w;
  });
  titleRow(sheet, 1, headings.length, `${options.title} — ${heading}`);
  const sub = [options.subtitle, note].filter((s) => s !== undefined).join("\n");
  titleRow(sheet, 2, headings.length, sub, 10);
  headerRow(sheet, 3, headings);
  rows.forEach((values, i) => {
    const row = sheet.getRow(4 + i);
    values.forEach((v, c) => {
      const cell = row.getCell(c + 1);
      cell.value = v;
      cell.border = thinBorder;
      cell.alignment = { vertical: "middle", horizontal: typeof v === "number" ? "center" : "left", wrapText: true };
    });
    row.height = rowHeightFor(values.map((v, c) => ({ text: String(v), width: widths[c] ?? 10 })));
  });
  sheet.views = [{ state: "frozen", xSplit: 0, ySplit: 3, topLeftCell: "A4", activeCell: "A4" }];
  printSetup(sheet, 3);
}

export async function renderProgressXlsx(report: ProgressReport, options: ProgressXlsxOptions): Promise<Buffer> {
  const { lang } = options;
  const l = labels[lang];
  const workbook = new ExcelJS.Workbook();
  workbookDefaults(workbook, options.title);
  const name = sheetNamer();
  const countHeadings = [l.assignments, l.acknowledged, l.signedOff, l.overdue];
  const notes = `${l.acknowledgedNote}\n${l.countersignedNote}`;

  const bySection = workbook.addWorksheet(name(l.sheetBySection));
  const t = report.totals;
  table(
    bySection,
    options,
    l.sheetBySection,
    [l.section, l.measures, l.countersigned, l.closed, ...countHeadings],
    [60, 10, 10, 10, 12, 12, 12, 10],
    [
      ...report.sections.map((s) => [
        l.sectionHeading(s.section.numeral, s.section.number, s.section.title),
        s.measures,
        s.countersigned,
        s.closed,
        ...counts(s),
      ]),
      [l.total, t.measures, t.countersigned, t.closed, ...counts(t)],
    ],
    notes,
  );
  const totalRow = bySection.getRow(4 + report.sections.length);
  totalRow.font = { bold: true };

  const byDepartment = workbook.addWorksheet(name(l.sheetByDepartment));
  table(
    byDepartment,
    options,
    l.sheetByDepartment,
    [l.department, l.lead, l.supporting, ...countHeadings],
    [lang === "zh" ? 30 : 50, 10, 10, 12, 12, 12, 10],
    report.departments.map((d) => [
      lang === "zh" ? d.department.nameZh : d.department.nameEn,
      d.lead,
      d.supporting,
      ...counts(d),
    ]),
    notes,
  );

  const overdue = workbook.addWorksheet(name(l.sheetOverdue));
  table(
    overdue,
    options,
    l.overdueItems,
    [l.measureNo, l.measure, l.department, l.role, l.statusHeading, l.dueDate, l.daysLate],
    [8, 50, lang === "zh" ? 26 : 40, 12, 24, 16, 10],
    report.overdue.map((o) => [
      o.measureNumber,
      o.measureTitle,
      lang === "zh" ? o.department.nameZh : o.department.nameEn,
      l.roleName[o.role],
      statusText(o.status, o.lateness, lang),
      formatDeadline(o.dueDate, lang),
      o.daysLate,
    ]),
    report.overdue.length === 0 ? l.noOverdue : undefined,
  );
  report.overdue.forEach((o, i) => {
    const cell = overdue.getRow(4 + i).getCell(5);
    cell.fill = solidFill(statusFill[o.status]);
    cell.font = { color: { argb: "FFC00000" }, bold: true };
  });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
