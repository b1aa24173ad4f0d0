import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

/** A Chinese text of some of the 2020 measures, numbered as the original prints them. */
const chinese = [
  "关于健全支持中小企业发展制度的若干意见",
  "一、完善支持中小企业发展的基础性制度",
  "（一）健全中小企业法律法规体系。以《中华人民共和国中小企业促进法》为基础，加快构建具有中国特色、支持中小企业发展的法律法规体系。",
  "（二）坚持公平竞争制度。全面实施市场准入负面清单制度。",
  "二、坚持和完善中小企业财税支持制度",
  "（七）完善税费优惠政策。落实好中小企业减税降费政策。",
].join("\n");

describe("plan.addTranslation", () => {
  it("adds the Chinese text to the English plan, aligned by the printed measure numbers, and audits it", async () => {
    const added = await h.as("miit").plan.addTranslation({ planId: h.planId, text: chinese });
    expect(added).toMatchObject({ planId: h.planId, language: "zh", aligned: [1, 2, 7], extra: [] });
    expect(added.missing).toHaveLength(22);

    const plan = await h.as("miit").catalog.plan({ planId: h.planId });
    const seven = plan.measures.find((m) => m.number === 7);
    expect(seven?.textLanguage).toBe("en");
    expect(seven?.translation).toMatchObject({ language: "zh", text: expect.stringContaining("减税降费") });
    expect(plan.measures.find((m) => m.number === 3)?.translation).toBeNull();

    const [event] = await h.rows<{ type: string; actor_username: string; plan_id: number; payload: string }>(
      "select type, actor_username, plan_id, payload from audit_events order by id desc limit 1",
    );
    expect(event).toMatchObject({ type: "plan.translation_added", actor_username: "miit", plan_id: h.planId });
    expect(JSON.parse(event?.payload ?? "{}")).toMatchObject({ language: "zh", measures: "1,2,7", extra: "" });

    // Adding again replaces the text rather than keeping two.
    await h.as("miit").plan.addTranslation({ planId: h.planId, text: chinese.replace("减税降费", "减税") });
    const again = await h.as("miit").catalog.plan({ planId: h.planId });
    expect(again.measures.find((m) => m.number === 7)?.translation?.text).not.toContain("降费");
  });

  it("refuses a text in the plan's own language, one with no measure of the plan, and anyone but the coordinator", async () => {
    const english = "I. Something\n(1) improve the legal framework for small firms.";
    expect(await refusalOf(() => h.as("miit").plan.addTranslation({ planId: h.planId, text: english }))).toMatchObject({
      code: "BAD_REQUEST",
      field: "text",
    });
    expect(
      await refusalOf(() => h.as("miit").plan.addTranslation({ planId: h.planId, text: "这是一段没有编号的中文说明文字，不含任何措施。" })),
    ).toMatchObject({ code: "BAD_REQUEST", field: "text" });
    expect(await refusalOf(() => h.as("mof").plan.addTranslation({ planId: h.planId, text: chinese }))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await refusalOf(() => h.as("miit").plan.addTranslation({ planId: h.planId, text: "\u200b" }))).toMatchObject({
      code: "BAD_REQUEST",
      field: "text",
    });
  });
});
