import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultPlan, defaultPlanClosing, defaultPlanPreamble, textCutEvidence2020 } from "../plan-2020.js";
import { draftPlanCoverage, type DraftPlan } from "./draft-plan.js";
import { parsePolicyDocument } from "./parse-policy-document.js";

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const source2020 = readFileSync(new URL("../../data/opinions-2020-sme-support-system.txt", import.meta.url), "utf8");

/** The structure a reviewer sees, with warnings reduced to what they point at. */
function shape(text: string, draft: DraftPlan) {
  return {
    title: draft.title,
    documentNumber: draft.documentNumber,
    sections: draft.sections.map((s) => [s.number, s.label, s.title]),
    measures: draft.measures.map((m) => [m.number, m.printedNumber, m.section, m.label, m.title, m.textCut]),
    warnings: draft.warnings.map((w) => [w.kind, text.slice(w.span.start, w.span.end)]),
  };
}

/**
 * Nothing silently dropped, checked naively: count, for every character, how many owning spans hold it. Every
 * non-whitespace character is held exactly once; a span never starts or ends on whitespace, or leaves the text.
 */
function expectWholeTextOwned(text: string, draft: DraftPlan): void {
  const owners = new Uint8Array(text.length);
  for (const { owner, span } of draftPlanCoverage(draft)) {
    const inside = 0 <= span.start && span.start < span.end && span.end <= text.length;
    const trimmed = !/\s/.test(text.charAt(span.start)) && !/\s/.test(text.charAt(span.end - 1));
    if (!inside || !trimmed) throw new Error(`bad ${owner} span ${JSON.stringify(span)} in a text of ${text.length}`);
    for (let i = span.start; i < span.end; i++) owners[i] = (owners[i] ?? 0) + 1;
  }
  for (let i = 0; i < text.length; i++) {
    const count = owners[i] ?? 0;
    if (count > 1 || (count === 0 && !/\s/.test(text.charAt(i)))) {
      throw new Error(`character ${i} (${JSON.stringify(text.charAt(i))}) is owned ${count} times`);
    }
  }
}

/** Facts that hold for any draft of any text. */
function expectConsistent(text: string, draft: DraftPlan): void {
  expectWholeTextOwned(text, draft);
  draft.measures.forEach((m, i) => {
    expect(m.number).toBe(i + 1);
    expect(m.text).toBe(text.slice(m.textSpan.start, m.textSpan.end));
    expect(m.text.startsWith(m.title)).toBe(true);
    expect(text.slice(m.span.start, m.span.end).startsWith(m.label)).toBe(true);
    expect(m.section === 0 || draft.sections.some((s) => s.number === m.section)).toBe(true);
    expect(m.textCut).toBe(draft.warnings.some((w) => w.kind === "text_cut" && w.measure === m.number));
  });
  draft.sections.forEach((s, i) => {
    expect(s.number).toBe(i + 1);
    expect(text.slice(s.span.start, s.span.end).startsWith(s.label)).toBe(true);
  });
  if (draft.titleSpan) expect(draft.title.length).toBeGreaterThan(0);
}

