import { describe, expect, it } from "vitest";
import { parseDeadline, pastDeadlineWarnings, statedDeadlineOf } from "./deadline.js";
import { parsePolicyDocument } from "./parse-policy-document.js";

describe("statedDeadlineOf", () => {
  it("keeps the due date a draft's deadline means and its wording; none stays none", () => {
    expect(statedDeadlineOf(parseDeadline("2030年底前"))).toEqual({ dueDate: "2030-12-31", stated: "2030年底前" });
    expect(statedDeadlineOf(parseDeadline("2029年6月底前"))).toEqual({ dueDate: "2029-06-30", stated: "2029年6月底前" });
    expect(statedDeadlineOf(parseDeadline("持续推进"))).toEqual({ dueDate: "ongoing", stated: "持续推进" });
    expect(statedDeadlineOf(parseDeadline("长期坚持"))).toEqual({ dueDate: "ongoing", stated: "长期坚持" });
    expect(statedDeadlineOf(null)).toBeNull();
  });
});

describe("pastDeadlineWarnings", () => {
  const text = [
    "关于支持中小企业发展的若干措施",
    "（一）加大财税支持力度。落实减税降费政策。（财政部、税务总局负责，2021年底前完成）",
    "（二）完善融资担保体系。（财政部负责，持续推进）",
    "（三）推进数字化转型。（工业和信息化部负责，2030年底前完成）",
    "（四）优化营商环境。（市场监管总局负责，2026年12月1日前完成）",
  ].join("\n");
  const draft = parsePolicyDocument(text);

  it("warns of each measure whose dated deadline is before today, pointing at the measure; never of ongoing work", () => {
    expect(draft.measures.map((m) => m.deadline?.stated ?? null)).toEqual(["2021年底前完成", "持续推进", "2030年底前完成", "2026年12月1日前完成"]);
    const warnings = pastDeadlineWarnings(draft.measures, "2026-12-01");
    expect(warnings.map((w) => [w.kind, w.measure])).toEqual([["deadline_past", 1]]);
    const first = draft.measures[0];
    expect(warnings[0]?.span).toEqual(first?.span);
    expect(warnings[0]?.message).toContain("2021年底前完成 (2021-12-31)");
    expect(warnings[0]?.message).toContain("today is 2026-12-01");
  });

  it("takes a deadline of today as not yet past, and one of yesterday as past", () => {
    expect(pastDeadlineWarnings(draft.measures, "2026-12-01").some((w) => w.measure === 4)).toBe(false);
    expect(pastDeadlineWarnings(draft.measures, "2026-12-02").map((w) => w.measure)).toEqual([1, 4]);
    expect(pastDeadlineWarnings(draft.measures, "2021-12-31")).toEqual([]);
  });
});
