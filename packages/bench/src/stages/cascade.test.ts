// The cascade stage on a small tree: it builds the tree, forwards, derives, issues and measures, and its own checks
// (every province in the national view, the county liaison's one assignment) hold, on SQLite and on PostgreSQL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startCluster } from "../harness/postgres.js";
import { organisationsAtScale } from "../scale/organisations.js";
import { benchCascade } from "./cascade.js";

describe("the cascade stage", () => {
  it("generates a well-formed tree of the size asked, keeping the fixture's chain to 隆安县", () => {
    const list = organisationsAtScale(3_000);
    expect(list).toHaveLength(3_000);
    expect(new Set(list.map((o) => o.id)).size).toBe(3_000);
    for (const id of ["CN", "450000", "450100", "450123"]) expect(list.some((o) => o.id === id)).toBe(true);
    expect(list.filter((o) => o.level === "county").length).toBeGreaterThan(2_000);
  });

  it("measures forwarding to every province, the national regional view, a county liaison's inbox and a round opened down the levels", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-bench-cascade-"));
    try {
      const figures = await benchCascade({ workDir: dir, organisations: 150, iterations: 5, log: () => undefined });
      expect(figures.map((f) => f.id)).toEqual(["cascade.forward-provinces", "cascade.regional-national", "cascade.county-inbox", "cascade.round-down-levels"]);
      for (const f of figures) expect(Number.isFinite(f.value)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("measures the same on PostgreSQL, in a database of its own that it drops after", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-bench-cascade-pg-"));
    const lines: string[] = [];
    const cluster = await startCluster((line) => lines.push(line));
    try {
      const figures = await benchCascade({ workDir: dir, organisations: 150, iterations: 5, log: (line) => lines.push(line), postgresUrl: cluster.url });
      expect(figures.map((f) => f.id)).toEqual(["cascade.forward-provinces", "cascade.regional-national", "cascade.county-inbox", "cascade.round-down-levels"]);
      for (const f of figures) {
        expect(Number.isFinite(f.value)).toBe(true);
        expect(f.name).toContain("on PostgreSQL");
      }
      expect(lines.some((l) => /copied into PostgreSQL database countersign_bench_cascade_/.test(l))).toBe(true);
    } finally {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
