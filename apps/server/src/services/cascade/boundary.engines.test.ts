import { afterEach, describe, expect, it } from "vitest";
import { createHarness, harnessEngines, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

// The organisation boundary (issue 16, point 4) runs on the store seam: on either engine, a province's office is
// refused another province's department by name (the sibling-permissions matrix found `department.people` answered).
describe.each(harnessEngines)("the organisation boundary on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it("refuses a sibling province's department by name, and the nation's to a province", async () => {
    h = await createHarness({ engine });
    const zhejiang = h.as("zj-office");
    expect(await refusalOf(() => zhejiang.department.people({ department: "450000-MIIT" }))).toMatchObject({ code: "FORBIDDEN", refusalCode: "not_visible" });
    expect(await refusalOf(() => zhejiang.department.people({ department: "MIIT" }))).toMatchObject({ code: "FORBIDDEN", refusalCode: "not_visible" });
    expect(await refusalOf(() => zhejiang.inbox.list({ department: "450000-MOF" }))).toMatchObject({ refusalCode: "not_visible" });
    if (engine === "sqlite") {
      const own = await zhejiang.department.people({ department: "330000-MIIT" });
      expect(own.department).toBe("330000-MIIT");
    }
  });
});
