import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { departmentLexicon } from "./department-lexicon.js";
import { DivisionTableError, parseDivisionTable } from "./division-table.js";
import { draftPlanCoverage } from "./draft-plan.js";
import { proposeDivision } from "./propose-division.js";

const zhTable = [
  ["关于促进中小企业发展的任务分工表"],
  ["序号", "重点任务", "牵头单位", "参与/配合单位", "完成时限"],
  ["一、加大财税支持", "一、加大财税支持", "一、加大财税支持", "一、加大财税支持", "一、加大财税支持"],
  ["1", "落实税费优惠政策。对小微企业减免税费。", "财政部、税务总局", "", "2021年底前"],
  ["2", "拓宽融资渠道", "工业和信息化部", "人民银行、银保监会", "持续推进"],
  ["二、优化发展环境"],
  ["3", "加强职业教育", "教育部", "人力资源社会保障部、各地区", "2022年6月30日"],
  ["4", "清理拖欠账款", "国家中小企业发展局", "最高人民法院", "尽快"],
];

describe("parseDivisionTable", () => {
  it("reads sections, tasks, stated leads and supporting units, and deadlines", () => {
    const { draft, sourceText } = parseDivisionTable(zhTable, { asOf: "2024-01-01" });
    expect(draft.title).toBe("关于促进中小企业发展的任务分工表");
    expect(draft.sections.map((s) => [s.numeral, s.title])).toEqual([
      ["一", "加大财税支持"],
      ["二", "优化发展环境"],
    ]);
    expect(draft.measures.map((m) => [m.number, m.section, m.title, m.deadline && (m.deadline.kind === "date" ? m.deadline.date : m.deadline.kind)])).toEqual([
      [1, 1, "落实税费优惠政策", "2021-12-31"],
      [2, 1, "拓宽融资渠道", "ongoing"],
      [3, 2, "加强职业教育", "2022-06-30"],
      [4, 2, "清理拖欠账款", null],
    ]);
    const division = proposeDivision(draft, departmentLexicon, { leadMinistry: "MIIT" });
    expect(division.measures.map((m) => m.responsibilities.map((r) => `${r.department}:${r.role}:${r.source.kind}`))).toEqual([
      ["MOF:lead:stated", "STA:supporting:stated"],
      ["MIIT:lead:stated", "PBOC:supporting:stated", "NAFR:supporting:stated"],
      ["MOE:lead:stated", "MOHRSS:supporting:stated", "LOCAL:supporting:stated"],
      ["SPC:supporting:stated"],
    ]);
    expect(division.measures[3]?.unresolved.map((u) => u.name)).toEqual(["国家中小企业发展局"]);
    expect(draft.warnings.map((w) => [w.kind, sourceText.slice(w.span.start, w.span.end)])).toEqual([
      ["unassigned_text", "序号\t重点任务\t牵头单位\t参与/配合单位\t完成时限"],
      ["department_mapped", "银保监会"],
      ["unknown_department", "国家中小企业发展局"],
      ["deadline_unrecognised", "尽快"],
    ]);
    for (const m of draft.measures) expect(sourceText.slice(m.textSpan.start, m.textSpan.end)).toBe(m.text);
  });

  it("reads English and variant column names, English department names, and a section column", () => {
    const { draft } = parseDivisionTable([
      ["No.", "Section", "Task", "Lead", "Supporting", "Deadline"],
      ["1", "Taxes", "Cut taxes", "MOF", "STA; Ministry of Commerce", "By 2021-12-31"],
      ["2", "Taxes", "Count them", "NBS", "", "ongoing"],
      ["3", "Money", "Lend more", "People's Bank of China", "CBIRC", ""],
    ], { asOf: null });
    expect(draft.sections.map((s) => s.title)).toEqual(["Taxes", "Money"]);
    const division = proposeDivision(draft, departmentLexicon, { leadMinistry: "MIIT" });
    expect(division.responsibilities.map((r) => [r.measureNumber, r.department, r.role])).toEqual([
      [1, "MOF", "lead"],
      [1, "STA", "supporting"],
      [1, "MOFCOM", "supporting"],
      [2, "NBS", "lead"],
      [3, "PBOC", "lead"],
      [3, "CBIRC", "supporting"],
    ]);
    expect(draft.measures.map((m) => m.deadline?.kind ?? null)).toEqual(["date", "ongoing", null]);
  });

  it("refuses a table without the needed columns, saying which", () => {
    expect(() => parseDivisionTable([["Name", "Amount"], ["a", "1"]])).toThrow(DivisionTableError);
    expect(() => parseDivisionTable([["序号", "重点任务", "完成时限"]])).toThrow(/needs 重点任务 \(Task\) and 牵头单位 \(Lead\).*序号 \| 重点任务 \| 完成时限/);
  });

  it("reads 500 rows quickly, and every character of the rendered table is owned once (any cells)", () => {
    const big = [["序号", "重点任务", "牵头单位", "配合单位", "完成时限"], ...Array.from({ length: 500 }, (_, i) => [String(i + 1), `任务${i}。加强协调。`, "财政部", "税务总局、人民银行", "2025年底前"])];
    const started = performance.now();
    expect(parseDivisionTable(big).draft.measures).toHaveLength(500);
    expect(performance.now() - started).toBeLessThan(5000);
    const cell = fc.oneof(fc.constantFrom("", "一、总则", "财政部", "财政部、税务总局", "持续推进", "x", " ", "\n"), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 12 }), (body) => {
        const rows = [["序号", "重点任务", "牵头单位", "参与单位", "完成时限"], ...body];
        const { draft, sourceText } = parseDivisionTable(rows);
        const owners = new Uint8Array(sourceText.length);
        for (const { span } of draftPlanCoverage(draft)) for (let i = span.start; i < span.end; i++) owners[i] = (owners[i] ?? 0) + 1;
        for (let i = 0; i < sourceText.length; i++) {
          const n = owners[i] ?? 0;
          expect(n > 1 || (n === 0 && !/\s/.test(sourceText.charAt(i)))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
