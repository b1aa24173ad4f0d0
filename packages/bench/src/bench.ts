/**
 * `pnpm bench`: every figure of issue 7 in one run, printed as one table and written to docs/performance.md.
 *   --assignments N   size of the generated database (default 1,000,000)
 *   --database FILE   use this file: generated there if missing, reused if present
 *                     (default data/scale-N.sqlite, so the 1,000,000 database is generated once)
 *   --smoke           tiny size, 1-second loads: proves the benchmark works (writes its table to a temp dir)
 *   --out FILE        where to write the markdown (default docs/performance.md; a temp file for --smoke)
 *   --seconds S       length of each load (default 10)
 *   --soak S          length of the memory soak, reads and writes alternated (default 300; 4 with --smoke)
 *   --json FILE       also write the figures as JSON
 *   --baseline FILE   an earlier run's JSON, shown beside this run's figures
 *   --context TEXT    a line saying what was measured (e.g. a change not yet committed)
 *   --engine E        sqlite (default) or postgres: the server under test runs on that engine (DATABASE_URL)
 *   --database-url U  with --engine postgres: this database (filled from the SQLite database by copyFromSqlite when
 *                     empty, reused when it already holds that data); without it, a throw-away cluster
 *                     (scripts/postgres.sh) is started for the run and removed after
 *   --render FILE     write the markdown again from a run's JSON (e.g. after editing the notes), measuring nothing
 * Exits 1 if any stage fails or a query plan scans a whole big table; a missed target is reported, not an error.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { benchOptions, summaryOf } from "./bench-options.js";
import { notesFor } from "./notes.js";
import { mergePerformanceMarkdown, textTable } from "./report.js";
import type { BenchDocument } from "./report.js";
import { runBench } from "./run-bench.js";

const existing = (path: string): string | null => (existsSync(path) ? readFileSync(path, "utf8") : null);

async function main(): Promise<number> {
  const log = (line: string): void => {
    process.stderr.write(`[bench] ${line}\n`);
  };
  const options = benchOptions(process.argv.slice(2), log);
  if (options.render !== null) {
    const document = JSON.parse(readFileSync(options.render, "utf8")) as BenchDocument;
    document.notes = notesFor(document.figures, { smoke: document.smoke, cores: document.machine.cores });
    writeFileSync(options.out, mergePerformanceMarkdown(existing(options.out), document));
    rmSync(options.workDir, { recursive: true, force: true });
    process.stdout.write(`written to ${options.out}\n`);
    return 0;
  }
  try {
    const result = await runBench(options);
    if (options.context !== null) result.document.context = options.context;
    if (options.baseline !== null) result.document.baseline = JSON.parse(readFileSync(options.baseline, "utf8")) as BenchDocument;
    if (options.json !== null) writeFileSync(options.json, `${JSON.stringify(result.document, null, 2)}\n`);
    // This engine's section replaced, the other engine's kept.
    const markdown = mergePerformanceMarkdown(existing(options.out), result.document);
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, markdown);
    process.stdout.write(`\nengine: ${result.document.engine ?? "sqlite"}\n${textTable(result.document.figures)}\n\n${summaryOf(result)}\nwritten to ${options.out}\n`);
    if (result.fullScans.length > 0) {
      process.stderr.write(`full scans of big tables:\n${result.fullScans.map((s) => `  ${s}`).join("\n")}\n`);
      return 1;
    }
    return 0;
  } finally {
    rmSync(options.workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
