/**
 * The benchmark's large exports alone (500 measures × 60 departments as XLSX and PDF, in process), for working on
 * the exports without the whole `pnpm bench`:
 *   node packages/bench/dist/bench-exports.js [--runs N]   (default 5; prints the figures as the bench's table)
 */
import { parseArgs } from "node:util";
import { textTable } from "./report.js";
import { benchLargeExports } from "./stages/exports.js";

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== "--"), options: { runs: { type: "string" } }, strict: true });
  const runs = Number(values.runs ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");
  const figures = await benchLargeExports({ runs, log: (line) => process.stderr.write(`[bench] ${line}\n`) });
  process.stdout.write(`${textTable(figures)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
