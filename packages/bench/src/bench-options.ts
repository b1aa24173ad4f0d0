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

/** What `pnpm bench -- --help` prints. */
export const benchUsage = `Usage: pnpm bench [-- OPTIONS]
Measures every figure of docs/performance.md in one run, prints them as one table and writes the markdown.

  --assignments N   size of the generated database (default 1,000,000)
  --database FILE   use this file: generated there if missing, reused if present
                    (default data/scale-N.sqlite, so the 1,000,000 database is generated once)
  --smoke           tiny size, 1-second loads: proves the benchmark works (writes its table to a temp dir)
  --out FILE        where to write the markdown (default docs/performance.md; a temp file for --smoke)
  --seconds S       length of each load (default 10)
  --soak S          length of the memory soak, reads and writes alternated (default 300; 4 with --smoke)
  --json FILE       also write the figures as JSON
  --baseline FILE   an earlier run's JSON, shown beside this run's figures
  --context TEXT    a line saying what was measured (e.g. a change not yet committed)
  --engine E        sqlite (default) or postgres: the server under test runs on that engine (DATABASE_URL)
  --database-url U  with --engine postgres: this database (filled from the SQLite database when empty, reused when
                    it already holds that data); without it, a throw-away cluster (scripts/postgres.sh) is started
                    for the run and removed after
  --render FILE     write the markdown again from a run's JSON (e.g. after editing the notes), measuring nothing
  --help, -h        this text

Exits 1 if any stage fails or a query plan scans a whole big table; a missed target is reported, not an error.
`;

/** The options `benchOptions` accepts (each one explained in `benchUsage`). */
export const benchOptionSpecs = {
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
} as const;

/**
 * The run's options from the command line (after `pnpm bench --`).
 * Errors: an unknown option or a missing value (with `benchUsage`); bad sizes, durations, engines or URLs.
 */
export function benchOptions(argv: string[], log: (line: string) => void): BenchCliOptions {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof benchOptionSpecs; strict: true }>>;
  try {
    // `pnpm bench -- --smoke` passes the "--" along.
    parsed = parseArgs({ args: argv.filter((a) => a !== "--"), options: benchOptionSpecs, strict: true });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n\n${benchUsage}`);
  }
  const { values } = parsed;
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

