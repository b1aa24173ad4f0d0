import { describe, expect, it } from "vitest";
import { parsePolicyDocument } from "./parse-policy-document.js";
import { alignTranslation, textLanguageOf } from "./translation.js";

describe("textLanguageOf", () => {
  it("tells Chinese from English, also when one quotes the other", () => {
    expect(textLanguageOf("（七）完善税费优惠政策。")).toBe("zh");
    expect(textLanguageOf("落实 SME 减税降费政策")).toBe("zh");
    expect(textLanguageOf("(7) Improve tax policies for SMEs (中小企业).")).toBe("en");
    expect(textLanguageOf("")).toBe("en");
  });
});

describe("alignTranslation", () => {
  it("aligns by the printed number, listing the plan's measures the text lacks", () => {
    const text = "一、总则\n（一）健全法律法规体系。加快立法。\n（三）完善统计监测。开展调查。\n";
    const result = alignTranslation([1, 2, 3], parsePolicyDocument(text), text);
    expect(result.language).toBe("zh");
    expect(result.aligned.map((a) => a.number)).toEqual([1, 3]);
    expect(result.aligned[1]?.text).toContain("统计监测");
    expect(result.missing).toEqual([2]);
    expect(result.extra).toEqual([]);
  });

  it("aligns by order when the document restarts its numbers in each section", () => {
    const text = "一、甲\n1.第一项措施内容。\n2.第二项措施内容。\n二、乙\n1.第三项措施内容。\n";
    const draft = parsePolicyDocument(text);
    const result = alignTranslation([1, 2, 3, 4], draft, text);
    expect(result.aligned.map((a) => [a.number, a.text.slice(0, 3)])).toEqual([
      [1, "第一项"],
      [2, "第二项"],
      [3, "第三项"],
    ]);
    expect(result.missing).toEqual([4]);
  });
});
