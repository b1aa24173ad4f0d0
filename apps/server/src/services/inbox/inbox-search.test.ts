import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { inboxSearchOf } from "./inbox-search.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });
});
afterEach(() => h.close());

describe("inbox search", () => {
  it("finds measure 7 however its number is written (width, brackets, Chinese numerals)", async () => {
    const miit = h.as("miit");
    const plain = await miit.inbox.list({ department: null, search: "7", limit: 200 });
    const seven = plain.rows.filter((r) => r.measureNumber === 7);
    expect(seven.length).toBeGreaterThan(0);
    for (const search of ["７", "（７）", "(7)", "（七）", "第七", "七", " 第７条 "]) {
      const page = await miit.inbox.list({ department: null, search, limit: 200 });
      expect(
        page.rows.filter((r) => r.measureNumber === 7).map((r) => r.id),
        search,
      ).toEqual(seven.map((r) => r.id));
    }
    // (22) written in full width finds only measure 22, as the half-width form does.
    expect((await miit.inbox.list({ department: null, search: "（２２）" })).rows.map((r) => r.measureNumber)).toEqual([22]);
  });

  it("folds the width of words too", async () => {
    const miit = h.as("miit");
    const half = await miit.inbox.list({ department: null, search: "tax burden" });
    expect(half.total).toBeGreaterThan(0);
    const full = await miit.inbox.list({ department: null, search: "ＴＡＸ\u3000ＢＵＲＤＥＮ" });
    expect(full.rows.map((r) => r.id)).toEqual(half.rows.map((r) => r.id));
  });

  it("treats a query that shows nothing as no search", () => {
    expect(inboxSearchOf("\u200b\u3000")).toEqual({ shape: "none", needle: "", number: null });
    expect(inboxSearchOf("（七）")).toEqual({ shape: "number", needle: "(七)", number: 7 });
  });
});
