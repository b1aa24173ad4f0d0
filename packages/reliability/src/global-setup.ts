/**
 * Once per run: checks the server is built, seeds one template database through the real server's demo mode (plus a
 * draft "drill" plan, a second copy of the 2020 document, so that tests have 71 fresh assignments to issue), and at
 * the end prints the one summary table of every test's figures.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { loadPlan, openDatabase } from "@countersign/db";
import { defaultPlan, proposedDivision2020 } from "@countersign/domain";
import { readFigures, summaryTable } from "./support/figures.js";
import { drillPlanKey } from "./support/fixture.js";
import { serverMain, serverSrc } from "./support/paths.js";
import { startServer } from "./support/server.js";


function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export default async function setup(project: TestProject): Promise<() => void> {
  if (!existsSync(serverMain)) {
    throw new Error(`${serverMain} is missing: build first (npx -y pnpm@12.4.2 exec turbo run build)`);
  }
  if (newestMtime(serverSrc) > statSync(serverMain).mtimeMs + 1000) {
    process.stdout.write("warning: apps/server/src is newer than its build; the suite tests the build (run the build first)\n");
  }
  const tmpRoot = mkdtempSync(join(tmpdir(), "countersign-reliability-"));
  const figuresDir = join(tmpRoot, "figures");
  mkdirSync(figuresDir);
  const templateDb = join(tmpRoot, "template", "countersign.sqlite");
  mkdirSync(join(tmpRoot, "template"));

  const server = await startServer({ dbPath: templateDb, demo: true });
  await server.stop();
  const database = openDatabase(templateDb);
  try {
    loadPlan(
      database.db,
      { ...defaultPlan, key: drillPlanKey, titleEn: `Drill copy: ${defaultPlan.titleEn}`, titleZh: `演练：${defaultPlan.titleZh}` },
      proposedDivision2020,
    );
    // One self-contained file to copy.
    database.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    database.close();
  }
  project.provide("templateDb", templateDb);
  project.provide("figuresDir", figuresDir);
  project.provide("tmpRoot", tmpRoot);

  return () => {
    const rows = readFigures(figuresDir);
    const table = summaryTable(rows);
    const failed = rows.reduce((n, r) => n + r.failures, 0);
    const text = `\nReliability and security summary (${rows.length} areas, ${failed === 0 ? "all figures at 0" : `${failed} failures`}):\n\n${table}\n`;
    process.stdout.write(text);
    mkdirSync("test-results", { recursive: true });
    writeFileSync(join("test-results", "summary.md"), `${text.trim()}\n`);
    writeFileSync(join("test-results", "summary.json"), `${JSON.stringify(rows, null, 2)}\n`);
    rmSync(tmpRoot, { recursive: true, force: true });
  };
}
