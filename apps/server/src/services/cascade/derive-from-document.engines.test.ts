/**
 * Deriving an implementation plan from the office's own document (issue 16, point 2) through the tRPC callers, on
 * SQLite and on PostgreSQL alike: the preview matches the document's measures to the forwarded ones and saves
 * nothing; the act writes the plan, its origins, the division the document states, the forwarded measures it left
 * out, and one audit event, in one unit of work; a sibling cannot use another's forwarding; a document without
 * measures and a damaged file are refused with nothing written.
 */
import { Document, Packer, Paragraph, TextRun } from "docx";
import { afterEach, describe, expect, it } from "vitest";
import { createCaller } from "../../router.js";
import { createHarness, harnessEngines, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

/** Guangxi's plan implementing the 2020 opinions (written for this test; the seeded national plan is in English). */
const guangxiText = `广西壮族自治区贯彻落实《关于健全支持中小企业发展制度的若干意见》实施方案

为贯彻落实《关于健全支持中小企业发展制度的若干意见》（以下简称《若干意见》），结合我区实际，制定本方案。

一、强化融资支持
（一）拓宽直接融资渠道。落实《若干意见》第（十二）条，支持中小企业在区域性股权市场挂牌融资。（自治区地方金融监管局牵头，广西证监局、自治区财政厅配合；2026年12月底前完成）
（二）强化信贷支持。按照《若干意见》（九）的部署，引导地方法人银行加大小微企业信贷投放。（人民银行广西壮族自治区分行牵头，自治区工业和信息化厅配合）
二、发展沿边经济
（三）支持沿边地区中小企业发展。发挥沿边开发开放试验区优势，支持边境贸易加工企业发展。（自治区商务厅牵头，自治区工业和信息化厅配合；持续推进）
`;

const file = (name: string, bytes: Uint8Array | Buffer) => ({ file: { name, contentBase64: Buffer.from(bytes).toString("base64") } });

describe.each(harnessEngines)("deriving from the office's own document on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  async function forwarded(harness: Harness) {
    const nation = harness.as("miit");
    await nation.plan.issue({ planId: harness.planId, dueDate: "2027-12-31" });
    await nation.cascade.forward({ planId: harness.planId, to: ["450000", "330000"], planDeadline: "2026-06-30" });
    const [pending] = await harness.as("gx-office").cascade.pending();
    if (pending === undefined) throw new Error("nothing forwarded to Guangxi");
    return pending.forwardingId;
  }

  it("previews the match with reasons, saving nothing; then derives it in one unit of work with its audit event", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const forwardingId = await forwarded(harness);
    const guangxi = harness.as("gx-office");

    const preview = await guangxi.cascade.matchDocument({ forwardingId, text: guangxiText });
    expect(preview.source).toEqual({ kind: "pasted", name: null });
    expect(preview.measures).toHaveLength(3 + 23);
    expect(preview.measures.slice(0, 3).map((m) => [m.number, m.from, m.label, m.implements?.number ?? null, m.reason?.kind])).toEqual([
      [1, "document", "（一）", 12, "reference"],
      [2, "document", "（二）", 9, "reference"],
      [3, "document", "（三）", null, "none"],
    ]);
    expect(preview.measures[0]?.reason).toEqual({ kind: "reference", cited: "第（十二）条" });
    // 自治区地方金融监管局 is not a member: named, and the first member the note names (广西证监局) leads.
    expect(preview.measures[0]).toMatchObject({ divisionFrom: "document", dueDate: "2026-12-31", dueDateFrom: "document" });
    expect(preview.measures[0]?.unrecognised).toEqual([{ name: "自治区地方金融监管局", role: "lead", suggested: expect.any(Array), decision: null }]);
    expect(preview.measures.slice(1).every((m) => m.unrecognised.length === 0)).toBe(true);
    expect(preview.measures[0]?.division.map((p) => [p.department, p.role])).toEqual([
      ["450000-CSRC", "lead"],
      ["450000-MOF", "supporting"],
    ]);
    expect(preview.measures[0]?.division[0]?.nameZh).toBe("中国证券监督管理委员会广西监管局");
    expect(preview.measures[1]?.division.map((p) => [p.department, p.role])).toEqual([
      ["450000-PBOC", "lead"],
      ["450000-MIIT", "supporting"],
    ]);
    expect(preview.measures[2]).toMatchObject({ dueDate: "ongoing", dueDateFrom: "document" });
    expect(preview.measures.slice(3).every((m) => m.from === "forwarded" && m.reason === null)).toBe(true);
    expect(preview.unimplemented).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect([preview.matched, preview.local]).toEqual([2, 1]);
    // The preview saved nothing: the forwarding is still pending.
    expect((await guangxi.cascade.pending()).map((p) => p.forwardingId)).toEqual([forwardingId]);

    // A sibling cannot take in Guangxi's forwarding through a document either.
    expect(await refusalOf(() => harness.as("zj-office").cascade.deriveFromDocument({ forwardingId, text: guangxiText }))).toMatchObject({
      refusalCode: "not_forwarded_here",
    });

    // Not recognised and not decided: deriving refuses, naming it, and writes nothing (it was dropped unseen before).
    const undecided = await refusalOf(() => guangxi.cascade.deriveFromDocument({ forwardingId, text: guangxiText }));
    expect(undecided).toMatchObject({ refusalCode: "undecided_departments" });
    expect(undecided.message).toContain("（一）自治区地方金融监管局");
    // A choice for a name the document does not give there, or of a department that is no member: refused, named.
    const wrongName = await refusalOf(() =>
      guangxi.cascade.deriveFromDocument({ forwardingId, text: guangxiText, departmentChoices: [{ measure: 2, name: "自治区地方金融监管局", department: null }] }),
    );
    expect(wrongName).toMatchObject({ refusalCode: "unknown_department_choice" });
    expect(wrongName.message).toContain("（二）自治区地方金融监管局");
    expect(
      await refusalOf(() =>
        guangxi.cascade.matchDocument({ forwardingId, text: guangxiText, departmentChoices: [{ measure: 1, name: "自治区地方金融监管局", department: "330000-MOF" }] }),
      ),
    ).toMatchObject({ refusalCode: "unknown_department_choice" });
    // zod: a choice without a name, or with a measure number that is none, is refused before anything is read.
    expect(
      await refusalOf(() => guangxi.cascade.deriveFromDocument({ forwardingId, text: guangxiText, departmentChoices: [{ measure: 0, name: " ", department: null }] })),
    ).toMatchObject({ refusalCode: "invalid_input" });
    expect((await guangxi.cascade.pending()).map((p) => p.forwardingId)).toEqual([forwardingId]);
    // The preview with a choice shows the division it makes: the member chosen takes the lead the note gives the name.
    const chosen = await guangxi.cascade.matchDocument({
      forwardingId,
      text: guangxiText,
      departmentChoices: [{ measure: 1, name: "自治区地方金融监管局", department: "450000-MOF" }],
    });
    expect(chosen.measures[0]?.division.map((p) => [p.department, p.role])).toEqual([
      ["450000-MOF", "lead"],
      ["450000-CSRC", "supporting"],
    ]);
    expect(chosen.measures[0]?.unrecognised[0]?.decision).toEqual({ kind: "member", department: "450000-MOF" });

    // Left out knowingly: derived, and the decision is in the audit event.
    const leftOut = [{ measure: 1, name: "自治区地方金融监管局", department: null }];
    const made = await guangxi.cascade.deriveFromDocument({ forwardingId, text: guangxiText, departmentChoices: leftOut });
    expect(made).toMatchObject({ measures: 26, matched: 2, local: 1, unimplemented: preview.unimplemented });
    expect(await guangxi.cascade.pending()).toEqual([]);
    const plan = await guangxi.cascade.plan({ planId: made.planId });
    expect(plan.status).toBe("draft");
    expect(plan.measures.map((m) => m.originNumber)).toEqual([12, 9, null, ...preview.unimplemented]);
    expect(plan.measures[0]?.title).toBe("拓宽直接融资渠道");

    // The division as previewed, stored; every measure has its lead, so the plan issues as it is.
    const stored = await harness.store.read(async (repos) => {
      const measures = await repos.cascade.measuresOf([made.planId]);
      const number = new Map(measures.map((m) => [m.id, m.number]));
      return (await repos.cascade.divisionOf([made.planId])).map((r) => [number.get(r.measureId), r.department, r.role]);
    });
    expect(stored.filter((r) => r[0] === 1)).toEqual([
      [1, "450000-CSRC", "lead"],
      [1, "450000-MOF", "supporting"],
    ]);
    expect(stored.filter((r) => r[0] === 3)).toEqual([
      [3, "450000-MOFCOM", "lead"],
      [3, "450000-MIIT", "supporting"],
    ]);
    await guangxi.plan.issue({ planId: made.planId, dueDate: "2026-12-31" });

    const events = await harness.store.read((repos) => repos.auditTrail.page({ planId: made.planId, organisation: { id: "450000", national: false }, limit: 1000 }));
    const derived = events.filter((e) => e.type === "cascade.plan_derived");
    expect(derived).toHaveLength(1);
    expect(JSON.parse(derived[0]?.payload ?? "{}")).toMatchObject({
      document: "pasted",
      matched: 2,
      local: 1,
      measures: 26,
      unimplemented: preview.unimplemented.join(","),
      departmentChoices: "（一）自治区地方金融监管局 → left out",
    });
  });

  it("reads an uploaded .docx and .txt as plan.import does, and refuses a document without measures or a damaged file, writing nothing", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const forwardingId = await forwarded(harness);
    const guangxi = harness.as("gx-office");
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: guangxiText.split("\n").map((p) => new Paragraph({ children: [new TextRun(p)] })) }] }));
    const fromDocx = await guangxi.cascade.matchDocument({ forwardingId, ...file("广西实施方案.docx", docx) });
    expect(fromDocx.source).toEqual({ kind: "docx", name: "广西实施方案.docx" });
    expect(fromDocx.measures.slice(0, 3).map((m) => m.implements?.number ?? null)).toEqual([12, 9, null]);
    const fromTxt = await guangxi.cascade.matchDocument({ forwardingId, ...file("方案.txt", Buffer.from(guangxiText, "utf8")) });
    expect(fromTxt.matched).toBe(2);

    expect(await refusalOf(() => guangxi.cascade.deriveFromDocument({ forwardingId, text: "我区将认真贯彻落实，加强组织领导。" }))).toMatchObject({
      refusalCode: "document_without_measures",
    });
    expect(await refusalOf(() => guangxi.cascade.deriveFromDocument({ forwardingId, ...file("方案.docx", Buffer.from("not a docx")) }))).toMatchObject({
      refusalCode: expect.stringMatching(/invalid_input|unsupported_content_type/),
    });
    expect(await refusalOf(() => harness.as("gx-miit").cascade.matchDocument({ forwardingId, text: guangxiText }))).toMatchObject({ refusalCode: expect.any(String) });
    expect((await guangxi.cascade.pending()).map((p) => p.forwardingId)).toEqual([forwardingId]);

    // The docx derives the same plan as the pasted text; its name is in the audit event. A retry with the same
    // Idempotency-Key answers the first plan and makes no second one.
    const retry = () =>
      createCaller(harness.context(harness.user("gx-office"), { idempotencyKey: `own-document-${engine}` })).cascade.deriveFromDocument({
        forwardingId,
        ...file("广西实施方案.docx", docx),
        departmentChoices: [{ measure: 1, name: "自治区地方金融监管局", department: null }],
      });
    const made = await retry();
    expect(made.matched).toBe(2);
    expect(await retry()).toEqual(made);
    expect(await harness.store.read((repos) => repos.cascade.countImplementationPlans("450000", harness.planId))).toBe(1);
    const events = await harness.store.read((repos) => repos.auditTrail.page({ planId: made.planId, organisation: { id: "450000", national: false }, limit: 1000 }));
    expect(JSON.parse(events.find((e) => e.type === "cascade.plan_derived")?.payload ?? "{}")).toMatchObject({ document: "广西实施方案.docx" });
  });

  it("derives from a document holding a single measure numbered （一）: a department forwarding the one it leads (a new user's trial)", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const forwardingId = await forwarded(harness);
    const guangxi = harness.as("gx-office");
    const text = [
      "自治区商务厅落实《关于健全支持中小企业发展制度的若干意见》分工方案",
      "各有关单位：",
      "现将我厅牵头的措施分工如下。",
      "（一）支持中小企业开拓国际市场。落实《若干意见》第二十条，提高通关便利化水平。（自治区商务厅牵头，自治区财政厅配合）",
      "",
      "附件：",
      "1. 重点企业名单",
    ].join("\n");
    const preview = await guangxi.cascade.matchDocument({ forwardingId, text });
    expect(preview.measures.filter((m) => m.from === "document").map((m) => [m.number, m.label, m.title, m.implements?.number ?? null])).toEqual([
      [1, "（一）", "支持中小企业开拓国际市场", 20],
    ]);
    expect(preview.measures).toHaveLength(1 + 24);
    expect(preview.measures[0]?.division.map((p) => [p.department, p.role])).toEqual([
      ["450000-MOFCOM", "lead"],
      ["450000-MOF", "supporting"],
    ]);
    expect([preview.matched, preview.local]).toEqual([1, 0]);
    // The preview shows the text the plan would hold: nothing from the attachment list after it.
    expect(preview.measures[0]?.text).toBe("支持中小企业开拓国际市场。落实《若干意见》第二十条，提高通关便利化水平。（自治区商务厅牵头，自治区财政厅配合）");

    const made = await guangxi.cascade.deriveFromDocument({ forwardingId, text });
    expect(made).toMatchObject({ measures: 25, matched: 1, local: 0 });
    const plan = await guangxi.cascade.plan({ planId: made.planId });
    expect(plan.measures[0]).toMatchObject({ number: 1, originNumber: 20, title: "支持中小企业开拓国际市场" });
    expect(plan.measures[0]?.text).toBe("支持中小企业开拓国际市场。落实《若干意见》第二十条，提高通关便利化水平。（自治区商务厅牵头，自治区财政厅配合）");
  });

  it("recognises the region's tax bureau as its documents write it (区税务局), and asks which member a customs district means", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const forwardingId = await forwarded(harness);
    const guangxi = harness.as("gx-office");
    const text = [
      "广西壮族自治区贯彻落实《关于健全支持中小企业发展制度的若干意见》实施方案",
      "（一）落实税费优惠政策。落实《若干意见》第七条，全面落实小微企业税收优惠政策。（区税务局、自治区财政厅按职责分工负责）",
      "（二）支持中小企业开拓国际市场。落实《若干意见》第二十条，提高通关便利化水平。（自治区商务厅牵头，南宁海关、人民银行广西区分行配合）",
    ].join("\n");
    const preview = await guangxi.cascade.matchDocument({ forwardingId, text });
    expect(preview.measures[0]?.division.map((p) => [p.department, p.role])).toEqual([
      ["450000-STA", "lead"],
      ["450000-MOF", "supporting"],
    ]);
    expect(preview.measures[0]?.unrecognised).toEqual([]);
    expect(preview.measures[1]?.division.map((p) => [p.department, p.role])).toEqual([
      ["450000-MOFCOM", "lead"],
      ["450000-PBOC", "supporting"],
    ]);
    expect(preview.measures[1]?.unrecognised.map((u) => [u.name, u.role, u.decision])).toEqual([["南宁海关", "supporting", null]]);
    expect(await refusalOf(() => guangxi.cascade.deriveFromDocument({ forwardingId, text }))).toMatchObject({ refusalCode: "undecided_departments" });
    const made = await guangxi.cascade.deriveFromDocument({ forwardingId, text, departmentChoices: [{ measure: 2, name: "南宁海关", department: "450000-MOFCOM" }] });
    const stored = await harness.store.read(async (repos) => {
      const measures = await repos.cascade.measuresOf([made.planId]);
      const number = new Map(measures.map((m) => [m.id, m.number]));
      return (await repos.cascade.divisionOf([made.planId])).filter((r) => number.get(r.measureId) === 2).map((r) => [r.department, r.role]);
    });
    // The customs district chosen as a member already named keeps that member's first part: no department twice.
    expect(stored).toEqual([
      ["450000-MOFCOM", "lead"],
      ["450000-PBOC", "supporting"],
    ]);
    const events = await harness.store.read((repos) => repos.auditTrail.page({ planId: made.planId, organisation: { id: "450000", national: false }, limit: 1000 }));
    expect(JSON.parse(events.find((e) => e.type === "cascade.plan_derived")?.payload ?? "{}")).toMatchObject({ departmentChoices: "（二）南宁海关 → 450000-MOFCOM" });
  });

  it("matches a document that cites nothing against the Chinese translation of the English national plan", async () => {
    h = await createHarness({ engine });
    const harness = h;
    // Measures (1)–(13) in Chinese (titles as the document's, texts short), so the translation aligns by number.
    const titles = [
      "健全中小企业法律法规体系",
      "坚持公平竞争制度",
      "完善中小企业统计监测和发布制度",
      "健全中小企业信用制度",
      "完善公正监管制度",
      "健全精准有效的财政支持制度",
      "建立减轻小微企业税费负担长效机制",
      "强化政府采购支持中小企业政策机制",
      "优化货币信贷传导机制",
      "健全多层次小微企业金融服务体系",
      "强化小微企业金融差异化监管激励机制",
      "健全中小企业直接融资支持制度",
      "完善中小企业融资担保体系",
    ];
    const bodies: Record<number, string> = {
      4: "建立健全中小企业信用信息归集、共享、查询机制，推动中小企业信用评价和信用修复。",
      13: "建立健全政府性融资担保体系，推动融资担保机构降低担保费率，扩大小微企业融资担保业务规模。",
    };
    const numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"];
    const translation = titles.map((t, i) => `（${numerals[i]}）${t}。${bodies[i + 1] ?? "加强政策落实。"}`).join("\n");
    await harness.as("miit").plan.addTranslation({ planId: harness.planId, text: translation });
    const forwardingId = await forwarded(harness);
    const document = [
      "（一）加快全区信用体系建设。按照“健全中小企业信用制度”的要求，依托广西公共信用信息平台开展信用评价。",
      "（二）做大做强政府性融资担保。完善全区政府性融资担保体系，推动各市融资担保机构降低担保费率，扩大小微企业融资担保业务规模。",
    ].join("\n");
    const preview = await harness.as("gx-office").cascade.matchDocument({ forwardingId, text: document });
    expect(preview.measures.slice(0, 2).map((m) => [m.implements?.number, m.reason?.kind])).toEqual([
      [4, "title"],
      [13, "similarity"],
    ]);
    expect(preview.measures[0]?.reason).toEqual({ kind: "title", quoted: "健全中小企业信用制度" });
  });

  it("reads a city's citations of the national opinions through its province's plan", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const forwardingId = await forwarded(harness);
    const guangxi = harness.as("gx-office");
    const gx = (await guangxi.cascade.derive({ forwardingId })).planId;
    await guangxi.plan.issue({ planId: gx, dueDate: "2026-12-31" });
    await guangxi.cascade.forward({ planId: gx, to: ["450100"], measureNumbers: [9, 16], planDeadline: "2026-06-30" });
    const nanning = harness.as("nn-office");
    const [pending] = await nanning.cascade.pending();
    if (pending === undefined) throw new Error("nothing forwarded to Nanning");
    const document = [
      `南宁市贯彻落实《关于健全支持中小企业发展制度的若干意见》（以下简称《若干意见》）实施方案`,
      "（一）建设市级梯度培育库。落实《若干意见》第十六条，每年认定一批市级企业。（市工业和信息化局负责）",
      "（二）推动企业挂牌。落实《若干意见》第十二条，支持企业在区域性股权市场挂牌。（市财政局负责）",
    ].join("\n");
    const preview = await nanning.cascade.matchDocument({ forwardingId: pending.forwardingId, text: document });
    expect(preview.measures.slice(0, 2).map((m) => [m.implements?.number ?? null, m.reason])).toEqual([
      [16, { kind: "reference", cited: "第十六条" }],
      [null, { kind: "none", cited: ["第十二条"], score: expect.any(Number) }],
    ]);
    expect(preview.measures[0]?.division).toEqual([expect.objectContaining({ department: "450100-MIIT", role: "lead" })]);
    expect(preview.unimplemented).toEqual([9]);
  });
});
