/**
 * The responsibility matrix (责任分工矩阵) as an XLSX workbook: the matrix sheet, the task-division sheet (任务分工表)
 * and one sheet per department. Rendering only: every role, status and total comes from the domain's model.
 */
import ExcelJS from "exceljs";
import type {
  AssignmentStatus,
  DepartmentCode,
  DivisionRow,
  Language,
  MatrixColumn,
  MeasureStatus,
  ResponsibilityMatrix,
} from "@countersign/domain";
import { chineseNumeral, columnName, divisionTableHeadings } from "@countersign/domain";
import { labels, matrixCellText, statusText } from "./labels.js";
import {
  fittingWidth,
  headerRow,
  printSetup,
  rowHeightFor,
  sectionFill,
  sheetNamer,
  solidFill,
  thinBorder,
  titleRow,
  workbookDefaults,
} from "./xlsx-support.js";

export interface MatrixXlsxOptions {
  lang: Language;
  title: string;
  /** A line under the title: the document number, "as of" date, department... */
  subtitle?: string;
  /** The task-division table, from the domain's `buildDivisionTable` on the same matrix. */
  divisionRows: readonly DivisionRow[];
  /** Which departments get a sheet of their own: "all" columns (the default), none, or the ones listed. */
  departmentSheets?: "all" | "none" | readonly DepartmentCode[];
}

/** Cell fills by state. The state is always written in the cell too: the colour only helps the eye. */
export const statusFill: Record<AssignmentStatus, string> = {
  assigned: "FFF2F2F2",
  accepted: "FFDDEBF7",
  declined: "FFFCE4D6",
  in_progress: "FFFFF2CC",
  signed_off: "FFE2EFDA",
  withdrawn: "FFD9D9D9",
};

export const measureStatusFill: Record<MeasureStatus, string> = {
  not_started: "FFF2F2F2",
  in_progress: "FFFFF2CC",
  awaiting_lead: "FFFFE699",
  countersigned: "FFC6EFCE",
  closed: "FFA9D08E",
};

const lateFont: Partial<ExcelJS.Font> = { color: { argb: "FFC00000" }, bold: true };

/** Where things are on the matrix sheet, for readers of the file (and its tests). */
export const matrixSheetLayout = {
  titleRow: 1,
  legendRow: 2,
  headerRow: 3,
  firstBodyRow: 4,
  numberColumn: 1,
  titleColumn: 2,
  firstDepartmentColumn: 3,
} as const;

