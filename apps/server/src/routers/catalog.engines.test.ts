import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, harnessEngines, refusalOf } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { issuedDefaultPlan } from "../test-support/seeds.js";

// catalog.* on the store seam (issue 13): the same answers on SQLite and PostgreSQL, within the caller's organisation.
describe.each(harnessEngines)("catalog on %s", (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ engine, seed: issuedDefaultPlan });
  });
  afterAll(() => h.close());

  it("departments: the national register in order of signature; a province's office its own register only", async () => {
    const national = await h.as("mof").catalog.departments();
    expect(national).toHaveLength(17);
    expect(national.map((d) => d.order)).toEqual([...national.map((d) => d.order)].sort((a, b) => a - b));
    expect(national.map((d) => d.code)).toContain("MOF");
    const zhejiang = await h.as("zj-office").catalog.departments();
    expect(zhejiang.length).toBeGreaterThan(0);
    expect(zhejiang.map((d) => d.code)).not.toContain("MOF");
    expect(zhejiang.map((d) => d.code).filter((c) => national.some((n) => n.code === c))).toEqual([]);
  });

  it("plans and planPage: the national plan with its counts for the national level, not for a province", async () => {
    const plans = await h.as("mof").catalog.plans();
    expect(plans.map((p) => p.id)).toEqual([h.planId]);
    expect(plans[0]).toMatchObject({ status: "issued", measures: 25, leadDepartment: "MIIT" });
    expect(plans[0]?.assignments).toBeGreaterThan(25);
    expect(await h.as("zj-office").catalog.plans()).toEqual([]);
    expect(await h.as("zj-office").catalog.planPage({ include: [h.planId] })).toEqual({ items: [], nextCursor: null });
  });

  it("planPage: search (width folded, case folded), a page of one, include", async () => {
    const miit = h.as("miit");
    expect((await miit.catalog.planPage({ search: "中小企业" })).items.map((p) => p.id)).toEqual([h.planId]);
    expect((await miit.catalog.planPage({ search: "ＳＭＥ" })).items.map((p) => p.id)).toEqual((await miit.catalog.planPage({ search: "sme" })).items.map((p) => p.id));
    expect((await miit.catalog.planPage({ search: "no such words" })).items).toEqual([]);
    const one = await miit.catalog.planPage({ limit: 1 });
    expect(one.items.map((p) => p.id)).toEqual([h.planId]);
    expect(one.nextCursor).toBeNull();
    const included = await miit.catalog.planPage({ search: "no such words", include: [h.planId, 99_999] });
    expect(included.items.map((p) => p.id)).toEqual([h.planId]);
  });

  it("plan: the division of work, in its orders; not_found; a province's office refused the national plan", async () => {
    const detail = await h.as("mof").catalog.plan({ planId: h.planId });
    expect(detail.plan.id).toBe(h.planId);
    expect(detail.plan).not.toHaveProperty("createdAt");
    expect(detail.measures.map((m) => m.number)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(detail.departments).toHaveLength(17);
    expect(detail.sections.map((s) => s.number)).toEqual([...detail.sections.map((s) => s.number)].sort((a, b) => a - b));
    const firstOfEach = new Map<number, string>();
    for (const r of detail.responsibilities) if (!firstOfEach.has(r.measureNumber)) firstOfEach.set(r.measureNumber, r.role);
    expect([...firstOfEach.values()].every((role) => role === "lead")).toBe(true);
    expect(await refusalOf(() => h.as("mof").catalog.plan({ planId: 99_999 }))).toMatchObject({ code: "NOT_FOUND", refusalCode: "not_found" });
    expect(await refusalOf(() => h.as("zj-office").catalog.plan({ planId: h.planId }))).toMatchObject({ code: "FORBIDDEN", refusalCode: "not_visible" });
  });

  it("plan: a draft's division of work is refused to a department, shown to the coordinator", async () => {
    const draft = await createHarness({ engine });
    try {
      expect(await refusalOf(() => draft.as("mof").catalog.plan({ planId: draft.planId }))).toMatchObject({ refusalCode: "plan_not_issued" });
      expect((await draft.as("miit").catalog.plan({ planId: draft.planId })).plan.status).toBe("draft");
    } finally {
      await draft.close();
    }
  });
});

describe.each(harnessEngines)("the catalogue paged on %s", (engine) => {
  it("walks every page by cursor, newest first, each plan once; search (case folded); a province sees none of them", async () => {
    const h = await createHarness({
      engine,
      // 130 plans, issue dates cycling so that the order by date and by id differ.
      seed: ({ database }) => {
        const insert = database.sqlite.prepare(
          `insert into plans (key, title_en, title_zh, document_number, issued_on, published_on, lead_department, status, created_at)
           values (?, ?, ?, ?, ?, ?, 'MIIT', 'draft', '2026-01-01T00:00:00.000Z')`,
        );
        for (let i = 1; i <= 130; i++) {
          const day = String((i % 28) + 1).padStart(2, "0");
          insert.run(`bulk-${i}`, `Bulk plan ${i}`, `批量方案${i}`, `Doc [2025] ${i}`, `2025-03-${day}`, `2025-04-${day}`);
        }
      },
    });
    try {
      const miit = h.as("miit");
      const seen: Array<{ id: number; issuedOn: string }> = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const answer = await miit.catalog.planPage({ limit: 50, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...answer.items);
        if (answer.nextCursor === null) break;
        cursor = answer.nextCursor;
      }
      expect(seen).toHaveLength(131);
      expect(new Set(seen.map((p) => p.id)).size).toBe(131);
      const keys = seen.map((p) => [p.issuedOn, p.id] as const);
      expect(keys).toEqual([...keys].sort((a, b) => b[0].localeCompare(a[0]) || b[1] - a[1]));
      expect(seen.at(-1)?.id).toBe(h.planId);
      // Case folded: "BULK PLAN 7" finds "Bulk plan 7" and "Bulk plan 70" … "79", a substring of the English title.
      const found = (await miit.catalog.planPage({ search: "BULK PLAN 7", limit: 200 })).items.map((p) => p.id);
      expect(found).toHaveLength(11);
      expect((await miit.catalog.planPage({ search: "批量方案13", limit: 200 })).items).toHaveLength(2);
      expect((await h.as("zj-office").catalog.planPage({ limit: 200 })).items).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe("catalog: the same answers on both engines", () => {
  it("departments, plans, planPage and plan answer alike, field for field and in the same order", async () => {
    const [sqlite, postgres] = await Promise.all(harnessEngines.map((engine) => createHarness({ engine, seed: issuedDefaultPlan })));
    if (sqlite === undefined || postgres === undefined) throw new Error("two harnesses expected");
    try {
      for (const username of ["miit", "mof", "zj-office", "observer"]) {
        const answers = async (h: Harness) => {
          const c = h.as(username);
          return {
            departments: await c.catalog.departments(),
            plans: await c.catalog.plans(),
            page: await c.catalog.planPage({ search: "企业", include: [h.planId] }),
            plan: await c.catalog.plan({ planId: h.planId }).catch((error: unknown) => String(error)),
          };
        };
        expect(await answers(postgres)).toEqual(await answers(sqlite));
      }
    } finally {
      await Promise.all([sqlite.close(), postgres.close()]);
    }
  });
});
