/**
 * The responsibility matrix as CSV: UTF-8 with a byte-order mark (without it Excel reads the file in the
 * system's ANSI code page and garbles every Chinese name), one header row, RFC 4180 quoting and CRLF line ends.
 */
import { stringify } from "csv-stringify/sync";
import type { Language, ResponsibilityMatrix } from "@countersign/domain";
import { columnName } from "@countersign/domain";
import { labels, statusText } from "./labels.js";

export interface MatrixCsvOptions {
  lang: Language;
}

export const byteOrderMark = "\uFEFF";

export function renderMatrixCsv(matrix: ResponsibilityMatrix, options: MatrixCsvOptions): string {
  const { lang } = options;
  const l = labels[lang];
  const header = [
    l.measureNo,
    l.section,
    l.measure,
    ...matrix.columns.map((c) => columnName(c, lang)),
    ...(matrix.withStatus ? [l.measureStatusHeading] : []),
  ];
  const records: string[][] = [header];
  for (const group of matrix.groups) {
    const section = l.sectionHeading(group.section.numeral, group.section.number, group.section.title);
    for (const row of group.rows) {
      const cells = row.cells.map((c) => {
        if (c.role === null) return "";
        const mark = l.roleMark[c.role];
        return matrix.withStatus && c.status !== null ? `${mark}/${statusText(c.status, c.lateness, lang)}` : mark;
      });
      records.push([
        String(row.measure.number),
        section,
        row.measure.title,
        ...cells,
        ...(matrix.withStatus ? [row.measureStatus === null ? "" : l.measureStatus[row.measureStatus]] : []),
      ]);
    }
  }
  return (
    byteOrderMark +
    stringify(records.map((r) => r.map(inertText)), {
      record_delimiter: "windows",
      // csv-stringify quotes a field holding the record delimiter (CRLF) but not a lone LF or CR: RFC 4180 wants both.
      quoted_match: /[\r\n]/,
    })
  );
}

/**
 * A cell that starts with = + - @ (or a tab / carriage return) is run as a formula by spreadsheet programs, and a plan
 * is data that users type: prefix such a cell with an apostrophe, as OWASP advises against CSV injection.
 */
export function inertText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
