import { describe, expect, it } from "vitest";
import { quantile, summarize } from "./harness/stats.js";
import { issue17Note, notesFor } from "./notes.js";
import { formatTarget, formatValue, markdownTable, mergePerformanceMarkdown, met, notAvailable, textTable } from "./report.js";
import type { BenchDocument, Figure } from "./report.js";
import { EventMerge } from "./scale/event-merge.js";
import type { PlannedEvent } from "./scale/simulate-plan.js";

const figure = (over: Partial<Figure>): Figure => ({
  id: "reads.ratio-constant",
  section: "reads",
  name: "inbox.list ÷ constant tRPC query",
  value: 0.5,
  unit: "",
  digits: 2,
  target: { op: "≥", value: 0.8 },
  ...over,
});

describe("the table", () => {
  it("judges each figure against its target, and a figure that is not a number never passes", () => {
    expect(met(figure({}))).toBe(false);
    expect(met(figure({ value: 0.8 }))).toBe(true);
    expect(met(figure({ target: { op: "≤", value: 5 }, value: 4.99 }))).toBe(true);
    expect(met(figure({ target: { op: "≤", value: 5 }, value: Number.NaN }))).toBe(false);
    expect(met(figure({ target: undefined }))).toBeNull();
  });

  it("prints values with their unit and the verdict beside the target", () => {
    const f = figure({ id: "queries.inbox-none", section: "queries at scale", value: 1234.567, unit: "ms", target: { op: "≤", value: 5 } });
    expect(formatValue(f)).toBe("1,234.57 ms");
    expect(formatTarget(f)).toBe("≤ 5.00 ms");
    expect(textTable([f])).toMatch(/1,234\.57 ms\s+≤ 5\.00 ms\s+✗/);
    expect(markdownTable([figure({ value: 0.9 }), f])).toContain("| **queries at scale** |");
    expect(markdownTable([figure({ value: 0.9 })])).toContain("≥ 0.80 ✓");
  });

  it("explains each missed target with the figures of the run", () => {
    const notes = notesFor([figure({}), figure({ id: "reads.constant", value: 2000, target: undefined }), figure({ id: "reads.inbox", value: 1000, target: undefined })], {
      smoke: false,
      cores: 2,
    });
    const why = notes.find((n) => n.includes("inbox.list ÷ constant tRPC query") && n.includes("misses its target"));
    expect(why).toContain("the constant query takes 0.50 ms and inbox.list 1.00 ms");
    expect(notes.some((n) => n.includes("share the machine's 2 cores"))).toBe(true);
  });
});

describe("issue 17's before and after", () => {
  it("sets each figure of the run beside its value when the issue was filed, on SQLite only", () => {
    const run = [
      figure({ id: "writes.ratio", value: 0.534, target: undefined }),
      figure({ id: "exports.large-pdf", value: 1819.4, unit: "ms", target: undefined }),
    ];
    const note = notesFor(run, { smoke: false, cores: 2, engine: "sqlite" }).find((n) => n.startsWith("Issue 17"));
    expect(note).toContain("writes over HTTP ÷ raw loop 0.27 → 0.53");
    expect(note).toContain("500 × 60 PDF 2,678 ms → 1,819 ms");
    expect(note).not.toContain("search p95");
    expect(notesFor(run, { smoke: false, cores: 2, engine: "postgres" }).some((n) => n.startsWith("Issue 17"))).toBe(false);
    expect(issue17Note(() => undefined)).toBeNull();
  });
});

describe("stats", () => {
  it("takes nearest-rank quantiles", () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantile(sorted, 0.5)).toBe(5);
    expect(quantile(sorted, 0.95)).toBe(10);
    expect(summarize([3, 1, 2])).toEqual({ p50: 2, p95: 3, max: 3, samples: 3 });
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });
});

