import { readFileSync } from "node:fs";
import fc from "fast-check";
import * as OpenCC from "opencc-js";
import { describe, expect, it } from "vitest";
import { defaultPlan } from "../plan-2020.js";
import { departmentLexicon } from "./department-lexicon.js";
import { draftPlanCoverage, type DraftPlan } from "./draft-plan.js";
import { parsePolicyDocument } from "./parse-policy-document.js";
import { proposeDivision } from "./propose-division.js";

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const source2020 = readFileSync(new URL("../../data/opinions-2020-sme-support-system.txt", import.meta.url), "utf8");
const toSimplified = OpenCC.Converter({ from: "tw", to: "cn" });
const toTraditional = OpenCC.Converter({ from: "cn", to: "tw" });
const options = { leadMinistry: "MIIT" };

/** Per measure: [department, role, source kind] in order. */
function division(draft: DraftPlan): Array<[number, Array<[string, string, string]>]> {
  const proposal = proposeDivision(draft, departmentLexicon, options);
  return proposal.measures.map((m) => [m.measureNumber, m.responsibilities.map((r) => [r.department, r.role, r.source.kind] as [string, string, string])]);
}

describe("stated responsibilities (the notes of a Chinese document)", () => {
  const text = fixture("zh-stated-notes.txt");
  const draft = parsePolicyDocument(text);

  it("reads each note form: 按职责分工负责 (first leads), 牵头/参与, 由…会同…负责, …负责, sub-item notes, 各地区, 配合", () => {
    expect(draft.measures).toHaveLength(8);
    expect(division(draft)).toEqual([
      [1, [["MOF", "lead", "stated"], ["STA", "supporting", "stated"]]],
      [2, [["MIIT", "lead", "stated"], ["MOF", "supporting", "stated"], ["PBOC", "supporting", "stated"], ["NAFR", "supporting", "stated"]]],
      [3, [["MOF", "lead", "stated"], ["PBOC", "supporting", "stated"]]],
      [4, [["MOE", "lead", "stated"]]],
      // Two sub-items, each with its note: the first note's lead leads the measure.
      [5, [["MNR", "lead", "stated"], ["MOHURD", "supporting", "stated"], ["LOCAL", "supporting", "stated"]]],
      [6, [["NAFR", "lead", "stated"], ["CSRC", "supporting", "stated"]]],
      // The stated lead is not in the register: kept unresolved, and no department is proposed in its place.
      [7, [["SPC", "supporting", "stated"], ["ACFIC", "supporting", "stated"]]],
      // Nothing stated: the lexicon proposes.
      [8, [["MIIT", "lead", "proposed"]]],
    ]);
  });

  it("quotes the note as evidence, with its span in the text", () => {
    const proposal = proposeDivision(draft, departmentLexicon, options);
    for (const r of proposal.responsibilities) {
      if (r.source.kind !== "stated") continue;
      expect(text.slice(r.source.span.start, r.source.span.end)).toBe(r.source.note);
      expect(r.justification).toEqual({ kind: "phrase", phrase: r.source.note });
      const measure = draft.measures.find((m) => m.number === r.measureNumber);
      expect(measure?.text).toContain(r.source.note);
    }
    expect(draft.measures[2]?.notes.map((n) => [n.form, n.text])).toEqual([["sentence", "由财政部会同人民银行负责落实。"]]);
  });

  it("keeps an unknown unit with the closest register entries, and warns; a stated unknown lead is never replaced", () => {
    const m7 = proposeDivision(draft, departmentLexicon, options).measures[6];
    expect(m7?.unresolved.map((u) => [u.name, u.role])).toEqual([["国家中小企业发展局", "lead"]]);
    expect(m7?.unresolved[0]?.closest.length).toBeGreaterThan(0);
    expect(m7?.needsDecision).toBe(true);
    const warning = draft.warnings.find((w) => w.kind === "unknown_department");
    expect(warning && text.slice(warning.span.start, warning.span.end)).toBe("国家中小企业发展局");
  });

  it("does not take the note for cut text, and reads the stated deadlines", () => {
    expect(draft.warnings.filter((w) => w.kind === "text_cut").map((w) => w.measure)).toEqual([]);
    expect(draft.measures.map((m) => m.deadline && (m.deadline.kind === "date" ? m.deadline.date : m.deadline.kind))).toEqual([
      "2024-12-31",
      null,
      null,
      null,
      null,
      "ongoing",
      null,
      null,
    ]);
  });

  it("a measure ending in a note is complete, the same measure without its note is cut", () => {
    const complete = parsePolicyDocument("一、总则\n（一）加强协调。（财政部负责）\n（二）完善机制，加强\n");
    expect(complete.measures.map((m) => m.textCut)).toEqual([false, true]);
  });

  it("leaves prose in brackets alone", () => {
    const prose = parsePolicyDocument("一、总则\n（一）支持小微企业（含个体工商户）发展。\n（二）加强培训（每年不少于两次）。\n");
    expect(prose.measures.flatMap((m) => m.notes)).toEqual([]);
    // 和 inside prose is still no unit name.
    const withAnd = parsePolicyDocument("一、总则\n（一）支持小微企业（含个体工商户和家庭农场）发展。\n");
    expect(withAnd.measures.flatMap((m) => m.notes)).toEqual([]);
  });

  it("keeps an unknown unit whose name holds 和/与/及 (自治区工业和信息化厅), and the note with it", () => {
    // The bug: 和 was taken as a separator inside the unknown name, "自治区工业" is no unit name, so the whole note was
    // read as prose and dropped, the known and unknown units with it, without a warning.
    const draft = parsePolicyDocument(
      "（一）加大财税支持力度。落实好各项税收优惠政策。（自治区财政厅牵头，自治区税务局、自治区工业和信息化厅参与）\n",
    );
    expect(draft.measures[0]?.notes.map((n) => n.units.map((u) => [u.name, u.role, u.code]))).toEqual([
      [
        ["自治区财政厅", "lead", null],
        ["自治区税务局", "supporting", null],
        ["自治区工业和信息化厅", "supporting", null],
      ],
    ]);
    const lead = parsePolicyDocument("（一）加强服务。（省工业和信息化厅牵头，财政部参与）\n");
    expect(lead.measures[0]?.notes[0]?.units.map((u) => [u.name, u.role, u.code])).toEqual([
      ["省工业和信息化厅", "lead", null],
      ["财政部", "supporting", "MOF"],
    ]);
    // 和 between two names still separates them.
    const two = parsePolicyDocument("（一）加强服务。（省财政厅和省税务局负责）\n");
    expect(two.measures[0]?.notes[0]?.units.map((u) => u.name)).toEqual(["省财政厅", "省税务局"]);
    expect(two.warnings.filter((w) => w.kind === "unknown_department")).toHaveLength(2);
  });

  it("maps names across the 2023 reform by the document's date, with a note", () => {
    const before = parsePolicyDocument("一、总则\n（一）加强监管。（银保监会负责）\n（二）其他。（财政部负责）\n\n2022年3月1日");
    const after = parsePolicyDocument("一、总则\n（一）加强监管。（银保监会负责）\n（二）其他。（财政部负责）\n\n2023年6月1日");
    expect(before.measures[0]?.notes[0]?.units[0]?.code).toBe("CBIRC");
    expect(after.measures[0]?.notes[0]?.units[0]?.code).toBe("NAFR");
    expect(after.warnings.find((w) => w.kind === "department_mapped")?.message).toMatch(/2023-05-18.*NAFR/);
    const unknownDate = parsePolicyDocument("一、总则\n（一）加强监管。（银保监会负责）\n（二）其他。（财政部负责）\n");
    expect(unknownDate.measures[0]?.notes[0]?.units[0]?.mappingNote).toMatch(/date is unknown/);
  });

  it("reads a traditional-script copy to the same division (opencc-js), keeping the text as printed", () => {
    const traditional = toTraditional(text);
    expect(traditional).not.toBe(text);
    const tDraft = parsePolicyDocument(traditional, { toSimplified });
    expect(division(tDraft).slice(0, 7)).toEqual(division(draft).slice(0, 7));
    expect(tDraft.measures.map((m) => m.text)).toEqual(tDraft.measures.map((m) => traditional.slice(m.textSpan.start, m.textSpan.end)));
    expect(tDraft.measures[0]?.notes[0]?.text).toBe("（財政部、稅務總局按職責分工負責）");
    // Without the converter, the traditional names are not recognised.
    expect(parsePolicyDocument(traditional).measures[0]?.notes).toEqual([]);
  });

  it("finds no note in the 2020 source, which still reproduces the default plan", () => {
    const d2020 = parsePolicyDocument(source2020);
    expect(d2020.measures.flatMap((m) => m.notes)).toEqual([]);
    expect(d2020.measures.map(({ number, section, title, text: t, textCut }) => ({ number, section, title, text: t, textCut }))).toEqual(defaultPlan.measures);
  });
});

