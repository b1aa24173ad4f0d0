import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, verifyAuditChain } from "@countersign/db";
import { benchOptions, summaryOf } from "./bench-options.js";
import { met, performanceMarkdown, textTable } from "./report.js";
import { runBench } from "./run-bench.js";
import type { BenchResult } from "./run-bench.js";

/**
 * The whole benchmark at a tiny size (2,000 assignments, 1-second loads): every stage must run and give every
 * figure. It proves the benchmark works, not that the server is fast, so targets are not asserted here.
 */
describe("pnpm bench --smoke", () => {
  const lines: string[] = [];
  const options = benchOptions(["--smoke"], (line) => lines.push(line));
  let result: BenchResult | null = null;
  afterAll(() => rmSync(options.workDir, { recursive: true, force: true }));

  it("runs every stage on a generated database and gives every figure, each finite", { timeout: 150_000 }, async () => {
    result = await runBench(options);
    const figures = result.document.figures;
    process.stdout.write(`\n${textTable(figures)}\n${summaryOf(result)}\n`);
    const ids = figures.map((f) => f.id);
    for (const id of [
      "reads.inbox",
      "reads.inbox-p99",
      "reads.inbox-revalidated",
      "reads.ratio-revalidated",
      "reads.inbox-uncached",
      "reads.constant",
      "reads.bare",
      "reads.ratio-constant",
      "reads.ratio-bare",
      "reads.fastify",
      "reads.cached",
      "reads.batched",
      "writes.http",
      "writes.raw",
      "writes.ratio",
      "queries.inbox-none",
      "queries.inbox-largest",
      "queries.inbox-plan",
      "queries.inbox-status",
      "queries.inbox-lateness",
      "queries.inbox-search",
      "queries.inbox-cursor",
      "queries.inbox-coordinator",
      "queries.tracking",
      "queries.audit-first",
      "queries.audit-deep",
      "exports.default-xlsx",
      "exports.large-xlsx",
      "exports.large-pdf",
      "import.docx-200",
      "import.xlsx-500",
      "rounds.upload-1mib",
      "rounds.grid",
      "rounds.grid-header",
      "rounds.grid-page",
      "rounds.compiled-docx",
      "rounds.compiled-pdf",
      "cascade.forward-provinces",
      "cascade.regional-national",
      "cascade.county-inbox",
      "cascade.round-down-levels",
      "memory.peak-rss",
      "memory.soak-start",
      "memory.soak-peak",
      "memory.soak-end",
      "memory.soak-slope",
      "startup",
      "web.js-sign-in",
      "web.js-inbox",
      "web.first-row",
    ]) {
      expect(ids, id).toContain(id);
    }
    for (const f of figures) {
      expect(Number.isFinite(f.value), `${f.id} = ${f.value}`).toBe(true);
      // A slope may be 0 or fall; every other figure is a positive measurement.
      if (f.id !== "memory.soak-slope") expect(f.value, f.id).toBeGreaterThan(0);
    }
    // Every figure with a target gets a verdict.
    for (const f of figures.filter((x) => x.target !== undefined)) expect(met(f)).not.toBeNull();
  });

  it("checks the query plans of every statement the procedures ran, and finds no full scan", () => {
    expect(result).not.toBeNull();
    if (result === null) return;
    expect(result.document.queryPlans.length).toBeGreaterThan(5);
    expect(result.fullScans).toEqual([]);
  });

  it("leaves the database's audit trail whole: the raw write loop chains its events on the head and moves it, as the server does", () => {
    expect(result).not.toBeNull();
    const opened = openDatabase(options.database);
    try {
      expect(verifyAuditChain(opened.db)).toMatchObject({ ok: true });
    } finally {
      opened.close();
    }
  });

  it("writes the document with the machine, the table and the commands to reproduce", () => {
    if (result === null) return;
    const markdown = performanceMarkdown(result.document);
    expect(markdown).toContain("## Figures");
    expect(markdown).toMatch(/\d+ cores/);
    expect(markdown).toContain("Node v");
    expect(markdown).toContain("pnpm@12.4.2 bench");
    expect(markdown).toContain("smoke run");
  });
});

