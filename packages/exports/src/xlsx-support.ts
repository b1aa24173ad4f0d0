/** Small helpers shared by the XLSX renderers: sheet names, column widths for CJK text, print setup, styles. */
import type ExcelJS from "exceljs";

/** True for a character a spreadsheet draws two columns wide (CJK ideographs, kana, hangul, full-width forms). */
function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

/** Width of a text in spreadsheet character units: a Chinese character counts two, the longest line wins. */
export function displayWidth(text: string): number {
  let widest = 0;
  for (const line of text.split("\n")) {
    let width = 0;
    for (const ch of line) width += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
    widest = Math.max(widest, width);
  }
  return widest;
}

/** A column width that fits the widest of `texts`, plus padding, within [min, max] (longer text wraps). */
export function fittingWidth(texts: readonly string[], min: number, max: number): number {
  const widest = texts.reduce((w, t) => Math.max(w, displayWidth(t)), 0);
  return Math.min(max, Math.max(min, widest + 2));
}

const forbiddenInSheetName = /[[\]:*?/\\]/g;

/**
 * Excel's rules for a sheet name: at most 31 characters, none of []:*?/\, not blank, no leading or trailing
 * apostrophe, unique regardless of case. Excel offers to "repair" a file that breaks them, so every name goes
 * through here.
 */
export function sheetNamer(): (wanted: string) => string {
  const taken = new Set<string>();
  return (wanted) => {
    let base = wanted.replace(forbiddenInSheetName, "_").replace(/^'+|'+$/g, "").trim();
    if (base === "") base = "Sheet";
    base = [...base].slice(0, 31).join("");
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n += 1) {
      const suffix = ` (${n})`;
      name = [...base].slice(0, 31 - suffix.length).join("") + suffix;
    }
    taken.add(name.toLowerCase());
    return name;
  };
}

/** Landscape A4, one page wide, as many pages tall as needed, the header rows repeated on every page. */
export function printSetup(sheet: ExcelJS.Worksheet, headerRow: number): void {
  sheet.pageSetup = {
    ...sheet.pageSetup,
    paperSize: 9, // A4
    orientation: "landscape",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${headerRow}:${headerRow}`,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
  };
  sheet.headerFooter = { oddFooter: "&C&P / &N" };
}

export const thinBorder: Partial<ExcelJS.Borders> = {
  top: { style: "thin", color: { argb: "FF999999" } },
  left: { style: "thin", color: { argb: "FF999999" } },
  bottom: { style: "thin", color: { argb: "FF999999" } },
  right: { style: "thin", color: { argb: "FF999999" } },
};

export function solidFill(argb: string): ExcelJS.Fill {
  return { type: "pattern", pattern: "solid", fgColor: { argb } };
}

export const headerFill = solidFill("FFD9E1F2");
export const sectionFill = solidFill("FFEDEDED");

/**
 * A title row merged across the table's width, tall enough for its wrapped lines (spreadsheets do not grow a merged
 * row to fit: a long title was clipped to its first line). Set the columns' widths first.
 */
export function titleRow(sheet: ExcelJS.Worksheet, row: number, lastColumn: number, text: string, size = 14): void {
  sheet.mergeCells(row, 1, row, lastColumn);
  const cell = sheet.getCell(row, 1);
  cell.value = text;
  cell.font = { bold: true, size };
  cell.alignment = { vertical: "middle", horizontal: "left", wrapText: true };
  let width = 0;
  for (let c = 1; c <= lastColumn; c++) width += sheet.getColumn(c).width ?? 8.43;
  // A width unit holds one character of the default 11 point font; fewer of a larger one, less a margin.
  const perLine = Math.max(1, Math.floor((width * 11) / size) - 4);
  const lines = text.split("\n").reduce((n, line) => n + Math.max(1, Math.ceil(displayWidth(line) / perLine)), 0);
  sheet.getRow(row).height = Math.ceil(lines * size * 1.35 + 6);
}

/**
 * The width of the longest run of `text` a spreadsheet will not break: a word between spaces, or a bracketed number
 * such as （十一）; Chinese otherwise breaks between characters.
 */
export function longestUnbreakable(text: string): number {
  return text.split(/\s+/).reduce((widest, token) => {
    if (/^[（(].*[)）]$/.test(token)) return Math.max(widest, displayWidth(token));
    const words = token.split(/\p{Script=Han}/u).map(displayWidth);
    return Math.max(widest, ...words, /\p{Script=Han}/u.test(token) ? 2 : 0);
  }, 0);
}

/**
 * A bold header row with borders and wrapping. A column narrower than a heading's longest word is widened to fit it,
 * so that a heading wraps between words and never inside one ("Supportin g").
 */
export function headerRow(sheet: ExcelJS.Worksheet, row: number, headings: readonly string[]): void {
  headings.forEach((heading, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = Math.max(column.width ?? 8.43, longestUnbreakable(heading) + 2);
    const cell = sheet.getCell(row, i + 1);
    cell.value = heading;
    cell.font = { bold: true };
    cell.fill = headerFill;
    cell.border = thinBorder;
    cell.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
  });
  sheet.getRow(row).height = Math.max(30, rowHeightFor(headings.map((h, i) => ({ text: h, width: sheet.getColumn(i + 1).width ?? 8.43 }))));
}

/** Document properties, shown in the spreadsheet program's file information. */
export function workbookDefaults(workbook: ExcelJS.Workbook, title: string): void {
  workbook.creator = "Countersign";
  workbook.title = title;
  workbook.created = new Date();
}

/** Estimated lines of `text` in a column `width` units wide, for row heights (spreadsheets do not autofit on open). */
export function wrappedLines(text: string, width: number): number {
  const usable = Math.max(1, width - 1);
  return text.split("\n").reduce((n, line) => n + Math.max(1, Math.ceil(displayWidth(line) / usable)), 0);
}

/** A row height (points) for the tallest of its wrapped cells. */
export function rowHeightFor(cells: ReadonlyArray<{ text: string; width: number }>, lineHeight = 15): number {
  const lines = cells.reduce((n, c) => Math.max(n, wrappedLines(c.text, c.width)), 1);
  return lines * lineHeight + 4;
}
