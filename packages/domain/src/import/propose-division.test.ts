import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { issuingDepartmentCodes } from "../departments.js";
import { defaultPlan } from "../plan-2020.js";
import { proposedDivision2020 } from "../proposed-division-2020.js";
import type { ProposedResponsibility } from "../types.js";
import { departmentLexicon, type DepartmentLexicon } from "./department-lexicon.js";
import { parsePolicyDocument } from "./parse-policy-document.js";
import { findLexiconMatches, proposeDivision } from "./propose-division.js";

const source2020 = readFileSync(new URL("../../data/opinions-2020-sme-support-system.txt", import.meta.url), "utf8");
const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const options2020 = { leadMinistry: "MIIT", members: issuingDepartmentCodes };

/** Per measure: the lead, then the supporting departments sorted (the order of supporting is not a decision). */
function byMeasure(responsibilities: readonly ProposedResponsibility[]): Map<number, { lead: string[]; supporting: string[] }> {
  const result = new Map<number, { lead: string[]; supporting: string[] }>();
  for (const r of responsibilities) {
    const entry = result.get(r.measureNumber) ?? { lead: [], supporting: [] };
    (r.role === "lead" ? entry.lead : entry.supporting).push(r.department);
    result.set(r.measureNumber, entry);
  }
  for (const entry of result.values()) entry.supporting.sort();
  return result;
}

const departmentsNamed = (text: string): string[] => [...new Set(findLexiconMatches(text, departmentLexicon).map((m) => m.department))].sort();

describe("proposeDivision on the 2020 plan", () => {
  const proposal = proposeDivision(parsePolicyDocument(source2020), departmentLexicon, options2020);

  it("agrees with the default plan's proposed division measure by measure: same departments, same lead", () => {
    const ours = byMeasure(proposal.responsibilities);
    const theirs = byMeasure(proposedDivision2020);
    expect([...ours.keys()]).toEqual(defaultPlan.measures.map((m) => m.number));
    for (const measure of defaultPlan.measures) {
      expect({ measure: measure.number, ...ours.get(measure.number) }).toEqual({ measure: measure.number, ...theirs.get(measure.number) });
    }
    expect(proposal.measures.filter((m) => m.needsDecision)).toEqual([]);
  });

  it("gives the same division from the plan's own measures as from the imported text", () => {
    const fromPlan = proposeDivision(defaultPlan, departmentLexicon, options2020);
    expect(fromPlan.responsibilities).toEqual(proposal.responsibilities);
  });

  it("justifies each responsibility by a verbatim phrase of the measure, or the all-member-units rule for (24) only", () => {
    for (const r of proposal.responsibilities) {
      const text = defaultPlan.measures.find((m) => m.number === r.measureNumber)?.text ?? "";
      if (r.justification.kind === "phrase") expect(text).toContain(r.justification.phrase);
      else expect(r.measureNumber).toBe(24);
    }
    const lead1 = proposal.responsibilities.find((r) => r.measureNumber === 1 && r.role === "lead");
    expect(lead1?.justification).toEqual({ kind: "phrase", phrase: "Law on the Promotion of small and medium-sized Enterprises" });
  });

  it("binds all 17 member units in measure (24), the lead ministry leading", () => {
    const m24 = proposal.measures.find((m) => m.measureNumber === 24);
    expect(m24?.responsibilities.map((r) => r.department)).toEqual([...issuingDepartmentCodes]);
    expect(m24?.responsibilities.filter((r) => r.role === "lead").map((r) => r.department)).toEqual(["MIIT"]);
    expect(m24?.responsibilities[0]?.justification).toMatchObject({ kind: "rule" });
    const rule = m24?.responsibilities[0]?.justification;
    expect(rule?.kind === "rule" && rule.rule.includes('"All member units of the leading group"')).toBe(true);
  });
});

