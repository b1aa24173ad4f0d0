// The rounds stage's in-process part on a small grid: it opens the rounds through the services, measures the grid
// (header, first page, whole round) and the compiled report as DOCX and PDF, and its own checks (every report counted,
// a full first page, every submitted report in the compiled report) hold, on SQLite and on PostgreSQL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { connectPostgres } from "@countersign/db-postgres";
import { startCluster } from "../harness/postgres.js";
import { benchRounds } from "./rounds.js";

const ids = ["rounds.grid-header", "rounds.grid-page", "rounds.grid", "rounds.compiled-docx", "rounds.compiled-pdf"];

describe("the rounds stage (grid and compiled report)", () => {
  it("measures the round grid and the compiled report on SQLite", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-bench-rounds-"));
    try {
      const figures = await benchRounds({ workDir: dir, gridDepartments: 40, measures: 25, runs: 2, log: () => undefined });
      expect(figures.map((f) => f.id)).toEqual(ids);
      for (const f of figures) {
        expect(f.value, f.id).toBeGreaterThan(0);
        expect(f.name).toContain("on SQLite");
      }
      expect(figures[0]?.name).toContain("40 departments × 25 measures (1,000 reports)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("measures the same on PostgreSQL, in a database of its own that it drops after", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-bench-rounds-pg-"));
    const lines: string[] = [];
    const cluster = await startCluster((line) => lines.push(line));
    try {
      const figures = await benchRounds({ workDir: dir, gridDepartments: 40, measures: 25, runs: 2, log: (line) => lines.push(line), postgresUrl: cluster.url });
      expect(figures.map((f) => f.id)).toEqual(ids);
      for (const f of figures) {
        expect(f.value, f.id).toBeGreaterThan(0);
        expect(f.name).toContain("on PostgreSQL");
      }
      const copied = lines.map((l) => /copied into PostgreSQL database (countersign_bench_rounds_[0-9a-f]{8})/.exec(l)?.[1]).find((n) => n !== undefined);
      expect(copied).toBeDefined();
      // Dropped after: the server keeps no database of the stage's.
      const admin = connectPostgres(cluster.url, { maxConnections: 1 });
      try {
        const left = await admin.pool.query<{ datname: string }>("select datname from pg_database where datname like 'countersign_bench_rounds_%'");
        expect(left.rows).toEqual([]);
      } finally {
        await admin.close();
      }
    } finally {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
