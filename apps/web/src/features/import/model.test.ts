import { defaultPlan, departmentLexicon, issuingDepartmentCodes, parsePolicyDocument, proposeDivision } from "@countersign/domain";
import { describe, expect, it } from "vitest";
import source2020 from "../../../../../packages/domain/data/opinions-2020-sme-support-system.txt?raw";
import { createInputOf, evidenceByMeasure, measuresWithoutLead, pendingStated, reviewOf, reviewProblems, romanNumeral, statedByMeasure, withMeasure, withNewSection, withRole, withStatedAccepted } from "./model.js";
import type { ImportedDraft } from "./model.js";

/** What plan.import answers for a text, built from the same domain functions the server calls. */
function draftOf(text: string, language: "zh" | "en" = "en"): ImportedDraft {
  const draft = parsePolicyDocument(text);
  const departments = [...issuingDepartmentCodes];
  const division = proposeDivision(draft, departmentLexicon, { leadMinistry: "MIIT", members: departments });
  return { ...draft, language, division, omittedWarnings: {}, source: { kind: "pasted", name: null }, sourceText: null, leadDepartment: "MIIT", departments };
}

describe("the review of an imported document", () => {
  it("sends the 2020 source, unedited, as the default plan's sections and measures with the proposed division", () => {
    const draft = draftOf(source2020);
    const review = reviewOf(draft);
    expect(reviewProblems(review)).toEqual([]);
    expect(measuresWithoutLead(review)).toEqual([]);
    const input = createInputOf(review, draft);
    expect(input.titleEn).toBe(defaultPlan.titleEn);
    expect(input.sections).toEqual(defaultPlan.sections);
    // The 2020 source states no deadline for any measure.
    expect(input.measures).toEqual(defaultPlan.measures.map((m) => ({ ...m, statedDeadline: null })));
    expect(input.responsibilities).toEqual(
      draft.division.responsibilities.map(({ measureNumber, department, role, justification }) => ({ measureNumber, department, role, justification })),
    );
  });

  it("keeps one lead per measure: a new lead makes the previous one supporting", () => {
    const draft = draftOf(source2020);
    let review = reviewOf(draft);
    const before = review.division[7];
    expect(before?.lead).toBe("STA");
    review = withRole(review, 7, "MOF", "lead");
    expect(review.division[7]?.lead).toBe("MOF");
    expect(review.division[7]?.supporting[0]).toBe("STA");
    expect(review.division[7]?.supporting.filter((d) => d === "MOF")).toEqual([]);
    review = withRole(review, 7, "MOF", null);
    expect(review.division[7]?.lead).toBeNull();
    expect(measuresWithoutLead(review)).toEqual([7]);
    // A department added by hand keeps the lexicon's evidence when the text names it, none otherwise.
    review = withRole(withRole(review, 7, "STA", "lead"), 7, "MCT", "supporting");
    const added = createInputOf(review, draft).responsibilities.filter((r) => r.measureNumber === 7);
    expect(added[0]).toMatchObject({ department: "STA", role: "lead", justification: { kind: "phrase" } });
    expect(added.find((r) => r.department === "MCT")?.justification).toBeNull();
  });

  it("finds what the server would refuse, and saves edited numbers, titles and sections", () => {
    const draft = draftOf("（一）落实税收优惠政策。\n（三）加强统计监测。\n", "zh");
    let review = reviewOf(draft);
    expect(review.titleZh).toBe("");
    expect(reviewProblems(review).map((p) => p.kind).sort()).toEqual(["noSections", "noTitle"]);
    review = withNewSection({ ...review, titleZh: "关于支持中小企业的意见" }, romanNumeral, "减轻负担");
    expect(review.measures.every((m) => m.section === 1)).toBe(true);
    review = withMeasure(review, 2, { number: 1 });
    expect(reviewProblems(review)).toEqual([{ kind: "duplicateNumber", key: 2, number: 1 }]);
    review = withMeasure(withMeasure(review, 2, { number: 3, title: "\u200b\u200b" }), 1, { textCut: true });
    // A title that shows nothing is as blank here as the server's schema says (one rule: isBlankText).
    expect(reviewProblems(review)).toEqual([{ kind: "blankMeasureTitle", key: 2, number: 3 }]);
    review = withMeasure(review, 2, { title: "\u200b统计监测\u0000" });
    expect(reviewProblems(review)).toEqual([]);
    const input = createInputOf(review, draft);
    expect(input.sections).toEqual([{ number: 1, numeral: "I", title: "减轻负担" }]);
    expect(input.measures.map((m) => [m.number, m.section, m.title, m.textCut])).toEqual([
      [1, 1, "落实税收优惠政策", true],
      [3, 1, "统计监测", false],
    ]);
    expect(input.responsibilities.find((r) => r.measureNumber === 3)).toMatchObject({ department: "NBS", role: "lead" });
  });
});

describe("stated and proposed divisions in the review", () => {
  const text = "一、总则\n（一）加大财税支持。落实税收优惠政策。（财政部、税务总局按职责分工负责）\n（二）加强统计监测，完善税收政策。\n";

  it("leaves a stated measure empty until its stated division is accepted; proposals are filled as before", () => {
    const draft = draftOf(text, "zh");
    let review = reviewOf(draft);
    expect(review.division[1]).toEqual({ lead: null, supporting: [] });
    expect(review.division[2]?.lead).not.toBeNull();
    expect(pendingStated(review, draft)).toEqual([1]);
    expect(statedByMeasure(draft).get(1)).toMatchObject({ lead: "MOF", supporting: ["STA"], notes: ["（财政部、税务总局按职责分工负责）"] });
    review = withStatedAccepted(review, draft);
    expect(review.division[1]).toEqual({ lead: "MOF", supporting: ["STA"] });
    expect(pendingStated(review, draft)).toEqual([]);
    const input = createInputOf(review, draft);
    expect(input.responsibilities.filter((r) => r.measureNumber === 1)).toEqual([
      { measureNumber: 1, department: "MOF", role: "lead", justification: { kind: "phrase", phrase: "（财政部、税务总局按职责分工负责）" } },
      { measureNumber: 1, department: "STA", role: "supporting", justification: { kind: "phrase", phrase: "（财政部、税务总局按职责分工负责）" } },
    ]);
    // The lexicon's matches are no evidence on a measure whose division is stated.
    expect(evidenceByMeasure(draft).get(1)?.size ?? 0).toBe(0);
  });

  it("sends each measure's stated deadline with it, so that the plan keeps it and issuing pre-fills it", () => {
    const draft = draftOf("关于支持中小企业的若干措施\n\n一、财税支持\n（一）落实税费优惠政策，2030年底前出台实施细则。（财政部负责）\n（二）加强统计监测，持续推进。\n（三）优化营商环境。\n", "zh");
    const input = createInputOf(reviewOf(draft), draft);
    expect(input.measures.map((m) => m.statedDeadline)).toEqual([
      { dueDate: "2030-12-31", stated: "2030年底前" },
      { dueDate: "ongoing", stated: "持续推进" },
      null,
    ]);
  });
});