describe("由…会同…负责 opening a measure, a sentence or a clause (the bug: read as proposed)", () => {
  const text = fixture("zh-clause-notes.txt");
  const draft = parsePolicyDocument(text);

  it("reads each form as stated: the unit before 会同 leads, those after it support", () => {
    expect(division(draft)).toEqual([
      // 由A会同B负责落实… opening the measure, its sentence going on.
      [1, [["PBOC", "lead", "stated"], ["CBIRC", "supporting", "stated"]]],
      // 由A会同B、C负责落实。 a whole sentence.
      [2, [["MOF", "lead", "stated"], ["PBOC", "supporting", "stated"], ["STA", "supporting", "stated"]]],
      // 由A负责。
      [3, [["MIIT", "lead", "stated"]]],
      // A会同B负责… inside a sentence, after a comma.
      [4, [["MOF", "lead", "stated"], ["CBIRC", "supporting", "stated"]]],
      // In a closing bracket.
      [5, [["CSRC", "lead", "stated"], ["NDRC", "supporting", "stated"]]],
      // 由A会同B、C负责落实。 closing a sentence that began with other words.
      [6, [["NDRC", "lead", "stated"], ["PBOC", "supporting", "stated"], ["SAMR", "supporting", "stated"]]],
      // 由于 (because), 由此 (hence), 负责人 (the person in charge): no note, nothing stated.
      [7, []],
    ]);
  });

  it("quotes each note with its span; a clause stays in the measure's text, which is not taken for cut", () => {
    expect(draft.measures.map((m) => m.notes.map((n) => [n.form, n.text]))).toEqual([
      [["clause", "由人民银行会同银保监会负责落实"]],
      [["sentence", "由财政部会同人民银行、税务总局负责落实。"]],
      [["sentence", "由工业和信息化部负责。"]],
      [["clause", "财政部会同银保监会负责推进"]],
      [["bracket", "（由证监会会同发展改革委负责）"]],
      [["clause", "由发展改革委会同人民银行、市场监管总局负责落实"]],
      [],
    ]);
    for (const m of draft.measures) {
      for (const n of m.notes) {
        expect(text.slice(n.span.start, n.span.end)).toBe(n.text);
        for (const u of n.units) expect(text.slice(u.span.start, u.span.end)).toBe(u.name);
      }
    }
    expect(draft.measures[0]?.text).toBe("由人民银行会同银保监会负责落实普惠小微贷款支持工具，加大对小微企业的信贷投放。");
    expect(draft.measures[3]?.text).toBe("完善融资担保体系，财政部会同银保监会负责推进政府性融资担保机构建设，降低担保费率。");
    const proposal = proposeDivision(draft, departmentLexicon, options);
    const first = proposal.measures[0]?.responsibilities[0];
    expect(first?.source).toEqual({ kind: "stated", note: "由人民银行会同银保监会负责落实", span: draft.measures[0]?.notes[0]?.span, form: "clause" });
    expect(first?.justification).toEqual({ kind: "phrase", phrase: "由人民银行会同银保监会负责落实" });
    expect(draft.warnings.filter((w) => w.kind === "text_cut")).toEqual([]);
  });

  it("the issue's paste: a clause opening the measure is stated, with the lexicon proposing nothing", () => {
    const pasted = parsePolicyDocument(
      "一、加大信贷支持\n（一）其他。（财政部负责）\n（二）其他。（财政部负责）\n（三）由人民银行会同银保监会负责落实普惠小微贷款支持工具，加大对小微企业的信贷投放。\n",
    );
    const m = proposeDivision(pasted, departmentLexicon, options).measures[2];
    expect(m?.responsibilities.map((r) => [r.department, r.role, r.source.kind])).toEqual([
      ["PBOC", "lead", "stated"],
      // No date in the paste: 银保监会 stays itself, with a note saying the date is unknown.
      ["CBIRC", "supporting", "stated"],
    ]);
    expect(m?.responsibilities[1]?.mappingNote).toMatch(/date is unknown/);
    expect(m?.needsDecision).toBe(false);
  });

  it("a clause still leaves a cut sentence cut, and a clause ending the text does not hide a cut before it", () => {
    const cut = parsePolicyDocument("一、总则\n（一）由财政部会同人民银行负责落实贷款贴息，加大\n（二）其他。（财政部负责）\n");
    expect(cut.measures[0]?.notes.map((n) => n.form)).toEqual(["clause"]);
    expect(cut.measures[0]?.textCut).toBe(true);
  });

  it("finds no false note in prose: 由于, 由此, 负责人, a unit outside the register inside a sentence", () => {
    const prose = parsePolicyDocument(
      "一、总则\n（一）由于财政部负责审核，进度较慢。\n（二）由此，财政部负责人表示将加快进度。\n（三）由于人民银行会同银保监会加大投放，贷款增加。\n（四）加强服务，由行业协会负责组织培训。\n（五）审核从严。由于财政部负责。\n",
    );
    // (五) was read as a note naming an unknown unit "于财政部" before 由于 was refused.
    expect(prose.measures.map((m) => m.notes)).toEqual([[], [], [], [], []]);
  });
});

