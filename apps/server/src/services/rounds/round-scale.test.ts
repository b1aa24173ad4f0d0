import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "@countersign/db";
import type { OpenedDatabase } from "@countersign/db";
import { createBenchCaller, seedBenchRound } from "../../bench-support/index.js";

let opened: OpenedDatabase | null = null;
afterEach(() => opened?.close());

describe("a round at scale", () => {
  // 1,320 departments × 25 measures = 33,000 reports: more than SQLite takes bound variables in one statement (32,766),
  // which a list of the reports' ids (to find their files) once ran into.
  it("reads a round of 33,000 reports, with their files, in one call", { timeout: 120_000 }, async () => {
    opened = openDatabase(":memory:");
    const now = new Date("2026-03-02T02:00:00Z");
    const round = await seedBenchRound(opened.db, { departments: 1320, measures: 25, now, submit: false });
    expect(round.reports).toBe(33_000);
    const started = performance.now();
    const detail = await createBenchCaller(opened.db, round.coordinator, () => now).round.get({ roundId: round.roundId });
    expect(detail.reports).toHaveLength(33_000);
    expect(detail.reports.every((r) => r.attachments.length === 0 && r.standing === "not_reported")).toBe(true);
    // Generous: proves "not quadratic", not a speed target (pnpm bench measures it).
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it("gives the header and a page of a round of 33,000 reports without reading them all, and pages through all of them", { timeout: 120_000 }, async () => {
    opened = openDatabase(":memory:");
    const now = new Date("2026-03-02T02:00:00Z");
    const round = await seedBenchRound(opened.db, { departments: 1320, measures: 25, now, submit: false });
    const caller = createBenchCaller(opened.db, round.coordinator, () => now);
    const header = await caller.round.header({ roundId: round.roundId });
    expect(header.statistics).toMatchObject({ total: 33_000, notReported: 33_000, departments: 1320 });
    expect(header.reportDepartments).toHaveLength(1320);
    expect(header.reportMeasures).toHaveLength(25);
    const ids = new Set<number>();
    let cursor: string | undefined;
    let pages = 0;
    const started = performance.now();
    do {
      const page = await caller.round.reports({ roundId: round.roundId, limit: 200, cursor });
      for (const r of page.reports) ids.add(r.id);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined);
    expect(pages).toBe(165);
    expect(ids.size).toBe(33_000);
    // Generous: a page costs about the same however deep it is (not quadratic), not a speed target (pnpm bench).
    expect(performance.now() - started).toBeLessThan(60_000);
  });
});
