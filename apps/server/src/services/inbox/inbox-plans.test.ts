import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadPlan } from "@countersign/db";
import { defaultPlan, proposedDivision2020 } from "@countersign/domain";
import { createHarness } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

let h: Harness;
let secondPlanId: number;
beforeEach(async () => {
  // The second plan is loaded into the seed (before the copy to PostgreSQL), then issued through the API.
  h = await createHarness({
    seed: ({ db, now }) => {
      secondPlanId = loadPlan(
        db,
        { ...defaultPlan, key: "second-plan", titleEn: "A second plan", titleZh: "第二个分工方案", issuedOn: "2026-02-01" },
        proposedDivision2020,
        now.toISOString(),
      ).planId;
    },
  });
  await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30", dueDates: [{ measureNumber: 7, dueDate: "2026-02-01" }], backdated: true });
  await h.as("miit").plan.issue({ planId: secondPlanId, dueDate: "2026-12-31" });
});
afterEach(() => h.close());

async function firstPlanRef(department: string, measureNumber: number): Promise<{ id: number; expectedVersion: number }> {
  const page = await h.as(department.toLowerCase()).inbox.list({ planId: h.planId });
  const row = page.rows.find((r) => r.measureNumber === measureNumber);
  if (row === undefined) throw new Error(`no (${measureNumber}) for ${department}`);
  return { id: row.id, expectedVersion: row.version };
}

describe("one inbox across plans", () => {
  it("lists the department's work in every plan, with each row's plan and per-plan counts, newest plan first", async () => {
    const all = await h.as("sta").inbox.list({ limit: 200 });
    const planIds = new Set(all.rows.map((r) => r.planId));
    expect(planIds).toEqual(new Set([h.planId, secondPlanId]));
    // The first plan's overdue work comes first (ordered by deadline), not hidden behind the newer plan.
    expect(all.rows[0]).toMatchObject({ planId: h.planId, measureNumber: 7 });
    const plans = await h.as("sta").inbox.plans({});
    expect(plans.map((p) => p.planId)).toEqual([secondPlanId, h.planId]);
    const first = plans.find((p) => p.planId === h.planId);
    const second = plans.find((p) => p.planId === secondPlanId);
    expect(first?.open).toBe(all.rows.filter((r) => r.planId === h.planId).length);
    expect(first?.overdue).toBe(1);
    expect(second).toMatchObject({ titleZh: "第二个分工方案", overdue: 0 });
    // The 2020 plan's measures are its English translation: that is the language its search finds words in.
    expect(plans.map((p) => p.searchLanguage)).toEqual(["en", "en"]);
    // The plan filter narrows the rows.
    const filtered = await h.as("sta").inbox.list({ planId: h.planId });
    expect(filtered.rows.every((r) => r.planId === h.planId)).toBe(true);
    // A liaison asks for their own department's plans only; the coordinator for any department's.
    await expect(h.as("sta").inbox.plans({ department: "MOF" })).rejects.toThrow();
    expect((await h.as("miit").inbox.plans({ department: "STA" })).map((p) => p.planId)).toEqual([secondPlanId, h.planId]);
  });

  it("marks reminders, returns and decisions unread until the department's liaison opens them", async () => {
    const sta = h.as("sta");
    expect((await sta.inbox.unreadCount()).unread).toBe(0);
    await h.as("miit").assignment.remind({ ...(await firstPlanRef("STA", 7)), message: "Due already." });
    expect((await sta.inbox.unreadCount()).unread).toBe(1);
    const page = await sta.inbox.list({ planId: h.planId });
    const reminded = page.rows.find((r) => r.measureNumber === 7);
    expect(reminded?.unreadNotice).toBe("assignment.reminded");
    expect((await sta.inbox.plans({})).find((p) => p.planId === h.planId)?.unread).toBe(1);

    // The coordinator opening it does not read it for the department; the department's liaison does.
    await h.as("miit").inbox.markRead({ assignmentId: reminded?.id ?? 0 });
    expect((await sta.inbox.unreadCount()).unread).toBe(1);
    await sta.inbox.markRead({ assignmentId: reminded?.id ?? 0 });
    expect((await sta.inbox.unreadCount()).unread).toBe(0);
    expect((await sta.inbox.list({ planId: h.planId })).rows.find((r) => r.measureNumber === 7)?.unreadNotice).toBeNull();

    // The department's own acts and comments are no notice to itself; a decision on its extension is.
    await sta.assignment.accept(await firstPlanRef("STA", 7));
    await sta.assignment.comment({ ...(await firstPlanRef("STA", 7)), body: "On it." });
    expect((await sta.inbox.unreadCount()).unread).toBe(0);
    await sta.assignment.requestExtension({ ...(await firstPlanRef("STA", 7)), until: "2026-09-30", reason: "Data late." });
    await h.as("miit").assignment.decideExtension({ ...(await firstPlanRef("STA", 7)), approve: false, note: "No." });
    expect((await sta.inbox.unreadCount()).unread).toBe(1);
    // Another liaison's count is untouched.
    expect((await h.as("mof").inbox.unreadCount()).unread).toBe(0);
  });
});
