import type { Machine } from "./harness/machine.js";

export type Section =
  | "reads"
  | "writes"
  | "two instances"
  | "queries at scale"
  | "exports"
  | "import"
  | "rounds"
  | "cascade"
  | "memory"
  | "start-up"
  | "web";

export type Engine = "sqlite" | "postgres";

export const engineNames: Record<Engine, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };

export interface Target {
  op: "≥" | "≤";
  value: number;
}

/** One line of the table. */
export interface Figure {
  /** Stable id, e.g. "reads.ratio-constant": the notes are keyed by it. */
  id: string;
  section: Section;
  name: string;
  value: number;
  unit: string;
  /** Decimal places shown. */
  digits: number;
  target?: Target;
  /** The numbers behind the figure, e.g. "2,910 rps, p50 3.1 ms, p99 7.9 ms". */
  detail?: string;
  /**
   * Set when the stage could not be measured on this engine (a procedure answering 501 `not_on_this_engine`, a
   * stage that runs in process on SQLite only): why. The value is then NaN and no verdict is given.
   */
  unavailable?: string;
}

/** The row of a stage not measured on PostgreSQL yet: shown as such, with the reason in its detail. */
export function notAvailable(id: string, section: Section, name: string, reason: string): Figure {
  return { id, section, name, value: Number.NaN, unit: "", digits: 0, detail: reason, unavailable: reason };
}

export function met(figure: Figure): boolean | null {
  if (figure.target === undefined || figure.unavailable !== undefined) return null;
  if (!Number.isFinite(figure.value)) return false;
  return figure.target.op === "≥" ? figure.value >= figure.target.value : figure.value <= figure.target.value;
}

const number = (value: number, digits: number): string =>
  Number.isFinite(value)
    ? value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : String(value);

export function formatValue(figure: Figure): string {
  if (figure.unavailable !== undefined) return "not available on PostgreSQL yet";
  return `${number(figure.value, figure.digits)}${figure.unit === "" ? "" : ` ${figure.unit}`}`;
}

export function formatTarget(figure: Figure): string {
  if (figure.target === undefined || figure.unavailable !== undefined) return "";
  const unit = figure.unit === "" ? "" : ` ${figure.unit}`;
  return `${figure.target.op} ${number(figure.target.value, Math.min(figure.digits, 2))}${unit}`;
}

function mark(figure: Figure): string {
  const verdict = met(figure);
  return verdict === null ? "" : verdict ? "✓" : "✗";
}

/** The plain-text table printed at the end of a run. */
export function textTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.section, f.name, formatValue(f), formatTarget(f), mark(f), f.detail ?? ""]);
  const header = ["section", "figure", "value", "target", "", "detail"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] ?? "")].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => c + " ".repeat(Math.max(0, (widths[i] ?? 0) - [...c].length))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const cell = (text: string): string => text.replace(/\|/g, "\\|");

export function markdownTable(figures: readonly Figure[], baseline?: readonly Figure[]): string {
  const before = baseline === undefined ? null : new Map(baseline.map((f) => [f.id, f]));
  const lines =
    before === null
      ? ["| | figure | value | target | detail |", "|---|---|---:|---:|---|"]
      : ["| | figure | value | target | before | detail |", "|---|---|---:|---:|---:|---|"];
  let section = "";
  for (const f of figures) {
    const name = f.section === section ? "" : `**${f.section}**`;
    section = f.section;
    const earlier = before?.get(f.id);
    const was = before === null ? "" : ` ${earlier === undefined ? "" : `${cell(formatValue(earlier))} ${mark(earlier)}`} |`;
    lines.push(`| ${name} | ${cell(f.name)} | ${cell(formatValue(f))} | ${cell(formatTarget(f))} ${mark(f)} |${was} ${cell(f.detail ?? "")} |`);
  }
  return lines.join("\n");
}

export interface QueryPlanRecord {
  /** The procedure calls that ran this statement. */
  cases: string[];
  sql: string;
  plan: string[];
  /** Full scans of a big table found in the plan. */
  fullScans: string[];
}