describe("proposeDivision rules", () => {
  const measure = (number: number, text: string) => ({ number, text });

  it("proposes the first department the text names as lead, the others as supporting, with the phrase as evidence", () => {
    const { measures } = proposeDivision(
      { measures: [measure(1, "Reduce the Tax burden. Statistical offices will publish data on loans.")] },
      departmentLexicon,
      { leadMinistry: "MIIT" },
    );
    expect(measures[0]?.responsibilities.map((r) => [r.department, r.role, r.justification])).toEqual([
      ["STA", "lead", { kind: "phrase", phrase: "Tax" }],
      ["NBS", "supporting", { kind: "phrase", phrase: "Statistical" }],
      ["PBOC", "supporting", { kind: "phrase", phrase: "loans" }],
      ["CBIRC", "supporting", { kind: "phrase", phrase: "loans" }],
    ]);
    expect(measures[0]?.needsDecision).toBe(false);
  });

  it("at one position the longer phrase leads: 'financing guarantee' (MOF) before 'financing' (PBOC)", () => {
    const { measures } = proposeDivision({ measures: [measure(1, "improve the financing guarantee system.")] }, departmentLexicon, {
      leadMinistry: "MIIT",
    });
    expect(measures[0]?.responsibilities.map((r) => [r.department, r.role])).toEqual([
      ["MOF", "lead"],
      ["PBOC", "supporting"],
    ]);
  });

  it("marks a measure that names no remit for the lead ministry to decide, assigning nobody", () => {
    const { measures, responsibilities } = proposeDivision(
      { measures: [measure(7, "Hold a meeting every quarter and report the results.")] },
      departmentLexicon,
      { leadMinistry: "MIIT" },
    );
    expect(measures).toEqual([{ measureNumber: 7, responsibilities: [], matches: [], needsDecision: true, unresolved: [] }]);
    expect(responsibilities).toEqual([]);
  });

  it("binds every member for 'all member units' / 各成员单位, the lead ministry leading even when another is named first", () => {
    const members = ["NDRC", "MOF", "MIIT"];
    for (const text of ["Tax offices and all member units shall report yearly.", "各成员单位要加强税收征管。"]) {
      const { measures } = proposeDivision({ measures: [measure(3, text)] }, departmentLexicon, { leadMinistry: "MIIT", members });
      expect(measures[0]?.responsibilities.map((r) => [r.department, r.role])).toEqual([
        ["MIIT", "lead"],
        ["NDRC", "supporting"],
        ["MOF", "supporting"],
      ]);
      expect(measures[0]?.matches.some((m) => m.department === "STA")).toBe(true);
    }
  });

  it("works on a Chinese document", () => {
    const draft = parsePolicyDocument(fixture("zh-sections-measures.txt"));
    const { measures } = proposeDivision(draft, departmentLexicon, { leadMinistry: "MIIT", members: issuingDepartmentCodes });
    expect(
      measures.map((m) => [
        m.measureNumber,
        m.measureNumber === 5 ? ["all"] : m.responsibilities.map((r) => `${r.role === "lead" ? "*" : ""}${r.department}`),
      ]),
    ).toEqual([
      [1, ["*MIIT"]],
      [2, ["*MOHRSS"]],
      [3, ["*STA"]],
      [4, ["*PBOC", "CBIRC"]],
      [5, ["all"]],
    ]);
    expect(measures[3]?.responsibilities[0]?.justification).toEqual({ kind: "phrase", phrase: "融资" });
    expect(measures[4]?.responsibilities).toHaveLength(17);
  });

  it("accepts any lexicon: a plan's own departments and terms", () => {
    const lexicon: DepartmentLexicon = {
      HEALTH: { en: ["hospital*"], zh: ["医院"], notRemit: [] },
      EDU: { en: ["school"], zh: ["学校"], notRemit: ["school bus"] },
    };
    const { measures } = proposeDivision(
      { measures: [measure(1, "Hospitals near each school bus stop."), measure(2, "学校与医院合作。")] },
      lexicon,
      { leadMinistry: "HEALTH" },
    );
    expect(measures.map((m) => m.responsibilities.map((r) => [r.department, r.role]))).toEqual([
      [["HEALTH", "lead"]],
      [
        ["EDU", "lead"],
        ["HEALTH", "supporting"],
      ],
    ]);
    expect(measures[0]?.responsibilities[0]?.justification).toEqual({ kind: "phrase", phrase: "Hospitals" });
  });
});

