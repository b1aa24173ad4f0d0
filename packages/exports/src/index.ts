// The public face of @countersign/exports. Named exports only, so every name is deliberate.
export {
  divisionSheetLayout,
  matrixSheetLayout,
  measureStatusFill,
  renderDivisionXlsx,
  renderMatrixXlsx,
  statusFill,
} from "./matrix-xlsx.js";
export type { DivisionXlsxOptions, MatrixXlsxOptions } from "./matrix-xlsx.js";
export { renderMatrixCsv, byteOrderMark, inertText } from "./matrix-csv.js";
export type { MatrixCsvOptions } from "./matrix-csv.js";
export { renderMatrixPdf, renderDivisionPdf, renderProgressPdf } from "./render-pdf.js";
export { htmlToPdf, closePdfRenderer, pdfBrowserLaunches, pdfBrowserOpen, setPdfBrowserIdleMs } from "./pdf.js";
export { chromiumLaunchOptions } from "./chromium.js";
export type { PdfOptions } from "./pdf.js";
export { escapeHtml, matrixHtml, divisionHtml, progressHtml } from "./html.js";
export type { PrintPageOptions } from "./html.js";
export { renderProgressXlsx } from "./progress-xlsx.js";
export type { ProgressXlsxOptions } from "./progress-xlsx.js";
export { labels, matrixCellText, statusText } from "./labels.js";
export type { ExportLabels } from "./labels.js";
export { displayWidth, sheetNamer } from "./xlsx-support.js";
// The compiled report of a reporting round (issue 14).
export { renderRoundDocx, renderRoundPdf, roundLabels, roundReportHtml } from "./round-report.js";
export type { CompiledLevelReport, CompiledRound, CompiledRoundReport } from "./round-report.js";