export interface BenchDocument {
  machine: Machine;
  size: { assignments: number; auditEvents: number; plans: number; databaseMiB: number; seedSeconds: number | null };
  database: { byStatus: Record<string, number>; byLateness: Record<string, number> } | null;
  figures: Figure[];
  notes: string[];
  queryPlans: QueryPlanRecord[];
  commands: string[];
  smoke: boolean;
  durations: { loadSeconds: number; warmupSeconds: number; connections: number };
  /** An earlier run to show beside this one, e.g. before a change. */
  baseline?: BenchDocument;
  /** What the run measured, when it is not simply the checked-out commit. */
  context?: string;
  /** The engine the server under test ran on (absent in runs from before PostgreSQL: SQLite). */
  engine?: Engine;
  /** On PostgreSQL: the server's version, and how the scale database got there. */
  postgres?: {
    version: string;
    /** A throw-away cluster started for the run, or the database given with --database-url. */
    cluster: "throw-away" | "given";
    /** Seconds `copyFromSqlite` took (with its verification), null when the database was reused. */
    copySeconds: number | null;
    rowsCopied: number | null;
  };
}

const title = "# Performance at national scale";
const intro =
  "Written by `pnpm bench` (packages/bench); every figure below comes from one run on one machine, the ceilings measured side by side with the server so that the ratios mean something on a noisy machine. Each engine has its own section, written by its own run (`pnpm bench` on SQLite, `pnpm bench -- --engine postgres` on PostgreSQL); a run rewrites its engine's section and keeps the other's. Do not edit by hand: run the benchmark again.";
const beginMarker = (engine: Engine): string => `<!-- bench:${engine}:begin -->`;
const endMarker = (engine: Engine): string => `<!-- bench:${engine}:end -->`;

/** A whole docs/performance.md holding this one run. */
export function performanceMarkdown(doc: BenchDocument): string {
  return `${[title, "", intro, "", engineSection(doc)].join("\n")}\n`;
}

/**
 * docs/performance.md with `doc`'s engine section replaced (or added) and the other engine's section kept from
 * `existing`. A file from before the sections (one SQLite run under the title) becomes the SQLite section.
 */
export function mergePerformanceMarkdown(existing: string | null, doc: BenchDocument): string {
  const engine = doc.engine ?? "sqlite";
  const sections: Record<Engine, string | null> = { sqlite: null, postgres: null };
  if (existing !== null) {
    for (const other of ["sqlite", "postgres"] as const) {
      const begin = existing.indexOf(beginMarker(other));
      const end = existing.indexOf(endMarker(other));
      if (begin >= 0 && end > begin) sections[other] = existing.slice(begin, end + endMarker(other).length);
    }
    if (sections.sqlite === null && sections.postgres === null && existing.startsWith(title)) {
      // Before the sections: the title, the intro paragraph, then one SQLite run with "##" headings.
      const start = existing.indexOf("\n## ");
      const body = start < 0 ? "" : existing.slice(start + 1).trimEnd();
      const demoted = body.split("\n").map((line) => (line.startsWith("## ") ? `#${line}` : line));
      const smoke = existing.includes("**This is a smoke run");
      sections.sqlite = [beginMarker("sqlite"), "## SQLite", "", ...(smoke ? ["**This is a smoke run at a tiny size: it proves the benchmark works, not that the server is fast.**", ""] : []), ...demoted, endMarker("sqlite")].join("\n");
    }
  }
  sections[engine] = engineSection(doc);
  const parts = (["sqlite", "postgres"] as const).flatMap((e) => (sections[e] === null ? [] : [sections[e], ""]));
  return `${[title, "", intro, "", ...parts].join("\n").trimEnd()}\n`;
}

/** One engine's part of docs/performance.md, between its markers, its headings one level below the title's sections. */
export function engineSection(doc: BenchDocument): string {
  const engine = doc.engine ?? "sqlite";
  const body = engineBody(doc)
    .split("\n")
    .map((line) => (line.startsWith("## ") ? `#${line}` : line));
  return [beginMarker(engine), `## ${engineNames[engine]}`, "", ...body, endMarker(engine)].join("\n");
}

