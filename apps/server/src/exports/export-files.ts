/**
 * The files an export can be, without the renderers: the HTTP routes check a name against this list at start-up
 * cost zero, and load the renderers (exceljs, playwright-core) only when a file is asked for.
 */
export const exportFiles = {
  "matrix.xlsx": { report: "matrix", format: "xlsx" },
  "matrix.csv": { report: "matrix", format: "csv" },
  "matrix.pdf": { report: "matrix", format: "pdf" },
  "division.xlsx": { report: "division", format: "xlsx" },
  "division.pdf": { report: "division", format: "pdf" },
  "progress.xlsx": { report: "progress", format: "xlsx" },
  "progress.pdf": { report: "progress", format: "pdf" },
} as const;
export type ExportFileName = keyof typeof exportFiles;
export type ExportReport = (typeof exportFiles)[ExportFileName]["report"];
export type ExportFormat = (typeof exportFiles)[ExportFileName]["format"];

export function exportFileOf(report: string, format: string): ExportFileName | null {
  const name = `${report}.${format}`;
  return name in exportFiles ? (name as ExportFileName) : null;
}
