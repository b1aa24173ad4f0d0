/** The PDF exports: each is a print page (html.ts, its footer in its own @page rule) printed by Chromium (pdf.ts). */
import type { DivisionRow, ResponsibilityMatrix } from "@countersign/domain";
import type { PrintPageOptions } from "./html.js";
import { divisionHtml, matrixHtml, progressHtml } from "./html.js";
import { htmlToPdf } from "./pdf.js";
import type { ProgressReport } from "@countersign/domain";

export function renderMatrixPdf(matrix: ResponsibilityMatrix, options: PrintPageOptions): Promise<Buffer> {
  return htmlToPdf(matrixHtml(matrix, options), { pageBoxFromCss: true });
}

export function renderDivisionPdf(rows: readonly DivisionRow[], options: PrintPageOptions): Promise<Buffer> {
  return htmlToPdf(divisionHtml(rows, options), { pageBoxFromCss: true });
}

export function renderProgressPdf(report: ProgressReport, options: PrintPageOptions): Promise<Buffer> {
  return htmlToPdf(progressHtml(report, options), { pageBoxFromCss: true });
}