describe("EventMerge", () => {
  const event = (atMs: number, planId: number): PlannedEvent => ({
    atMs,
    type: "assignment.accepted",
    actor: null,
    planId,
    measureNumber: null,
    assignmentId: null,
    department: null,
    fromStatus: null,
    toStatus: null,
    payload: {},
  });

  it("hands over the events of many plans in time order, earlier plans first at equal times", () => {
    const merge = new EventMerge();
    merge.add([event(1, 1), event(5, 1), event(9, 1)]);
    merge.add([event(2, 2), event(5, 2), event(6, 2)]);
    const seen: Array<[number, number | null]> = [];
    merge.drain(6, (e) => seen.push([e.atMs, e.planId]));
    expect(seen).toEqual([
      [1, 1],
      [2, 2],
      [5, 1],
      [5, 2],
    ]);
    merge.add([event(7, 3)]);
    merge.drain(Number.POSITIVE_INFINITY, (e) => seen.push([e.atMs, e.planId]));
    expect(seen.slice(4)).toEqual([
      [6, 2],
      [7, 3],
      [9, 1],
    ]);
    expect(merge.pendingStreams).toBe(0);
  });
});

describe("performance.md on two engines", () => {
  const document = (engine: "sqlite" | "postgres", figures: Figure[]): BenchDocument => ({
    machine: { cores: 2, cpuModel: "cpu", memoryGiB: 4, node: "v20", os: "Linux", loadAverage: 1, date: "2026-11-30T00:00:00.000Z", commit: "abc" },
    size: { assignments: 1000, auditEvents: 2000, plans: 3, databaseMiB: 1, seedSeconds: null },
    database: null,
    figures,
    notes: [],
    queryPlans: [],
    commands: ["npx -y pnpm@12.4.2 bench"],
    smoke: false,
    durations: { loadSeconds: 10, warmupSeconds: 3, connections: 10 },
    engine,
    ...(engine === "postgres" ? { postgres: { version: "15.8", cluster: "throw-away" as const, copySeconds: 12.5, rowsCopied: 3000 } } : {}),
  });
  const sqliteRun = document("sqlite", [figure({ id: "writes.raw", section: "writes", name: "raw sqlite loop", value: 11111, unit: "tx/s", digits: 0, target: undefined })]);
  const postgresRun = document("postgres", [
    figure({ id: "writes.raw", section: "writes", name: "raw node-postgres loop", value: 2222, unit: "tx/s", digits: 0, target: undefined }),
    notAvailable("reads.not-available", "reads", "inbox.list under load", "auth.login (sign-in) is not available on PostgreSQL yet (501 not_on_this_engine)"),
  ]);

  it("shows a stage not available on PostgreSQL as such, with no value and no verdict", () => {
    const row = notAvailable("reads.not-available", "reads", "inbox.list under load", "why");
    expect(met({ ...row, target: { op: "≥", value: 1 } })).toBeNull();
    expect(formatValue(row)).toBe("not available on PostgreSQL yet");
    expect(markdownTable([row])).toContain("| inbox.list under load | not available on PostgreSQL yet |");
  });

  it("keeps the other engine's section when a run rewrites its own", () => {
    const first = mergePerformanceMarkdown(null, sqliteRun);
    const both = mergePerformanceMarkdown(first, postgresRun);
    expect(both).toContain("## SQLite");
    expect(both).toContain("11,111 tx/s");
    expect(both).toContain("## PostgreSQL");
    expect(both).toContain("2,222 tx/s");
    expect(both).toContain("copied from SQLite with copyFromSqlite in 12.5 s");
    expect(both.indexOf("## SQLite")).toBeLessThan(both.indexOf("## PostgreSQL"));
    // A new SQLite run replaces SQLite's figures only.
    const again = mergePerformanceMarkdown(both, document("sqlite", [figure({ id: "writes.raw", section: "writes", name: "raw sqlite loop", value: 33333, unit: "tx/s", digits: 0, target: undefined })]));
    expect(again).not.toContain("11,111 tx/s");
    expect(again).toContain("33,333 tx/s");
    expect(again).toContain("2,222 tx/s");
    expect(again.match(/## PostgreSQL/g)).toHaveLength(1);
  });

  it("turns a file from before the sections (one SQLite run) into the SQLite section", () => {
    const legacy = "# Performance at national scale\n\nWritten by `pnpm bench`.\n\n## The run\n\n- date: then\n\n## Figures\n\n| 9,999 rps |\n";
    const merged = mergePerformanceMarkdown(legacy, postgresRun);
    expect(merged).toContain("## SQLite\n\n### The run\n\n- date: then");
    expect(merged).toContain("### Figures\n\n| 9,999 rps |");
    expect(merged).toContain("## PostgreSQL");
    expect(merged.match(/^# Performance at national scale/gm)).toHaveLength(1);
  });
});