const unitNames = ["财政部", "税务总局", "工业和信息化部", "人民银行", "金融监管总局", "银保监会", "教育部", "各地区", "国家某某局", "各省（自治区、直辖市）人民政府"];
const noteWords = ["牵头", "参与", "配合", "会同", "负责", "负责落实", "负责人", "按职责分工负责", "由", "由于", "，由", "普惠小微贷款", "、", "，", "（", "）", "(", ")", "。", "；", "\n", "\r\n", "一、", "（一）", "（二）", "1.", "2021年底前", "持续推进", " ", "含", "x"];
const noteLike = fc.array(fc.oneof(fc.constantFrom(...unitNames), fc.constantFrom(...noteWords), fc.string({ maxLength: 4 })), { maxLength: 80 }).map((p) => p.join(""));

function ownedOnce(text: string, draft: DraftPlan): boolean {
  const owners = new Uint8Array(text.length);
  for (const { span } of draftPlanCoverage(draft)) for (let i = span.start; i < span.end; i++) owners[i] = (owners[i] ?? 0) + 1;
  for (let i = 0; i < text.length; i++) {
    const n = owners[i] ?? 0;
    if (n > 1 || (n === 0 && !/\s/.test(text.charAt(i)))) return false;
  }
  return true;
}

describe("notes on any text (property-based)", () => {
  it("never throws; every character is owned once; notes lie inside their measure and quote the text", () => {
    fc.assert(
      fc.property(noteLike, (text) => {
        const draft = parsePolicyDocument(text);
        expect(ownedOnce(text, draft)).toBe(true);
        for (const m of draft.measures) {
          for (const n of m.notes) {
            expect(m.textSpan.start <= n.span.start && n.span.end <= m.textSpan.end).toBe(true);
            expect(text.slice(n.span.start, n.span.end)).toBe(n.text);
            for (const u of n.units) expect(text.slice(u.span.start, u.span.end)).toBe(u.name);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("a stated lead is never replaced by a proposal, and the lexicon proposes nothing where a note states units", () => {
    fc.assert(
      fc.property(noteLike, (text) => {
        const draft = parsePolicyDocument(text);
        const proposal = proposeDivision(draft, departmentLexicon, options);
        for (const m of proposal.measures) {
          const measure = draft.measures.find((x) => x.number === m.measureNumber);
          const statedUnits = measure?.notes.flatMap((n) => n.units) ?? [];
          if (statedUnits.length === 0) {
            expect(m.responsibilities.every((r) => r.source.kind === "proposed")).toBe(true);
            continue;
          }
          expect(m.responsibilities.every((r) => r.source.kind === "stated")).toBe(true);
          const firstLead = statedUnits.find((u) => u.role === "lead");
          const lead = m.responsibilities.find((r) => r.role === "lead");
          if (firstLead) expect(lead?.department ?? null).toBe(firstLead.code);
        }
      }),
      { numRuns: 500 },
    );
  });
});