describe("departmentLexicon", () => {
  it("has English and Chinese terms for each of the 17 departments, in order of signature", () => {
    expect(Object.keys(departmentLexicon)).toEqual([...issuingDepartmentCodes]);
    for (const terms of Object.values(departmentLexicon)) {
      expect(terms.en.length).toBeGreaterThan(1);
      expect(terms.zh.length).toBeGreaterThan(1);
    }
  });

  it("names each department's remit in both languages", () => {
    const cases: Array<[string, string[]]> = [
      ["tax policies", ["MOF", "STA"]],
      ["税收政策", ["MOF", "STA"]],
      ["statistics", ["NBS"]],
      ["统计监测", ["NBS"]],
      ["intellectual property", ["CNIPA"]],
      ["知识产权", ["CNIPA"]],
      ["credit loans and financing", ["CBIRC", "PBOC"]],
      ["信贷", ["CBIRC", "PBOC"]],
      ["capital market listing of bonds", ["CSRC", "PBOC"]],
      ["资本市场 上市", ["CSRC"]],
      ["customs", ["GACC"]],
      ["海关", ["GACC"]],
      ["employment of talents and social security", ["MOHRSS"]],
      ["就业 人才 社会保障", ["MOHRSS"]],
      ["environmental protection", ["MEE"]],
      ["生态环境 环保", ["MEE"]],
      ["market regulation and fair competition", ["SAMR"]],
      ["市场监管 公平竞争", ["SAMR"]],
      ["negative list system for market access", ["MOFCOM", "NDRC"]],
      ["science and technology", ["MOST"]],
      ["科技", ["MOST"]],
      ["agricultural", ["MARA"]],
      ["农业", ["MARA"]],
      ["foreign trade and commerce", ["MOFCOM"]],
      ["外贸 商务", ["MOFCOM"]],
      ["culture and tourism", ["MCT"]],
      ["文化 旅游", ["MCT"]],
      ["industrial parks", ["MIIT"]],
      ["工业 专精特新", ["MIIT"]],
      ["the Ministry of Finance", ["MOF"]],
      ["国家统计局", ["NBS"]],
    ];
    for (const [text, expected] of cases) expect({ text, named: departmentsNamed(text) }).toEqual({ text, named: expected });
  });

  it("ignores phrases that contain a term but name another remit", () => {
    expect(departmentsNamed("public health events and social security events")).toEqual([]);
    expect(departmentsNamed("关税")).toEqual(["GACC"]);
    expect(departmentsNamed("intellectual property rights")).toEqual(["CNIPA"]);
    expect(departmentsNamed("small re-lending")).toEqual(["PBOC"]);
    expect(departmentsNamed("中国人民银行")).toEqual(["PBOC"]);
    expect(departmentsNamed("the most innovative taxis")).toEqual([]);
  });

  it("names no department for small and medium-sized enterprises as such: every measure says them", () => {
    expect(departmentsNamed("support small and medium-sized enterprises and SMEs")).toEqual([]);
    expect(departmentsNamed("支持中小企业发展")).toEqual([]);
  });

  it("keeps the evidence verbatim, across a line break, with the whole word of a stem", () => {
    const text = "Implement TAX\nPOLICIES for Agricultural firms.";
    expect(findLexiconMatches(text, departmentLexicon).map((m) => [m.department, m.phrase, text.slice(m.start, m.end)])).toEqual([
      ["MOF", "TAX\nPOLICIES", "TAX\nPOLICIES"],
      ["STA", "TAX", "TAX"],
      ["MARA", "Agricultural", "Agricultural"],
    ]);
  });
});