describe("parsePolicyDocument on the fixtures", () => {
  it("一、 sections and （一） measures, a title wrapped over two lines, a document number, a preamble and signatures", () => {
    const text = fixture("zh-sections-measures.txt");
    const draft = parsePolicyDocument(text);
    expect(shape(text, draft)).toEqual({
      title: "关于加强中小企业数字化服务的若干意见",
      documentNumber: "工信部联企业〔2024〕12号",
      sections: [
        [1, "一、", "完善服务体系"],
        [2, "二、", "加大财税金融支持"],
        [3, "三、", "加强组织实施"],
      ],
      measures: [
        [1, 1, 1, "（一）", "建设公共服务平台", false],
        [2, 2, 1, "（二）", "加强人才培训", false],
        [3, 3, 2, "（三）", "落实税收优惠政策", false],
        [4, 4, 2, "（四）", "拓宽融资渠道", false],
        [5, 5, 3, "（五）", "各成员单位要按照职责分工，抓好贯彻落实", false],
      ],
      warnings: [
        [
          "unassigned_text",
          "工信部联企业〔2024〕12号\n\n各省、自治区、直辖市及计划单列市中小企业主管部门、财政厅（局）：\n\n为推动中小企业数字化转型，经研究，现提出以下意见。",
        ],
        ["unassigned_text", "工业和信息化部\n财政部\n2024年3月1日"],
      ],
    });
    expect(draft.measures[3]?.text).toBe("拓宽融资渠道。鼓励银行业金融机构开发适合中小企业的信贷产品。");
    expect(draft.sections[0]?.numeral).toBe("一");
    expectConsistent(text, draft);
  });

  it("half-width and mixed brackets, a heading on its own line, a measure run into its section heading and into the measure before it", () => {
    const text = fixture("zh-mixed-brackets-run-in.txt");
    const draft = parsePolicyDocument(text);
    expect(shape(text, draft)).toEqual({
      title: "关于促进个体工商户发展的实施方案",
      documentNumber: null,
      sections: [
        [1, "一、", "总体要求"],
        [2, "二、", "加强要素保障"],
      ],
      measures: [
        [1, 1, 1, "(一)", "优化准入服务", false],
        [2, 2, 1, "（二)", "减轻经营负担", false],
        [3, 3, 2, "（三）", "强化金融服务", false],
        [4, 4, 2, "（四）", "加强用工服务", false],
        [5, 5, 2, "（五）", "支持数字化经营", true],
      ],
      warnings: [
        // The section heading runs on into a sentence that belongs to no measure.
        ["unassigned_text", "坚持稳中求进，分类施策。"],
        // The last measure ends without a full stop.
        ["text_cut", "推广电子商务应用"],
      ],
    });
    // A heading on its own line: the title is the line, the text keeps the line break as published.
    expect(draft.measures[0]?.text).toBe("优化准入服务\n推行登记全程电子化，压缩办理时间。");
    expect(draft.measures[3]?.text).toBe("加强用工服务。举办专场招聘活动，促进就业。");
    expectConsistent(text, draft);
  });

  it("1. and 1、 measures restarting in each section, with (1) sub-items kept inside their measure", () => {
    const text = fixture("zh-arabic-restart.txt");
    const draft = parsePolicyDocument(text);
    expect(shape(text, draft)).toEqual({
      title: "某省关于支持小微企业稳定发展的若干措施",
      documentNumber: null,
      sections: [
        [1, "一、", "减轻税费负担"],
        [2, "二、", "强化创新支持"],
      ],
      measures: [
        [1, 1, 1, "1.", "落实减税降费政策", false],
        [2, 2, 1, "2.", "降低融资成本", false],
        [3, 1, 2, "1、", "支持技术创新", false],
        [4, 2, 2, "2、", "加强知识产权保护", false],
      ],
      warnings: [],
    });
    expect(draft.measures[0]?.text).toBe("落实减税降费政策。对小规模纳税人减按1%征收增值税。");
    expect(draft.measures[1]?.text).toBe(
      "降低融资成本。引导银行降低贷款利率，具体包括：\n（1）下调普惠小微贷款利率；\n（2）减免部分服务费用。",
    );
    expectConsistent(text, draft);
  });

  it("measures without sections: a skipped and a repeated number are warned about, the addressee and annex are unassigned", () => {
    const text = fixture("zh-measures-only-warnings.txt");
    const draft = parsePolicyDocument(text);
    expect(shape(text, draft)).toEqual({
      title: "关于做好中小企业服务月活动的通知",
      documentNumber: null,
      sections: [],
      measures: [
        [1, 1, 0, "（一）", "组织政策宣讲", false],
        [2, 2, 0, "（二）", "开展融资对接", false],
        [3, 4, 0, "（四）", "举办人才招聘会", false],
        [4, 4, 0, "（四）", "推动数字化转型", false],
        [5, 5, 0, "（五）", "加强宣传报道", false],
      ],
      warnings: [
        ["unassigned_text", "各有关单位："],
        ["number_skipped", "（四）"],
        ["number_repeated", "（四）"],
        ["unassigned_text", "附件：活动安排表"],
      ],
    });
    const skipped = draft.warnings.find((w) => w.kind === "number_skipped");
    expect(skipped).toMatchObject({ measure: 3, message: 'Number 3 is missing before measure "（四）".' });
    expect(draft.warnings.find((w) => w.kind === "number_repeated")).toMatchObject({ measure: 4 });
    expectConsistent(text, draft);
  });

  it("I. sections and (1) measures in English, behind a web page's breadcrumb, date and addressee", () => {
    const text = fixture("en-roman-paren.txt");
    const draft = parsePolicyDocument(text);
    expect(shape(text, draft)).toEqual({
      title: "Opinions on Supporting Small Firms",
      documentNumber: null,
      sections: [
        [1, "I.", "Improving the basic system"],
        [2, "II.", "Strengthening financing support"],
      ],
      measures: [
        [1, 1, 1, "(1)", "improve the legal framework for small firms", false],
        [2, 2, 1, "(2)", "adhere to fair competition", false],
        [3, 3, 2, "(3)", "improve lending to small firms", false],
        [4, 4, 2, "(4)", "develop the capital market for small firms", false],
      ],
      warnings: [
        ["unassigned_text", "Home / Policy / Opinions on Supporting Small Firms"],
        [
          "unassigned_text",
          "Published: 2024-03-01\n\nTo all provincial departments:\n\nSmall firms matter. The following opinions are issued.",
        ],
        ["unassigned_text", "Ministry of Finance\nMarch 1, 2024"],
      ],
    });
    expect(draft.sections.map((s) => s.numeral)).toEqual(["I", "II"]);
    expect(draft.measures[3]?.text).toBe(
      "develop the capital market for small firms. Support more small firms to list on the stock market.",
    );
    expectConsistent(text, draft);
  });

  it("1. sections and (1)/（2） measures with headings on their own lines", () => {
    const text = fixture("en-arabic-fullwidth.txt");
    const draft = parsePolicyDocument(text);
    expect(shape(text, draft)).toEqual({
      title: "Implementation Plan for the Digital Upgrade of Small Enterprises",
      documentNumber: null,
      sections: [
        [1, "1.", "General requirements"],
        [2, "2.", "Key tasks"],
      ],
      measures: [
        [1, 1, 1, "(1)", "Guiding principles", false],
        [2, 2, 1, "（2）", "Main targets", false],
        [3, 3, 2, "（3）", "Build public service platforms", false],
        [4, 4, 2, "(4)", "Train managers", false],
      ],
      warnings: [],
    });
    expect(draft.measures[1]?.text).toBe("Main targets\nBy 2026, help ten thousand small enterprises adopt cloud services.");
    expectConsistent(text, draft);
  });

  it("First, Second, … measures under I. sections; an inline 'Firstly, …' stays in its measure", () => {
    const text = fixture("en-ordinal.txt");
    const draft = parsePolicyDocument(text);
    expect(shape(text, draft)).toEqual({
      title: "Notice on Reducing Burdens on Small Businesses",
      documentNumber: null,
      sections: [
        [1, "I.", "Tax relief"],
        [2, "II.", "Fee relief"],
      ],
      measures: [
        [1, 1, 1, "First,", "extend the reduced tax rate for small taxpayers to the end of 2025", false],
        [2, 2, 1, "Second,", "simplify tax filing for sole traders", false],
        [3, 3, 2, "Third,", "clean up fees charged by industry associations", false],
        [4, 4, 2, "Fourth,", "cut port charges for exporters", false],
      ],
      warnings: [],
    });
    expect(draft.measures[2]?.text).toBe(
      "clean up fees charged by industry associations. Firstly, list all fees; secondly, publish the list.",
    );
    expectConsistent(text, draft);
  });

  it("a whole document run into one paragraph; a cross-reference '(1) above' is not a measure", () => {
    const text = fixture("en-run-in.txt");
    const draft = parsePolicyDocument(text);
    expect(shape(text, draft)).toEqual({
      title: "Measures to Stabilise Employment in Small Firms",
      documentNumber: null,
      sections: [
        [1, "I.", "Support hiring"],
        [2, "II.", "Support training"],
      ],
      measures: [
        [1, 1, 1, "(1)", "subsidise first hires", false],
        [2, 2, 1, "(2)", "extend social insurance relief", false],
        [3, 3, 2, "(3)", "fund vocational training", false],
        [4, 4, 2, "(4)", "expand apprenticeships", false],
      ],
      warnings: [],
    });
    expect(draft.measures[2]?.text).toBe("fund vocational training. Training vouchers cover half the cost; see (1) above.");
    expectConsistent(text, draft);
  });

  it("warns about skipped and repeated numbers, cut text, a missing full stop and text between sections", () => {
    const text = fixture("en-warnings.txt");
    const draft = parsePolicyDocument(text);
    expect(shape(text, draft)).toEqual({
      title: "Opinions on Better Services for Small Enterprises",
      documentNumber: null,
      sections: [
        [1, "I.", "Services"],
        [2, "III.", "Oversight"],
      ],
      measures: [
        [1, 1, 1, "(1)", "improve the service network", false],
        [2, 2, 1, "(2)", "improve online services", false],
        [3, 2, 1, "(2)", "strengthen service quality", true],
        [4, 4, 2, "(4)", "strengthen supervision of services", true],
      ],
      warnings: [
        ["missing_full_stop", "county We"],
        ["number_repeated", "(2)"],
        ["text_cut", "and"],
        ["number_skipped", "III."],
        ["unassigned_text", "This part applies from 2025 onwards."],
        ["number_skipped", "(4)"],
        ["text_cut", "medium Establish"],
        ["unassigned_text", "Annex: list of service centres"],
      ],
    });
    expect(draft.warnings.find((w) => w.kind === "number_skipped" && w.section === 2)?.message).toBe(
      'Number 2 is missing before section "III.".',
    );
    expectConsistent(text, draft);
  });

  it("reads Windows line endings the same way, with the same texts", () => {
    for (const name of ["zh-mixed-brackets-run-in.txt", "en-arabic-fullwidth.txt", "en-roman-paren.txt"]) {
      const unix = fixture(name);
      const windows = unix.replace(/\n/g, "\r\n");
      const a = parsePolicyDocument(unix);
      const b = parsePolicyDocument(windows);
      expect(b.title).toBe(a.title);
      expect(b.sections.map((s) => s.title)).toEqual(a.sections.map((s) => s.title));
      expect(b.measures.map((m) => m.text.replace(/\r\n/g, "\n"))).toEqual(a.measures.map((m) => m.text));
      expect(b.warnings.map((w) => w.kind)).toEqual(a.warnings.map((w) => w.kind));
      expectConsistent(windows, b);
    }
  });
});