function engineBody(doc: BenchDocument): string {
  const m = doc.machine;
  const missed = doc.figures.filter((f) => met(f) === false);
  const metCount = doc.figures.filter((f) => met(f) === true).length;
  const withTarget = doc.figures.filter((f) => f.target !== undefined && f.unavailable === undefined).length;
  const out: string[] = [];
  if (doc.smoke) out.push("**This is a smoke run at a tiny size: it proves the benchmark works, not that the server is fast.**", "");
  out.push("## The run");
  out.push("");
  if (doc.context !== undefined) out.push(`**${doc.context}**`, "");
  out.push(`- date: ${m.date} (commit ${m.commit})`);
  out.push(`- machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB memory, ${m.os}, Node ${m.node}`);
  out.push(`- engine: ${engineNames[doc.engine ?? "sqlite"]}${doc.postgres === undefined ? "" : ` ${doc.postgres.version}`}`);
  if (doc.postgres !== undefined) {
    const p = doc.postgres;
    out.push(
      `  - ${p.cluster === "throw-away" ? "a throw-away cluster started for the run (scripts/postgres.sh)" : "the database given with --database-url"}; ` +
        (p.copySeconds === null
          ? "the scale database was already there (reused)"
          : `the scale database copied from SQLite with copyFromSqlite in ${p.copySeconds.toFixed(1)} s (${(p.rowsCopied ?? 0).toLocaleString("en-US")} rows, counts equal, audit chain verified)`),
    );
  }
  out.push(`- load average when the run started: ${m.loadAverage} (other work on the same cores lowers every rate)`);
  out.push(
    `- database: ${doc.size.assignments.toLocaleString("en-US")} assignments, ${doc.size.auditEvents.toLocaleString("en-US")} audit events, ${doc.size.plans.toLocaleString("en-US")} plans, ${doc.size.databaseMiB.toLocaleString("en-US", { maximumFractionDigits: 0 })} MiB` +
      (doc.size.seedSeconds === null ? " (an existing file)" : `, generated in ${doc.size.seedSeconds.toFixed(0)} s`),
  );
  if (doc.database !== null) {
    const list = (r: Record<string, number>): string =>
      Object.entries(r)
        .map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`)
        .join(", ");
    out.push(`  - by status: ${list(doc.database.byStatus)}`);
    out.push(`  - by lateness today: ${list(doc.database.byLateness)}`);
  }
  out.push(
    `- load: autocannon at ${doc.durations.connections} connections for ${doc.durations.loadSeconds} s after ${doc.durations.warmupSeconds} s of warm-up, from the benchmark's process, against the server in its own process. **Both share the same ${m.cores} cores**: the load generator takes roughly half the CPU, so every HTTP rate here is what the server does with what is left, and the ceilings (a constant tRPC query, a bare node:http server) are measured under the same handicap.`,
  );
  out.push("");
  out.push("## Figures");
  out.push("");
  const unavailable = doc.figures.filter((f) => f.unavailable !== undefined).length;
  out.push(`${metCount} of ${withTarget} targets met.${unavailable === 0 ? "" : ` ${unavailable} row(s) not available on PostgreSQL yet: their procedures answer 501 \`not_on_this_engine\` until they move onto the store seam, or the stage runs in process on SQLite only.`}`);
  out.push("");
  out.push(markdownTable(doc.figures, doc.baseline?.figures));
  if (doc.baseline !== undefined) {
    out.push("");
    out.push(
      `"before": ${doc.baseline.context ?? "an earlier run"} (${doc.baseline.machine.date}, commit ${doc.baseline.machine.commit}, load average ${doc.baseline.machine.loadAverage} at its start), same machine and size.`,
    );
  }
  out.push("");
  if (missed.length > 0 || doc.notes.length > 0) {
    out.push("## Notes");
    out.push("");
    for (const note of doc.notes) out.push(`- ${note}`);
    out.push("");
  }
  if (doc.queryPlans.length > 0) {
    out.push("## Query plans at scale");
    out.push("");
    const scans = doc.queryPlans.filter((q) => q.fullScans.length > 0);
    out.push(
      scans.length === 0
        ? `Every statement the measured procedures ran (${doc.queryPlans.length}) was checked with \`EXPLAIN QUERY PLAN\` with its real parameters: none scans a whole big table (more than 10,000 rows). The benchmark fails if one does. A \`SCAN\` in index or rowid order with a \`LIMIT\` and no sort step (the newest page of the trail) stops after one page and is allowed; its time is in the table.`
        : `**${scans.length} statement(s) scan a whole big table** (the benchmark fails on this): ${scans.map((q) => q.fullScans.join(", ")).join("; ")}.`,
    );
    out.push("");
    out.push("<details><summary>Statements and their plans</summary>");
    out.push("");
    for (const q of doc.queryPlans) {
      out.push(`- ${q.cases.slice(0, 4).join(", ")}${q.cases.length > 4 ? ", …" : ""}`);
      out.push("  ```sql");
      out.push(`  ${q.sql}`);
      for (const line of q.plan) out.push(`  -- ${line}`);
      out.push("  ```");
    }
    out.push("");
    out.push("</details>");
    out.push("");
  }
  out.push("## Reproduce");
  out.push("");
  out.push("```sh");
  if (doc.context !== undefined) out.push(`# this run: ${doc.context}`);
  for (const c of doc.commands) out.push(c);
  out.push("```");
  out.push("");
  return out.join("\n");
}
