import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, defaultHarnessEngine, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { listPlanPage } from "./list-plans.js";

const extraPlans = 3_000;

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ seed: ({ database }) => bulkPlans(database.sqlite) });
});
afterEach(() => h.close());

/** Many plans straight into the seed's table (the catalogue at scale); issue dates cycle so that the order by date and by id differ. */
function bulkPlans(sqlite: Harness["database"]["sqlite"]): void {
  const insert = sqlite.prepare(
    `insert into plans (key, title_en, title_zh, document_number, issued_on, published_on, lead_department, status, created_at)
     values (?, ?, ?, ?, ?, ?, 'MIIT', ?, '2026-01-01T00:00:00.000Z')`,
  );
  sqlite.transaction(() => {
    for (let i = 1; i <= extraPlans; i++) {
      const day = String((i % 28) + 1).padStart(2, "0");
      insert.run(`bulk-${i}`, `Bulk plan ${i}`, `批量方案${i}`, `Doc [2025] ${i}`, `2025-03-${day}`, `2025-04-${day}`, i % 3 === 0 ? "issued" : "draft");
    }
  })();
}

describe("catalog.plans and catalog.planPage, paged", () => {
  it("catalog.plans answers the newest page only, as the bare array by id it always was", async () => {
    const plans = await h.as("mof").catalog.plans();
    expect(plans).toHaveLength(50);
    expect(plans.map((p) => p.id)).toEqual(plans.map((p) => p.id).sort((a, b) => a - b));
    expect(plans.every((p) => p.issuedOn === "2025-03-28" || p.issuedOn === "2025-03-27")).toBe(true);
  });

  it("catalog.planPage without input answers the first page, newest issue date first", async () => {
    const plans = (await h.as("mof").catalog.planPage()).items;
    expect(plans).toHaveLength(50);
    const keys = plans.map((p) => [p.issuedOn, p.id] as const);
    const sorted = [...keys].sort((a, b) => b[0].localeCompare(a[0]) || b[1] - a[1]);
    expect(keys).toEqual(sorted);
    expect(plans[0]?.issuedOn).toBe("2025-03-28");
    expect(plans.some((p) => p.id === h.planId)).toBe(false); // the 2020 plan is older than every bulk plan
  });

  it("walks every plan exactly once with the cursor", async () => {
    const mof = h.as("mof");
    const seen = new Set<number>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await mof.catalog.planPage({ limit: 200, ...(cursor ? { cursor } : {}) });
      for (const p of page.items) {
        expect(seen.has(p.id)).toBe(false);
        seen.add(p.id);
      }
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    expect(seen.size).toBe(extraPlans + 1);
    expect(pages).toBe(Math.ceil((extraPlans + 1) / 200));
  });

  it("always carries the plans in include, with their counts, once", async () => {
    const page = await h.as("mof").catalog.planPage({ limit: 5, include: [h.planId, h.planId, 999_999] });
    expect(page.items).toHaveLength(6);
    expect(page.items.at(-1)).toMatchObject({ id: h.planId, measures: 25, assignments: 0 });
    expect(page.nextCursor).not.toBeNull();
  });

  it("searches titles in either language and document numbers", async () => {
    const mof = h.as("mof");
    const en = await mof.catalog.planPage({ search: "bulk PLAN 2999" });
    expect(en.items.map((p) => p.key)).toEqual(["bulk-2999"]);
    expect(en.nextCursor).toBeNull();
    expect((await mof.catalog.planPage({ search: "批量方案1234" })).items.map((p) => p.key)).toEqual(["bulk-1234"]);
    expect((await mof.catalog.planPage({ search: "[2025] 777" })).items.map((p) => p.key)).toContain("bulk-777");
  });

  it("refuses a page larger than 200 and an anonymous caller", async () => {
    expect((await refusalOf(() => h.as("mof").catalog.planPage({ limit: 201 }))).code).toBe("BAD_REQUEST");
    expect((await refusalOf(() => h.anonymous().catalog.plans())).code).toBe("UNAUTHORIZED");
  });

  // SQLite's own query plan, read through the SQLite handle (PostgreSQL's plans are checked by `pnpm bench`).
  it.skipIf(defaultHarnessEngine() === "postgres")("reads the first page along the issue-date index, without sorting or scanning the table", async () => {
    const statements: string[] = [];
    const sqlite = h.database.sqlite;
    const prepare = sqlite.prepare.bind(sqlite);
    // Every statement the page runs, captured as drizzle prepares it.
    sqlite.prepare = ((source: string) => {
      statements.push(source);
      return prepare(source);
    }) as typeof sqlite.prepare;
    await h.store.read((repos) => listPlanPage(repos, { include: [h.planId] }));
    sqlite.prepare = prepare;
    const pageStatement = statements.find((s) => s.includes('order by "plans"."issued_on" desc'));
    expect(pageStatement).toBeDefined();
    const plan = sqlite
      .prepare(`explain query plan ${pageStatement ?? ""}`)
      .all(51)
      .map((r) => (r as { detail: string }).detail);
    expect(plan.join("\n")).toMatch(/SCAN plans USING INDEX plans_issued_idx/);
    expect(plan.join("\n")).not.toMatch(/TEMP B-TREE/);
    for (const s of statements.filter((x) => x !== pageStatement)) {
      const details = sqlite
        .prepare(`explain query plan ${s}`)
        .all(...Array.from({ length: (s.match(/\?/g) ?? []).length }, () => 1))
        .map((r) => (r as { detail: string }).detail);
      for (const d of details) expect(d).not.toMatch(/^SCAN (plans|measures|assignments)$/);
    }
  });
});
