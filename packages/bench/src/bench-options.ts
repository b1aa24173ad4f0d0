import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "./harness/paths.js";
import { met } from "./report.js";
import type { BenchOptions, BenchResult } from "./run-bench.js";

export interface BenchCliOptions extends BenchOptions {
  database: string;
  /** Where the markdown goes. */
  out: string;
  /** Also write the figures as JSON here (e.g. to compare a later run with). */
  json: string | null;
  /** An earlier run's JSON: the table shows its values beside this run's. */
  baseline: string | null;
  /** A line saying what was measured, when it is not simply the checked-out commit. */
  context: string | null;
  /** Only write the markdown again from this run's JSON. */
  render: string | null;
}

export function benchOptions(argv: string[], log: (line: string) => void): BenchCliOptions {
  const { values } = parseArgs({
    // `pnpm bench -- --smoke` passes the "--" along.
    args: argv.filter((a) => a !== "--"),
    options: {
      assignments: { type: "string" },
      database: { type: "string" },
      smoke: { type: "boolean" },
      out: { type: "string" },
      seconds: { type: "string" },
      json: { type: "string" },
      baseline: { type: "string" },
      context: { type: "string" },
      render: { type: "string" },
      soak: { type: "string" },
      engine: { type: "string" },
      "database-url": { type: "string" },
    },
    strict: true,
  });
  const smoke = values.smoke === true;
  const workDir = mkdtempSync(join(tmpdir(), "countersign-bench-"));
  const assignments = Number(values.assignments ?? (smoke ? 2000 : 1_000_000));
  if (!Number.isInteger(assignments) || assignments < 200) throw new Error("--assignments must be an integer of at least 200");
  const seconds = Number(values.seconds ?? (smoke ? 1 : 10));
  const soakSeconds = Number(values.soak ?? (smoke ? 4 : 300));
  if (!Number.isFinite(soakSeconds) || soakSeconds < 2) throw new Error("--soak must be at least 2 seconds");
  const engine = values.engine ?? "sqlite";
  if (engine !== "sqlite" && engine !== "postgres") throw new Error("--engine must be sqlite or postgres");
  const databaseUrl = values["database-url"] ?? null;
  if (databaseUrl !== null && engine !== "postgres") throw new Error("--database-url needs --engine postgres");
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error("--database-url must be a postgres:// URL");
  // INIT_CWD: where `pnpm bench` was typed, so relative paths mean what the user meant.
  const base = process.env["INIT_CWD"] ?? process.cwd();
  return {
    assignments,
    // A full run keeps its generated database under data/ (git-ignored) and reuses it next time.
    database:
      values.database !== undefined
        ? resolve(base, values.database)
        : smoke
          ? join(workDir, "scale.sqlite")
          : join(repoRoot, "data", `scale-${assignments}.sqlite`),
    workDir,
    engine,
    databaseUrl,
    connections: 10,
    loadSeconds: seconds,
    warmupSeconds: smoke ? 0.5 : 3,
    queryIterations: smoke ? 5 : 200,
    queryBudgetMs: smoke ? 200 : 5000,
    webLoads: smoke ? 1 : 5,
    exportRuns: smoke ? 1 : 5,
    soakSeconds,
    soakPhaseSeconds: smoke ? 1 : 10,
    uploads: smoke ? 3 : 20,
    roundDepartments: smoke ? 200 : 3000,
    serverStarts: smoke ? 1 : 3,
    smoke,
    log,
    context: values.context ?? null,
    render: values.render === undefined ? null : resolve(base, values.render),
    json: values.json === undefined ? null : resolve(base, values.json),
    baseline: values.baseline === undefined ? null : resolve(base, values.baseline),
    out: values.out === undefined ? (smoke ? join(workDir, "performance.md") : join(repoRoot, "docs", "performance.md")) : resolve(base, values.out),
  };
}

export function summaryOf(result: BenchResult): string {
  const figures = result.document.figures;
  const withTarget = figures.filter((f) => f.target !== undefined);
  const missed = withTarget.filter((f) => met(f) === false);
  return `${figures.length} figures, ${withTarget.length - missed.length} of ${withTarget.length} targets met${missed.length === 0 ? "" : ` (missed: ${missed.map((f) => f.id).join(", ")})`}; ${result.fullScans.length} full scans of big tables`;
}

