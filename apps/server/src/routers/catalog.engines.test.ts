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
