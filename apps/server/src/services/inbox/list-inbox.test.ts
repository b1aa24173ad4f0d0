import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { latenessLevels, latenessOf } from "@countersign/domain";
import { seedDemo } from "../../demo/seed-demo.js";
import { measureExcerpt, measureExcerptLength } from "./list-inbox.js";
import { createHarness } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  const miit = h.as("miit");
  // Due dates around 2026-03-02 (the harness clock): long overdue, overdue, due soon, later, ongoing.
  // Back-dated on purpose: some deadlines are already past.
  await miit.plan.issue({
    planId: h.planId,
    backdated: true,
    dueDate: "2026-06-30",
    dueDates: [
      { measureNumber: 3, dueDate: "2026-01-10" },
      { measureNumber: 4, dueDate: "2026-02-20" },
      { measureNumber: 5, dueDate: "2026-03-05" },
      { measureNumber: 6, dueDate: "2026-03-02" },
      { measureNumber: 7, dueDate: "2026-03-09" },
      { measureNumber: 24, dueDate: "ongoing" },
    ],
  });
});
afterEach(() => h.close());

describe("inbox.list", () => {
  it("carries no timestamps the inbox does not show (issued, updated, last reminded: on assignment.get)", async () => {
    const page = await h.as("miit-liaison").inbox.list({ planId: h.planId });
    const row = page.rows[0];
    if (row === undefined) throw new Error("MIIT has work");
    expect(Object.keys(row).filter((k) => ["issuedAt", "updatedAt", "lastRemindedAt"].includes(k))).toEqual([]);
    const full = await h.as("miit-liaison").assignment.get({ id: row.id });
    expect(full.assignment.issuedAt).toMatch(/^\d{4}-/);
  });

  it("lists the caller's department by default, ordered by due date with ongoing last, with counts per status", async () => {
    const page = await h.as("miit-liaison").inbox.list({ planId: h.planId });
    expect(page.department).toBe("MIIT");
    expect(page.rows.every((r) => r.department === "MIIT")).toBe(true);
    const dues = page.rows.map((r) => r.dueDate);
    expect(dues).toEqual([...dues].sort());
    expect(dues.at(-1)).toBe("ongoing");
    expect(page.counts.assigned).toBe(page.total);
    const coordinatorDefault = await h.as("miit").inbox.list({});
    expect(coordinatorDefault.department).toBe("MIIT");
    const everyone = await h.as("miit").inbox.list({ department: null, limit: 200 });
    expect(everyone.department).toBeNull();
    expect(everyone.total).toBeGreaterThan(page.total);
  });

  it("pages by cursor without gaps or repeats; counts ignore the status filter", async () => {
    const miit = h.as("miit");
    const all = await miit.inbox.list({ department: null, limit: 200 });
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i += 1) {
      const page = await miit.inbox.list({ department: null, limit: 7, ...(cursor === undefined ? {} : { cursor }) });
      seen.push(...page.rows.map((r) => r.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all.rows.map((r) => r.id));
    const first = all.rows[0];
    if (first === undefined) throw new Error("empty inbox");
    await h.as(first.department === "MIIT" ? "miit-liaison" : first.department.toLowerCase()).assignment.accept({
      id: first.id,
      expectedVersion: first.version,
    });
    const accepted = await miit.inbox.list({ department: null, status: "accepted" });
    expect(accepted.rows.map((r) => r.id)).toEqual([first.id]);
    expect(accepted.counts).toMatchObject({ accepted: 1, assigned: all.total - 1 });
    expect(accepted.total).toBe(all.total);
  });

  it("filters by lateness exactly as the domain's latenessOf judges each row", async () => {
    const miit = h.as("miit");
    const all = await miit.inbox.list({ department: null, limit: 200 });
    for (const lateness of latenessLevels) {
      const page = await miit.inbox.list({ department: null, lateness, limit: 200 });
      const expected = all.rows.filter((r) => latenessOf(r.dueDate, r.status, h.clock.now) === lateness).map((r) => r.id);
      expect(page.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
      expect(page.rows.every((r) => r.lateness === lateness)).toBe(true);
    }
    expect((await miit.inbox.list({ department: null, lateness: "long_overdue" })).total).toBeGreaterThan(0);
    expect((await miit.inbox.list({ department: null, lateness: "due_soon" })).total).toBeGreaterThan(0);
  });

  it("searches the measure's words and number", async () => {
    const miit = h.as("miit");
    const tax = await miit.inbox.list({ department: null, search: "TAX BURDEN" });
    expect(tax.rows.length).toBeGreaterThan(0);
    expect(tax.rows.every((r) => r.measureNumber === 7)).toBe(true);
    const byNumber = await miit.inbox.list({ department: null, search: "(22)" });
    expect(byNumber.rows.map((r) => r.measureNumber)).toEqual([22]);
    // Wildcards are matched literally, not as LIKE patterns.
    expect((await miit.inbox.list({ department: null, search: "%_%" })).total).toBe(0);
  });
});

describe("the demo seed", () => {
  it("leaves the plan in flight through the real workflow, once", async () => {
    // The demo seeds the embedded SQLite database (start.ts, `npm run demo`), through its handle.
    const fresh = await createHarness({ engine: "sqlite" });
    try {
      // The harness's accounts stand in for the seed's; seed on a database without them.
      fresh.database.sqlite.exec("delete from users");
      const now = new Date("2026-03-02T02:00:00Z");
      const first = await seedDemo(fresh.database.db, now);
      expect(first.seeded).toBe(true);
      expect((await seedDemo(fresh.database.db, now)).seeded).toBe(false);
      expect(first.accounts.map((a) => a.username)).toEqual(
        expect.arrayContaining(["miit", "miit-liaison", "ndrc", "most", "mof", "cnipa", "observer", "admin"]),
      );
      const overview = await fresh.as("miit").tracking.overview({ planId: fresh.planId });
      const statuses = overview.measures.map((m) => m.status);
      expect(statuses).toContain("closed");
      expect(statuses).toContain("countersigned");
      expect(statuses).toContain("awaiting_lead");
      expect(overview.totals.byStatus.declined).toBe(1);
      expect(overview.totals.byStatus.accepted).toBeGreaterThan(5);
      expect(overview.totals.byStatus.in_progress).toBeGreaterThan(5);
      expect(overview.totals.byStatus.signed_off).toBeGreaterThan(3);
      expect(overview.totals.byStatus.assigned).toBeGreaterThan(0);
      expect(overview.totals.byLateness.overdue + overview.totals.byLateness.long_overdue).toBeGreaterThan(3);
      expect(overview.measures.flatMap((m) => m.assignments).filter((a) => a.extensionPending)).toHaveLength(1);
      const overdue = await fresh.as("miit").tracking.overdue({ planId: fresh.planId });
      expect(overdue.length).toBeGreaterThan(3);
      expect(overdue.every((o) => o.daysLate > 0)).toBe(true);
    } finally {
      fresh.close();
    }
  });
});

describe("measureExcerpt", () => {
  const long = `${"甲".repeat(100)}𠀀${"b".repeat(300)} Credit guarantee ${"c".repeat(300)}`;

  it("keeps a short text whole, and starts a long one at its beginning in whole characters", () => {
    expect(measureExcerpt("short", "")).toBe("short");
    const start = measureExcerpt(long, "");
    expect([...start]).toHaveLength(measureExcerptLength);
    expect(start.startsWith("甲".repeat(100) + "𠀀")).toBe(true);
  });

  it("with a search, shows the passage around the first match as the server matched it (ASCII case folded)", () => {
    const found = measureExcerpt(long, "CREDIT");
    expect(found.startsWith("…")).toBe(true);
    expect(found).toContain("Credit guarantee");
    expect([...found]).toHaveLength(measureExcerptLength + 1);
    // No match in the text (the title matched): the start.
    expect(measureExcerpt(long, "nowhere")).toBe(measureExcerpt(long, ""));
  });

  it("near the end, shows the last characters rather than fewer", () => {
    const tail = measureExcerpt(`${"a".repeat(500)}end 𠀀`, "end");
    expect(tail.endsWith("end 𠀀")).toBe(true);
    expect([...tail]).toHaveLength(measureExcerptLength + 1);
  });
});