describe("parsePolicyDocument on small cases", () => {
  it("returns an empty draft for empty or blank text", () => {
    for (const text of ["", "   \n\t\u3000\n"]) {
      expect(parsePolicyDocument(text)).toEqual({
        title: "",
        titleSpan: null,
        documentNumber: null,
        sections: [],
        measures: [],
        warnings: [],
      });
    }
  });

  it("keeps text without any numbering as a title and unassigned text", () => {
    const text = "Notice on Holidays\n\nOffices close on 1 May. Urgent matters go to the duty officer.";
    const draft = parsePolicyDocument(text);
    expect(draft.title).toBe("Notice on Holidays");
    expect(draft.measures).toEqual([]);
    expect(shape(text, draft).warnings).toEqual([
      ["unassigned_text", "Offices close on 1 May. Urgent matters go to the duty officer."],
    ]);
  });

  it("flags measures that stand before the first section", () => {
    const text = "（一）先行试点。\n一、总体安排\n（二）分步推广。\n二、保障措施\n（三）加强督导。";
    const draft = parsePolicyDocument(text);
    expect(draft.measures.map((m) => [m.printedNumber, m.section])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
    ]);
    expect(shape(text, draft).warnings).toEqual([["measure_outside_section", "（一）先行试点。"]]);
  });

  it("does not take numbers inside sentences, decimals or years for markers", () => {
    const text = "I. Scope\n(1) cover firms. Rates fall by 1.5 points in 2020. Article 3. applies. See item (2) below.\n(2) report yearly.";
    const draft = parsePolicyDocument(text);
    expect(draft.measures.map((m) => m.label)).toEqual(["(1)", "(2)"]);
    expect(draft.measures[0]?.text).toBe("cover firms. Rates fall by 1.5 points in 2020. Article 3. applies. See item (2) below.");
  });

  it("reads Chinese numerals past ten and Roman numerals past ten", () => {
    const zh = Array.from({ length: 25 }, (_, i) => `（${["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四", "二十五"][i]}）第${i + 1}项。`).join("\n");
    expect(parsePolicyDocument(zh).measures.map((m) => m.printedNumber)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(parsePolicyDocument(zh).warnings).toEqual([]);
    const roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
      .map((n, i) => `${n}. Part ${i + 1}\n(${i + 1}) do item ${i + 1}.`)
      .join("\n");
    const draft = parsePolicyDocument(roman);
    expect(draft.sections.map((s) => s.numeral)).toEqual(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]);
    expect(draft.measures.map((m) => m.section)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});

describe("parsePolicyDocument on a document with a single measure", () => {
  // A department forwards the one measure it leads: its division document holds one numbered measure.
  const measureText = "加强融资支持。引导银行扩大小微企业贷款。（财政部牵头，工业和信息化部配合）";
  const styles = ["（一）", "一、", "1. ", "1、", "(一)"] as const;

  it.each(styles)("reads a lone measure numbered %s", (label) => {
    const text = `${label}${measureText}`;
    const draft = parsePolicyDocument(text);
    expect(draft.sections).toEqual([]);
    expect(draft.measures.map((m) => [m.number, m.printedNumber, m.section, m.label, m.title, m.text])).toEqual([
      [1, 1, 0, label.trim(), "加强融资支持", measureText],
    ]);
    expectConsistent(text, draft);
  });

  it.each(styles)("reads a lone measure numbered %s behind a title, an addressee and a preamble, before the signature", (label) => {
    const text = `某市落实《关于健全支持中小企业发展制度的若干意见》分工方案\n\n各有关单位：\n    为抓好贯彻落实，现将市商务局牵头的措施分工如下。\n\n${label}${measureText}\n\n某市商务局\n2021年3月1日`;
    const draft = parsePolicyDocument(text);
    expect(draft.title).toBe("某市落实《关于健全支持中小企业发展制度的若干意见》分工方案");
    expect(draft.sections).toEqual([]);
    expect(draft.measures.map((m) => [m.printedNumber, m.label, m.text])).toEqual([[1, label.trim(), measureText]]);
    expect(shape(text, draft).warnings.map(([kind, at]) => [kind, at])).toEqual([
      ["unassigned_text", "各有关单位：\n    为抓好贯彻落实，现将市商务局牵头的措施分工如下。"],
      ["unassigned_text", "某市商务局\n2021年3月1日"],
    ]);
    expectConsistent(text, draft);
  });

  it.each([
    ["一、", "（一）"],
    ["一、", "1. "],
    ["（一）", "1. "],
    ["一、", "（1）"],
  ] as const)("reads a lone section heading numbered %s over a lone measure numbered %s", (heading, label) => {
    const text = `关于做好中小企业服务工作的通知\n${heading}支持企业融资\n${label}${measureText}`;
    const draft = parsePolicyDocument(text);
    expect(draft.sections.map((s) => [s.number, s.label, s.title])).toEqual([[1, heading, "支持企业融资"]]);
    expect(draft.measures.map((m) => [m.printedNumber, m.section, m.label, m.text])).toEqual([[1, 1, label.trim(), measureText]]);
    expect(draft.warnings).toEqual([]);
    expectConsistent(text, draft);
  });

  it("reads a lone measure in English", () => {
    const text = "Division of the Measure Led by the Bureau of Commerce\n\n(1) Strengthen financing support. Banks extend more loans to small firms.";
    const draft = parsePolicyDocument(text);
    expect(draft.measures.map((m) => [m.label, m.title])).toEqual([["(1)", "Strengthen financing support"]]);
  });
});

describe("parsePolicyDocument does not take a stray numbered line for a measure", () => {
  const measures = "关于做好中小企业服务月活动的通知\n各有关单位：\n（一）组织政策宣讲。\n（二）开展融资对接。\n";
  const read = (text: string) => {
    const draft = parsePolicyDocument(text);
    expectConsistent(text, draft);
    return { sections: draft.sections.map((s) => s.label), measures: draft.measures.map((m) => [m.label, m.section, m.text]) };
  };

  it("a list of attachments after real measures, one item a line or run in after 附件：", () => {
    const expected = { sections: [], measures: [["（一）", 0, "组织政策宣讲。"], ["（二）", 0, "开展融资对接。"]] };
    expect(read(`${measures}\n附件：\n1. 活动安排表\n2. 联系人名单\n\n某某局\n2021年3月1日`)).toEqual(expected);
    expect(read(`${measures}\n附件：1. 活动安排表\n      2. 联系人名单\n      3. 回执`)).toEqual(expected);
    expect(read(`${measures}\n附件：\n1．活动安排表`)).toEqual(expected);
    expect(read(`${measures}\n注：\n1、本通知由市商务局负责解释`)).toEqual(expected);
    // The list ends where another numbering begins.
    const next = read("（一）组织政策宣讲。\n\n附件：\n1. 活动安排表\n（二）开展融资对接");
    expect(next.measures.map(([label]) => label)).toEqual(["（一）", "（二）"]);
  });

  it("a list of attachments after a single measure", () => {
    const text = "（一）组织政策宣讲。由市商务局负责。\n\n附件：\n1. 活动安排表\n\n某某局\n2021年3月1日";
    expect(read(text)).toEqual({ sections: [], measures: [["（一）", 0, "组织政策宣讲。由市商务局负责。"]] });
    const annex = "Notice on the Service Month\n(1) Hold briefings on the policies.\n\nAttachment:\n1. Schedule of events";
    expect(read(annex).measures.map(([label]) => label)).toEqual(["(1)"]);
  });

  it("an annex that is the division itself still reads: a bare 附件 line heads the annex, and a measure is prose", () => {
    const text = "关于印发分工方案的通知\n现将分工方案印发给你们。\n\n附件\n（一）组织政策宣讲。（市商务局负责）";
    expect(read(text).measures).toEqual([["（一）", 0, "组织政策宣讲。（市商务局负责）"]]);
    const listed = "关于印发分工方案的通知\n现将分工方案印发给你们。\n\n附件：\n（一）组织政策宣讲。（市商务局负责）\n（二）开展融资对接。";
    expect(read(listed).measures.map(([label]) => label)).toEqual(["（一）", "（二）"]);
  });

  it("a list of attachments in a document without measures", () => {
    expect(read("关于召开座谈会的通知\n定于3月5日召开座谈会，请准时参加。\n\n附件：\n1. 参会回执").measures).toEqual([]);
  });

  it("a stray 1. in the preamble or in a sentence", () => {
    const expected = { sections: [], measures: [["（一）", 0, "组织政策宣讲。"], ["（二）", 0, "开展融资对接。"]] };
    expect(read(`关于做好中小企业服务月活动的通知\n1. 请各单位高度重视\n（一）组织政策宣讲。\n（二）开展融资对接。`)).toEqual(expected);
    expect(read("Notice on Holidays\nOffices close on 1 May. See note 1. below.").measures).toEqual([]);
    expect(read("关于放假的通知\n定于2021年5月1日起放假，请于4月30日前报送值班表。").measures).toEqual([]);
  });

  it("an enumeration of months or items opening a line: 一、二月份, 1、2月", () => {
    expect(read("一、二月份全市销售额增长较快。\n全年目标可以完成。").measures).toEqual([]);
    expect(read("1、2月份全市销售额增长较快。\n全年目标可以完成。").measures).toEqual([]);
    expect(read("一、二、三级医院均应参加。").measures).toEqual([]);
    // A heading that merely begins with a numeral is still a heading.
    expect(read("一、三年行动目标\n（一）完善政策。\n（二）加强服务。").sections).toEqual(["一、"]);
  });
});

describe("the 2020 source text", () => {
  const draft = parsePolicyDocument(source2020);

  it("round-trips to the default plan: 7 sections, 25 measures, texts exactly", () => {
    expect(draft.title).toBe(defaultPlan.titleEn);
    expect(draft.sections.map(({ number, numeral, title }) => ({ number, numeral, title }))).toEqual(defaultPlan.sections);
    expect(draft.measures.map(({ number, section, title, text, textCut }) => ({ number, section, title, text, textCut }))).toEqual(
      defaultPlan.measures,
    );
    expect(draft.measures.map((m) => m.printedNumber)).toEqual(defaultPlan.measures.map((m) => m.number));
  });

  it("keeps the web page's header, the preamble and the closing list as unassigned text, and nothing else", () => {
    const unassigned = draft.warnings.filter((w) => w.kind === "unassigned_text").map((w) => source2020.slice(w.span.start, w.span.end));
    expect(unassigned).toHaveLength(3);
    const [header, preamble, closing] = unassigned;
    expect(header).toMatch(/^Home\s\/\sMetal News\s\/\sOpinions of Seventeen departments/);
    expect(preamble).toContain(defaultPlanPreamble.addressee);
    expect(preamble?.endsWith(defaultPlanPreamble.text)).toBe(true);
    for (const line of defaultPlanClosing.signatories) expect(closing).toContain(line);
    expect(closing).toContain(defaultPlanClosing.date);
    expect(draft.warnings.filter((w) => w.kind.startsWith("number_") || w.kind === "measure_outside_section")).toEqual([]);
    expectConsistent(source2020, draft);
  });

  it("points at each cut the plan records, and at the four missing full stops it does not flag", () => {
    const cuts = draft.warnings.filter((w) => w.kind === "text_cut");
    expect(cuts.map((w) => w.measure)).toEqual(textCutEvidence2020.map((e) => e.measureNumber));
    cuts.forEach((warning, i) => {
      const evidence = textCutEvidence2020[i];
      expect(evidence?.excerpt).toContain(source2020.slice(warning.span.start, warning.span.end));
    });
    const fullStops = draft.warnings.filter((w) => w.kind === "missing_full_stop");
    expect(fullStops.map((w) => [w.measure, source2020.slice(w.span.start, w.span.end)])).toEqual([
      [3, "enterprises Strengthen"],
      [3, "enterprises Timely"],
      [15, "enterprises We"],
      [20, "certification We"],
    ]);
  });
});

/** Pieces policy documents are made of, to build texts that look like one and stress the marker logic. */
const markerPieces = [
  "一、",
  "二、",
  "十二、",
  "（一）",
  "(二)",
  "（三)",
  "(1)",
  "（2）",
  "(３)",
  "1.",
  "2．",
  "3、",
  "I.",
  "II.",
  "IV.",
  "XL.",
  "First,",
  "Second,",
  "Twenty-first,",
  "(99)",
  "（九十九）",
  "999.",
];
const textPieces = ["。", ".", " ", "\n", "\r\n", "\r", "\u3000", "\t", "We", "Establish", "small and medium-", "税", "rights Encourage", "：", ":", "”", "\u0000", "\u2028", "\ud800", "😀", "a", "A", "〔2020〕1号"];
const documentLike = fc
  .array(fc.oneof(fc.constantFrom(...markerPieces), fc.constantFrom(...textPieces), fc.string({ maxLength: 6, unit: "binary" })), {
    maxLength: 120,
  })
  .map((parts) => parts.join(""));
const anyText = fc.oneof(
  fc.string({ maxLength: 300, unit: "binary" }),
  fc.string({ maxLength: 300, unit: "grapheme" }),
  fc.string({ maxLength: 200, unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
  documentLike,
);

describe("parsePolicyDocument on any text (property-based)", () => {
  it("never throws, and every non-whitespace character is owned exactly once", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const draft = parsePolicyDocument(text);
        expectConsistent(text, draft);
      }),
      { numRuns: 600 },
    );
  });

  it("warnings point inside the text", () => {
    fc.assert(
      fc.property(documentLike, (text) => {
        for (const w of parsePolicyDocument(text).warnings) {
          expect(0 <= w.span.start && w.span.start <= w.span.end && w.span.end <= text.length).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("copes with huge numbers of markers, quickly", () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `(${(i % 999) + 1}) item ${i}.`).join("\n");
    const runIn = Array.from({ length: 4000 }, (_, i) => `（${i % 2 === 0 ? "一" : "二"}）`).join("");
    const dots = "1.".repeat(20000);
    // Lists after 附件：: long, run in on the heading's line, or far below it.
    const annexes = ["附件：\n" + "1. 名单\n".repeat(20000), "附件：" + "（一）".repeat(20000), "附件：" + "\n".repeat(50000) + "1. x", "附件：\n\n".repeat(20000)];
    for (const text of [lines, runIn, dots, "一、".repeat(20000), "\n".repeat(50000) + "I.", ...annexes]) {
      const started = performance.now();
      const draft = parsePolicyDocument(text);
      expect(performance.now() - started).toBeLessThan(5000);
      expectWholeTextOwned(text, draft);
    }
  });
});
