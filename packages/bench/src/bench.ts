/**
 * `pnpm bench`: every figure of issue 7 and issue 17 in one run, printed as one table and written to
 * docs/performance.md. Options: `benchUsage` in bench-options.ts (`pnpm bench -- --help`).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { benchOptions, benchUsage, summaryOf } from "./bench-options.js";
import { notesFor } from "./notes.js";
import { mergePerformanceMarkdown, textTable } from "./report.js";
import type { BenchDocument } from "./report.js";
import { runBench } from "./run-bench.js";

const existing = (path: string): string | null => (existsSync(path) ? readFileSync(path, "utf8") : null);

async function main(): Promise<number> {
  const log = (line: string): void => {
    process.stderr.write(`[bench] ${line}\n`);
  };
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(benchUsage);
    return 0;
  }
  const options = benchOptions(args, log);
  if (options.render !== null) {
    const document = JSON.parse(readFileSync(options.render, "utf8")) as BenchDocument;
    document.notes = notesFor(document.figures, { smoke: document.smoke, cores: document.machine.cores, engine: document.engine });
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