/**
 * The same on PostgreSQL (issues 13 and 17): a throw-away cluster, the tiny database copied into it, the server
 * on DATABASE_URL. Every stage gives its figures or, while its procedures answer 501 `not_on_this_engine` (or the
 * server does not run on PostgreSQL yet), one row saying it is not available; the raw write loop always runs.
 * Short on purpose: 2-second loads (an uncached batch of 10 inbox pages can take over a second on PostgreSQL on a
 * loaded machine, and a 1-second load would then complete none), a 2-second soak, one server start; the procedures
 * in process through the PostgreSQL store, the rounds' grid and the cascade on databases of their own on the cluster.
 */
describe("pnpm bench --smoke --engine postgres", () => {
  const lines: string[] = [];
  const options = benchOptions(["--smoke", "--engine", "postgres", "--seconds", "2", "--soak", "2"], (line) => lines.push(line));
  afterAll(() => rmSync(options.workDir, { recursive: true, force: true }));

  it("copies the database, measures or marks every stage, and names the engine", { timeout: 150_000 }, async () => {
    const result = await runBench(options);
    const figures = result.document.figures;
    process.stdout.write(`\nengine: postgres\n${textTable(figures)}\n${summaryOf(result)}\n`);
    expect(result.document.engine).toBe("postgres");
    expect(result.document.postgres?.cluster).toBe("throw-away");
    expect(result.document.postgres?.copySeconds).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes("stopping the throw-away cluster"))).toBe(true);
    const ids = figures.map((f) => f.id);
    // Each stage: its figures, or its "not available" row.
    for (const [stage, measured] of [
      ["startup", "startup"],
      ["reads", "reads.inbox"],
      ["writes.http", "writes.http"],
      ["two-instances", "two-instances.reads"],
      ["two-instances", "two-instances.writes"],
      ["memory.soak", "memory.soak-peak"],
      ["exports", "exports.default-xlsx"],
      ["import", "import.docx-200"],
      ["rounds.upload", "rounds.upload-1mib"],
      ["web", "web.first-row"],
    ] as const) {
      expect(ids.includes(measured) || ids.some((id) => id.startsWith(stage) && id.endsWith(".not-available")), stage).toBe(true);
    }
    // The procedures in process run on PostgreSQL through the store seam, their statements explained by PostgreSQL.
    for (const id of ["queries.inbox-none", "queries.inbox-search", "queries.tracking", "queries.audit-deep"]) expect(ids, id).toContain(id);
    expect(result.document.queryPlans.length).toBeGreaterThan(5);
    expect(result.document.queryPlans.some((p) => p.plan.some((line) => /Scan on assignments/.test(line)))).toBe(true);
    expect(result.fullScans).toEqual([]);
    // The rounds' grid and the cascade run on the store seam: their figures are measured on PostgreSQL too.
    for (const id of [
      "rounds.grid-header",
      "rounds.grid-page",
      "rounds.grid",
      "rounds.compiled-docx",
      "rounds.compiled-pdf",
      "cascade.forward-provinces",
      "cascade.regional-national",
      "cascade.county-inbox",
      "cascade.round-down-levels",
    ]) {
      expect(figures.find((f) => f.id === id)?.name, id).toContain("on PostgreSQL");
    }
    expect(ids.some((id) => id.startsWith("rounds.grid") && id.endsWith(".not-available"))).toBe(false);
    const raw = figures.find((f) => f.id === "writes.raw");
    expect(raw?.name).toContain("node-postgres");
    expect(raw?.value).toBeGreaterThan(0);
    for (const f of figures) {
      if (f.unavailable !== undefined) {
        expect(f.value, f.id).toBeNaN();
        expect(met(f), f.id).toBeNull();
      } else {
        expect(Number.isFinite(f.value), `${f.id} = ${f.value}`).toBe(true);
        if (f.id !== "memory.soak-slope") expect(f.value, f.id).toBeGreaterThan(0);
      }
    }
    const markdown = performanceMarkdown(result.document);
    expect(markdown).toContain("## PostgreSQL");
    expect(markdown).toMatch(/copied from SQLite with copyFromSqlite in \d/);
  });
});