export async function renderMatrixXlsx(matrix: ResponsibilityMatrix, options: MatrixXlsxOptions): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbookDefaults(workbook, options.title);
  const name = sheetNamer();
  addMatrixSheet(workbook, name, matrix, options);
  const l = labels[options.lang];
  addDivisionSheet(workbook, name(l.sheetDivision), options.divisionRows, options.lang, `${options.title} — ${l.divisionTitle}`, options.subtitle);
  const wanted = options.departmentSheets ?? "all";
  const columns =
    wanted === "all" ? matrix.columns : wanted === "none" ? [] : matrix.columns.filter((c) => wanted.includes(c.code));
  for (const column of columns) addDepartmentSheet(workbook, name(columnName(column, options.lang)), matrix, column, options);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addMatrixSheet(
  workbook: ExcelJS.Workbook,
  name: (wanted: string) => string,
  matrix: ResponsibilityMatrix,
  options: MatrixXlsxOptions,
): void {
  const { lang } = options;
  const l = labels[lang];
  const layout = matrixSheetLayout;
  const sheet = workbook.addWorksheet(name(l.sheetMatrix), {
    properties: { outlineProperties: { summaryBelow: false, summaryRight: false } },
  });
  const departmentCount = matrix.columns.length;
  const statusColumn = matrix.withStatus ? layout.firstDepartmentColumn + departmentCount : null;
  const lastColumn = statusColumn ?? layout.firstDepartmentColumn + departmentCount - 1;

  // Chinese short names are printed stacked (one character under the other, as in printed Chinese tables) so that
  // 17 columns fit one landscape page; the column then needs only the width of its cell text.
  const names = matrix.columns.map((c) => columnName(c, lang));
  const cellTexts = matrix.groups.flatMap((g) => g.rows.flatMap((r) => r.cells.map((c) => matrixCellText(c, lang, matrix.withStatus))));
  const departmentWidth =
    lang === "zh"
      ? fittingWidth([...cellTexts, "0000"], 6, 16)
      : fittingWidth([...cellTexts, ...names], 8, 16);
  const titleWidth = 46;
  sheet.getColumn(layout.numberColumn).width = 6;
  sheet.getColumn(layout.titleColumn).width = titleWidth;
  for (let i = 0; i < departmentCount; i += 1) sheet.getColumn(layout.firstDepartmentColumn + i).width = departmentWidth;
  if (statusColumn !== null) sheet.getColumn(statusColumn).width = lang === "zh" ? 16 : 18;

  titleRow(sheet, layout.titleRow, lastColumn, options.title);
  const legend = [options.subtitle, l.legend, matrix.withStatus ? l.legendStatus : undefined].filter((s) => s !== undefined).join("\n");
  titleRow(sheet, layout.legendRow, lastColumn, legend, 10);
  sheet.getCell(layout.legendRow, 1).font = { size: 10 };

  const headings = [l.measureNo, l.measure, ...names, ...(statusColumn !== null ? [l.measureStatusHeading] : [])];
  headerRow(sheet, layout.headerRow, headings);
  if (lang === "zh") {
    for (let i = 0; i < departmentCount; i += 1) {
      sheet.getCell(layout.headerRow, layout.firstDepartmentColumn + i).alignment = {
        textRotation: "vertical",
        vertical: "middle",
        horizontal: "center",
      };
    }
    const longest = names.reduce((n, s) => Math.max(n, [...s].length), 2);
    sheet.getRow(layout.headerRow).height = longest * 14 + 8;
  }

  let r = layout.firstBodyRow;
  for (const group of matrix.groups) {
    sheet.mergeCells(r, 1, r, lastColumn);
    const sectionCell = sheet.getCell(r, 1);
    sectionCell.value = l.sectionHeading(group.section.numeral, group.section.number, group.section.title);
    sectionCell.font = { bold: true };
    sectionCell.fill = sectionFill;
    sectionCell.border = thinBorder;
    sectionCell.alignment = { vertical: "middle", wrapText: false };
    r += 1;
    for (const row of group.rows) {
      const excelRow = sheet.getRow(r);
      excelRow.outlineLevel = 1;
      const numberCell = sheet.getCell(r, layout.numberColumn);
      numberCell.value = row.measure.number;
      numberCell.alignment = { vertical: "middle", horizontal: "center" };
      numberCell.border = thinBorder;
      const title = row.measure.textCut ? `${row.measure.title}${l.textCut}` : row.measure.title;
      const titleCell = sheet.getCell(r, layout.titleColumn);
      titleCell.value = title;
      titleCell.alignment = { vertical: "middle", wrapText: true };
      titleCell.border = thinBorder;
      const heights: Array<{ text: string; width: number }> = [{ text: title, width: titleWidth }];
      row.cells.forEach((c, i) => {
        const cell = sheet.getCell(r, layout.firstDepartmentColumn + i);
        const text = matrixCellText(c, lang, matrix.withStatus);
        heights.push({ text, width: departmentWidth });
        cell.value = text === "" ? null : text;
        cell.border = thinBorder;
        cell.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
        if (c.role === "lead") cell.font = { bold: true };
        if (matrix.withStatus && c.status !== null) {
          cell.fill = solidFill(statusFill[c.status]);
          if (c.lateness === "overdue" || c.lateness === "long_overdue") cell.font = { ...cell.font, ...lateFont };
        }
      });
      if (statusColumn !== null && row.measureStatus !== null) {
        const cell = sheet.getCell(r, statusColumn);
        cell.value = l.measureStatus[row.measureStatus];
        cell.fill = solidFill(measureStatusFill[row.measureStatus]);
        cell.border = thinBorder;
        cell.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
      }
      excelRow.height = rowHeightFor(heights);
      r += 1;
    }
  }

  const totals: Array<[string, "lead" | "supporting"]> = [
    [l.totalLead, "lead"],
    [l.totalSupporting, "supporting"],
  ];
  for (const [label, role] of totals) {
    const labelCell = sheet.getCell(r, layout.titleColumn);
    labelCell.value = label;
    labelCell.font = { bold: true };
    labelCell.alignment = { horizontal: "right" };
    sheet.getCell(r, layout.numberColumn).border = thinBorder;
    labelCell.border = thinBorder;
    matrix.totals.forEach((t, i) => {
      const cell = sheet.getCell(r, layout.firstDepartmentColumn + i);
      cell.value = t[role];
      cell.font = { bold: true };
      cell.border = thinBorder;
      cell.fill = solidFill("FFF2F2F2");
      cell.alignment = { horizontal: "center" };
    });
    r += 1;
  }

  sheet.views = [
    {
      state: "frozen",
      xSplit: layout.titleColumn,
      ySplit: layout.headerRow,
      topLeftCell: `C${layout.firstBodyRow}`,
      activeCell: `C${layout.firstBodyRow}`,
    },
  ];
  printSetup(sheet, layout.headerRow);
}

export interface DivisionXlsxOptions {
  lang: Language;
  title: string;
  subtitle?: string;
}

/** The task-division table (任务分工表) alone, as a one-sheet workbook. */
export async function renderDivisionXlsx(rows: readonly DivisionRow[], options: DivisionXlsxOptions): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbookDefaults(workbook, options.title);
  addDivisionSheet(workbook, sheetNamer()(labels[options.lang].sheetDivision), rows, options.lang, options.title, options.subtitle);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Where things are on a task-division sheet. */
