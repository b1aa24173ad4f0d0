import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** A database seeded once for the whole run (demo accounts, the 2020 plan in flight, a draft drill plan). */
    templateDb: string;
    /** Where each test writes its figures for the summary table. */
    figuresDir: string;
    /** A temporary folder for this run, removed at the end. */
    tmpRoot: string;
    /** The throw-away PostgreSQL cluster's admin URL (provided by @countersign/db-postgres's global setup). */
    pgAdminUrl: string;
  }
}

/** One line of the summary table: what was tried, what went wrong (0 is the promise), and the details. */
export interface FigureRow {
  /** Sort key and title, e.g. "1 crash durability". */
  area: string;
  /** The names of the figures, e.g. "acknowledged / found / lost". */
  figure: string;
  /** The values in the same order. */
  values: number[];
  /** The count that must be 0 (lost, anomalies, leaks, internal errors, ...). */
  failures: number;
  detail: string;
}

export function recordFigures(row: FigureRow): void {
  writeFileSync(join(inject("figuresDir"), `${row.area.replace(/[^a-z0-9]+/gi, "-")}.json`), JSON.stringify(row));
}

export function readFigures(dir: string): FigureRow[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as FigureRow)
    .sort((a, b) => a.area.localeCompare(b.area, "en", { numeric: true }));
}

/** The one summary table, as Markdown (readable in a terminal too). */
export function summaryTable(rows: FigureRow[]): string {
  const lines = [
    "| area | figure | values | result | detail |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.area} | ${r.figure} | ${r.values.join(" / ")} | ${r.failures === 0 ? "ok" : `FAILED (${r.failures})`} | ${r.detail} |`),
  ];
  return lines.join("\n");
}
