import type { Machine } from "./harness/machine.js";

export type Section = "reads" | "writes" | "queries at scale" | "exports" | "import" | "rounds" | "cascade" | "memory" | "start-up" | "web";

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
}

export function met(figure: Figure): boolean | null {
  if (figure.target === undefined) return null;
  if (!Number.isFinite(figure.value)) return false;
  return figure.target.op === "≥" ? figure.value >= figure.target.value : figure.value <= figure.target.value;
}

const number = (value: number, digits: number): string =>
  Number.isFinite(value)
    ? value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : String(value);

export function formatValue(figure: Figure): string {
  return `${number(figure.value, figure.digits)}${figure.unit === "" ? "" : ` ${figure.unit}`}`;
}

export function formatTarget(figure: Figure): string {
  if (figure.target === undefined) return "";
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
}

export function performanceMarkdown(doc: BenchDocument): string {
  const m = doc.machine;
  const missed = doc.figures.filter((f) => met(f) === false);
  const metCount = doc.figures.filter((f) => met(f) === true).length;
  const withTarget = doc.figures.filter((f) => f.target !== undefined).length;
  const out: string[] = [];
  out.push("# Performance at national scale");
  out.push("");
  out.push(
    "Written by `pnpm bench` (packages/bench); every figure below comes from one run on one machine, the ceilings measured side by side with the server so that the ratios mean something on a noisy machine. Do not edit by hand: run the benchmark again.",
  );
  if (doc.smoke) out.push("", "**This is a smoke run at a tiny size: it proves the benchmark works, not that the server is fast.**");
  out.push("");
  out.push("## The run");
  out.push("");
  if (doc.context !== undefined) out.push(`**${doc.context}**`, "");
  out.push(`- date: ${m.date} (commit ${m.commit})`);
  out.push(`- machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB memory, ${m.os}, Node ${m.node}`);
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
  out.push(`${metCount} of ${withTarget} targets met.`);
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
  out.push("## Reproduce");
  out.push("");
  out.push("```sh");
  if (doc.context !== undefined) out.push(`# this run: ${doc.context}`);
  for (const c of doc.commands) out.push(c);
  out.push("```");
  out.push("");
  return out.join("\n");
}
