import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadPlan } from "@countersign/db";
import { defaultPlan, parseSearchQuery, proposedDivision2020, searchableText } from "@countersign/domain";
import { createHarness } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { inboxSearchOf } from "./inbox-search.js";

let h: Harness;
afterEach(() => h.close());

describe("inbox search", () => {
  beforeEach(async () => {
    h = await createHarness();
    await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });
  });

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

describe("inbox search through the measures' search index (issue 17)", () => {
  // A plan whose measures are Chinese text, with full-width digits and letters and FTS5 syntax characters in it.
  const passage = "为进一步健全支持中小企业发展制度，增强中小企业活力，推动中小企业高质量发展，各地区各部门要加强组织领导、细化工作措施、强化督促落实，确保各项政策措施落地见效，让广大中小企业有实实在在的获得感，持续优化营商环境，激发市场主体活力，稳定就业大局，促进经济平稳健康运行，坚持问题导向和目标导向相结合";
  const long = `${passage}，${[...passage].reverse().join("")}`;
  const zh: Record<number, { title: string; text: string }> = {
    1: { title: "完善支持中小企业发展的基础性制度", text: `坚持和完善中小企业财税支持制度，落实（７）项税费优惠。${long}。` },
    2: { title: "坚持和完善中小企业融资促进制度", text: "健全融资担保体系，发展ＦＩＮＡＮＣＩＮＧ服务，降低融资成本。" },
    3: { title: "建立和健全中小企业创新发展制度", text: '他说"创新"不是 NEAR(口号) - 而是*行动*，也不是 a OR b。' },
    4: { title: "完善和优化中小企业服务体系", text: "推进第１２批服务平台建设。" },
  };
  const plan = {
    ...defaultPlan,
    key: "zh-search",
    titleEn: "A Chinese plan",
    titleZh: "中文分工方案",
    issuedOn: "2026-03-01",
    measures: defaultPlan.measures.map((m) => ({ ...m, ...(zh[m.number] ?? { title: `第${m.number}项措施`, text: `措施正文${m.number}。` }) })),
  };
  let planId: number;
  beforeEach(async () => {
    // The plan is loaded into the seed (before the copy to PostgreSQL), then issued through the API.
    h = await createHarness({
      seed: ({ db, now }) => {
        planId = loadPlan(db, plan, proposedDivision2020, now.toISOString()).planId;
      },
    });
    await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });
    await h.as("miit").plan.issue({ planId, dueDate: "2026-12-31" });
  });

  /** The measure numbers a query should find, worked out without SQL: the folded query in the folded title or text. */
  function expected(search: string): number[] {
    const query = parseSearchQuery(search);
    return plan.measures
      .filter((m) => searchableText(m.title).includes(query.text) || searchableText(m.text).includes(query.text) || m.number === query.measureNumber)
      .map((m) => m.number);
  }

  async function found(search: string): Promise<{ numbers: number[]; total: number }> {
    const page = await h.as("miit").inbox.list({ department: null, planId, search, limit: 200 });
    return { numbers: [...new Set(page.rows.map((r) => r.measureNumber))].sort((a, b) => a - b), total: page.total };
  }

  async function assignmentsOf(numbers: number[]): Promise<number> {
    const all = await h.as("miit").inbox.list({ department: null, planId, limit: 200 });
    return all.rows.filter((r) => numbers.includes(r.measureNumber)).length;
  }

  it.each([
    ["a two-character Chinese word (scanned: too short for trigrams)", "融资", [2]],
    ["a one-character query", "税", [1]],
    ["a Chinese phrase of three or more characters (the trigram index)", "中小企业融资", [2]],
    ["a longer phrase across punctuation", "降低融资成本。", [2]],
    ["full-width digits, found in full-width text and as measure 7", "（７）", [1, 7]],
    ["an English word written in full width in the text", "financing", [2]],
    ["a measure number, also found in the text", "12", [4, 12]],
  ])("finds %s", async (_, search, numbers) => {
    expect(expected(search)).toEqual(numbers);
    const result = await found(search);
    expect(result.numbers).toEqual(numbers);
    expect(result.total).toBe(await assignmentsOf(numbers));
  });

  it("treats FTS5 syntax (quotes, *, NEAR, -, OR, :, parentheses) as text", async () => {
    for (const search of ['"创新"', '说"创新"不', "*行动*", "NEAR(口号)", "NEAR", "- 而是", "a OR b", "OR", '"', '""', "*", "-", "title:创新", "(", "NEAR(创新 口号)", "^中小", "创新 AND 口号", "NOT 口号", "创新 NOT 融资"]) {
      const result = await found(search);
      expect(result.numbers, search).toEqual(expected(search));
    }
    expect((await found('"创新"')).numbers).toEqual([3]);
    // Syntax that would match were it syntax finds nothing as text.
    expect((await found("创新 OR 融资")).numbers).toEqual([]);
    expect((await found("中小*")).numbers).toEqual([]);
  });

  it("finds a query as long as the search box takes (200 characters), and nothing for one that is not there", async () => {
    const query = long.slice(0, 200);
    expect([...query].length).toBe(200);
    expect((await found(query)).numbers).toEqual([1]);
    expect((await found(`${long.slice(1, 199)}！`)).numbers).toEqual([]);
    expect((await found("很".repeat(200))).numbers).toEqual([]);
  });

  it("keeps to what the caller may see: a liaison's search lists their own department's rows only", async () => {
    const page = await h.as("miit-liaison").inbox.list({ planId, search: "中小企业", limit: 200 });
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.every((r) => r.department === "MIIT")).toBe(true);
    const all = await h.as("miit").inbox.list({ department: "MIIT", planId, search: "中小企业", limit: 200 });
    expect(page.rows.map((r) => r.id)).toEqual(all.rows.map((r) => r.id));
  });
});
