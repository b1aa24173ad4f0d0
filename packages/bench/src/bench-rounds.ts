/**
 * The rounds stage alone (`pnpm --filter @countersign/bench bench:rounds -- --departments 3000`): the round grid's
 * header, first page and whole round at N departments × 25 measures, and the compiled report, in a database of its
 * own; prints the figures as a table. The full `pnpm bench` runs the same stage at 3,000 departments.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { textTable } from "./report.js";
import { benchRounds } from "./stages/rounds.js";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: { departments: { type: "string" }, runs: { type: "string" } },
  strict: true,
});
const departments = Number(values.departments ?? 3000);
const runs = Number(values.runs ?? 5);
if (!Number.isInteger(departments) || departments < 17) throw new Error("--departments must be an integer of at least 17");
if (!Number.isInteger(runs) || runs < 2) throw new Error("--runs must be an integer of at least 2");
const workDir = mkdtempSync(join(tmpdir(), "countersign-bench-rounds-"));
try {
  const figures = await benchRounds({ workDir, gridDepartments: departments, measures: 25, runs, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${textTable(figures)}\n`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