export const divisionSheetLayout = { titleRow: 1, subtitleRow: 2, headerRow: 3, firstBodyRow: 4 } as const;

function addDivisionSheet(
  workbook: ExcelJS.Workbook,
  sheetName: string,
  rows: readonly DivisionRow[],
  lang: Language,
  title: string,
  subtitle: string | undefined,
): void {
  const l = labels[lang];
  const sheet = workbook.addWorksheet(sheetName);
  const headings = divisionTableHeadings[lang];
  const supportingTexts = rows.map((row) => row.supporting.join(l.listSeparator));
  const widths = [
    6,
    60,
    fittingWidth([headings[2], ...rows.map((row) => row.lead)], 10, 24),
    fittingWidth([headings[3], ...supportingTexts], 12, 44),
    fittingWidth([headings[4], ...rows.map((row) => row.deadline)], 10, 22),
  ];
  widths.forEach((w, i) => {
    sheet.getColumn(i + 1).width = w;
  });
  const layout = divisionSheetLayout;
  titleRow(sheet, layout.titleRow, headings.length, title);
  titleRow(sheet, layout.subtitleRow, headings.length, subtitle ?? "", 10);
  headerRow(sheet, layout.headerRow, headings);
  rows.forEach((row, i) => {
    const values: Array<string | number> = [row.no, row.task, row.lead, supportingTexts[i] ?? "", row.deadline];
    const excelRow = sheet.getRow(layout.firstBodyRow + i);
    values.forEach((v, c) => {
      const cell = excelRow.getCell(c + 1);
      cell.value = v;
      cell.border = thinBorder;
      cell.alignment = { vertical: "middle", horizontal: c === 0 ? "center" : "left", wrapText: true };
    });
    excelRow.height = rowHeightFor(values.map((v, c) => ({ text: String(v), width: widths[c] ?? 10 })));
  });
  sheet.views = [
    {
      state: "frozen",
      xSplit: 0,
      ySplit: layout.headerRow,
      topLeftCell: `A${layout.firstBodyRow}`,
      activeCell: `A${layout.firstBodyRow}`,
    },
  ];
  printSetup(sheet, layout.headerRow);
}

function addDepartmentSheet(
  workbook: ExcelJS.Workbook,
  sheetName: string,
  matrix: ResponsibilityMatrix,
  column: MatrixColumn,
  options: MatrixXlsxOptions,
): void {
  const { lang } = options;
  const l = labels[lang];
  const sheet = workbook.addWorksheet(sheetName);
  const index = matrix.columns.findIndex((c) => c.code === column.code);
  const headings = [
    l.measureNo,
    l.section,
    l.measure,
    l.role,
    ...(matrix.withStatus ? [l.statusHeading, l.measureStatusHeading] : []),
  ];
  const widths = [6, 8, 60, 12, ...(matrix.withStatus ? [20, 18] : [])];
  widths.forEach((w, i) => {
    sheet.getColumn(i + 1).width = w;
  });
  const fullName = lang === "zh" ? column.nameZh : column.nameEn;
  titleRow(sheet, 1, headings.length, l.responsibilitiesOf(fullName));
  // The plan, its document number and the date under the department's title: the sheet may be printed alone.
  titleRow(sheet, 2, headings.length, [options.title, options.subtitle].filter((s) => s !== undefined).join("\n"), 10);
  headerRow(sheet, 3, headings);
  let r = 4;
  for (const group of matrix.groups) {
    for (const row of group.rows) {
      const cell = row.cells[index];
      if (!cell || cell.role === null) continue;
      const status = cell.status === null ? "" : statusText(cell.status, cell.lateness, lang);
      const values: Array<string | number> = [
        row.measure.number,
        lang === "zh" ? chineseNumeral(group.section.number) : group.section.numeral,
        row.measure.title,
        l.roleName[cell.role],
        ...(matrix.withStatus ? [status, row.measureStatus === null ? "" : l.measureStatus[row.measureStatus]] : []),
      ];
      const excelRow = sheet.getRow(r);
      values.forEach((v, c) => {
        const target = excelRow.getCell(c + 1);
        target.value = v;
        target.border = thinBorder;
        target.alignment = { vertical: "middle", horizontal: c === 2 ? "left" : "center", wrapText: true };
      });
      if (matrix.withStatus && cell.status !== null) {
        const statusCell = excelRow.getCell(5);
        statusCell.fill = solidFill(statusFill[cell.status]);
        if (cell.lateness === "overdue" || cell.lateness === "long_overdue") statusCell.font = lateFont;
      }
      excelRow.height = rowHeightFor(values.map((v, c) => ({ text: String(v), width: widths[c] ?? 10 })));
      r += 1;
    }
  }
  sheet.views = [{ state: "frozen", xSplit: 0, ySplit: 3, topLeftCell: "A4", activeCell: "A4" }];
  printSetup(sheet, 3);
}
