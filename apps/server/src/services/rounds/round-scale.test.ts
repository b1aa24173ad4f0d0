import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "@countersign/db";
import type { OpenedDatabase } from "@countersign/db";
import { createBenchCaller, seedBenchRound } from "../../bench-support/index.js";

let opened: OpenedDatabase | null = null;
afterEach(() => opened?.close());

describe("round.get at scale", () => {
  // 1,320 departments × 25 measures = 33,000 reports: more than SQLite takes bound variables in one statement (32,766),
  // which a list of the reports' ids (to find their files) once ran into.
  it("reads a round of 33,000 reports, with their files, in one call", { timeout: 120_000 }, async () => {
    opened = openDatabase(":memory:");
    const now = new Date("2026-03-02T02:00:00Z");
    const round = seedBenchRound(opened.db, { departments: 1320, measures: 25, now, submit: false });
    expect(round.reports).toBe(33_000);
    const started = performance.now();
    const detail = await createBenchCaller(opened.db, round.coordinator, () => now).round.get({ roundId: round.roundId });
    expect(detail.reports).toHaveLength(33_000);
    expect(detail.reports.every((r) => r.attachments.length === 0 && r.standing === "not_reported")).toBe(true);
    // Generous: proves "not quadratic", not a speed target (pnpm bench measures it).
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
