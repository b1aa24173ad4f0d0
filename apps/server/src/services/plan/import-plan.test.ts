import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultPlan, maxImportTextBytes, proposedDivision2020, statedDeadlineOf } from "@countersign/domain";
import { createCaller } from "../../router.js";
import { createHarness, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import type { ImportedDraft } from "./import-plan.js";

const source2020 = readFileSync(
  new URL("../../../../../packages/domain/data/opinions-2020-sme-support-system.txt", import.meta.url),
  "utf8",
);

/** What the web client sends after a review without edits: the draft as parsed, the division as proposed. */
function createInputOf(draft: ImportedDraft) {
  return {
    titleEn: draft.language === "en" ? draft.title : "",
    titleZh: draft.language === "zh" ? draft.title : "",
    documentNumber: draft.documentNumber ?? "",
    departments: draft.departments,
    sections: draft.sections.map(({ number, numeral, title }) => ({ number, numeral, title })),
    measures: draft.measures.map(({ number, section, title, text, textCut }) => ({ number, section, title, text, textCut })),
    responsibilities: draft.division.responsibilities,
  };
}

const tiny = {
  titleEn: "Opinions on small things",
  titleZh: "",
  sections: [{ number: 1, numeral: "I", title: "Taxes" }],
  measures: [
    { number: 1, section: 1, title: "Cut taxes", text: "Cut taxes. Reduce the tax burden of small enterprises.", textCut: false },
    { number: 2, section: 1, title: "Count them", text: "Count them. Improve the statistics.", textCut: false },
  ],
  responsibilities: [
    { measureNumber: 1, department: "STA", role: "lead" as const, justification: { kind: "phrase" as const, phrase: "tax burden" } },
    { measureNumber: 1, department: "MOF", role: "supporting" as const },
  ],
};

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe("a new plan from a policy document", () => {
  it("imports the 2020 source, saves it unchanged, and the saved plan is the default plan with the proposed division", async () => {
    const miit = h.as("miit");
    const draft = await miit.plan.import({ text: source2020 });
    expect(draft.language).toBe("en");
    expect(draft.title).toBe(defaultPlan.titleEn);
    expect(draft.sections).toHaveLength(7);
    expect(draft.measures).toHaveLength(25);
    expect(draft.warnings.some((w) => w.kind === "text_cut")).toBe(true);
    expect(draft.leadDepartment).toBe("MIIT");
    expect(draft.departments).toEqual([...defaultPlan.departments]);
    expect(draft.division.measures.find((m) => m.measureNumber === 22)?.responsibilities[0]).toMatchObject({
      department: "CNIPA",
      role: "lead",
      justification: { kind: "phrase" },
    });
    // Pure: nothing saved.
    expect(await miit.catalog.plans()).toHaveLength(1);

    const created = await miit.plan.create(createInputOf(draft));
    expect(created).toMatchObject({ status: "draft", sections: 7, measures: 25, measuresWithoutLead: [] });
    expect(created.planId).not.toBe(h.planId);

    const saved = await miit.catalog.plan({ planId: created.planId });
    const original = await miit.catalog.plan({ planId: h.planId });
    expect(saved.plan).toMatchObject({ status: "draft", titleEn: defaultPlan.titleEn, leadDepartment: "MIIT" });
    expect(saved.sections).toEqual(defaultPlan.sections);
    expect(saved.measures.map(({ number, section, title, text, textCut }) => ({ number, section, title, text, textCut }))).toEqual(
      defaultPlan.measures,
    );
    expect(saved.departments).toEqual(original.departments);
    expect(saved.responsibilities).toEqual(
      draft.division.responsibilities.map(({ measureNumber, department, role, justification }) => ({ measureNumber, department, role, justification })),
    );
    expect(draft.division.responsibilities.every((r) => r.source.kind === "proposed")).toBe(true);
    // The lexicon and the default plan's proposed division agree on who does what (the evidence may quote fewer words).
    // (and on the lead; the supporting departments may be listed in another order).
    const who = (list: typeof saved.responsibilities) =>
      list
        .map(({ measureNumber, department, role }) => `(${measureNumber}) ${role === "lead" ? 0 : 1} ${department}`)
        .sort();
    expect(who(saved.responsibilities)).toEqual(who(original.responsibilities));
    expect(saved.responsibilities).toHaveLength(proposedDivision2020.length);

    const trail = await miit.audit.list({ planId: created.planId });
    expect(trail.rows.map((r) => r.type)).toEqual(["plan.created"]);
    expect(trail.rows[0]).toMatchObject({ actor: { username: "miit", role: "coordinator" }, payload: { measures: 25, sections: 7 } });
  });

  it("the division editor and issuing work on the new plan; the departments find its assignments in their inboxes", async () => {
    const miit = h.as("miit");
    const draft = await miit.plan.import({ text: source2020 });
    const { planId } = await miit.plan.create(createInputOf(draft));
    await miit.plan.setResponsibilities({ planId, measureNumber: 7, lead: "MOF", supporting: ["STA"] });
    const issued = await miit.plan.issue({ planId, dueDate: "2026-12-31" });
    const plan = await miit.catalog.plan({ planId });
    expect(issued.assignments).toBe(plan.responsibilities.length);

    const mof = h.as("mof");
    const inbox = await mof.inbox.list({ planId, limit: 200 });
    const owed = plan.responsibilities.filter((r) => r.department === "MOF");
    expect(inbox.rows.map((r) => r.measureNumber).sort((a, b) => a - b)).toEqual(owed.map((r) => r.measureNumber).sort((a, b) => a - b));
    expect(inbox.rows.every((r) => r.planId === planId && r.status === "assigned" && r.dueDate === "2026-12-31")).toBe(true);
    expect(inbox.rows.find((r) => r.measureNumber === 7)).toMatchObject({ role: "lead" });
    // The default plan, still a draft, has none.
    expect((await mof.inbox.list({ planId: h.planId })).rows).toHaveLength(0);

    const overview = await miit.tracking.overview({ planId });
    expect(overview.measures).toHaveLength(25);
    const matrix = await miit.matrix.get({ planId });
    expect(matrix.matrix.groups).toHaveLength(7);
  });

  it("the title and document number asked for replace the parsed ones; a Chinese text is read as Chinese", async () => {
    const miit = h.as("miit");
    const draft = await miit.plan.import({ text: source2020, title: "Opinions (2020)", documentNumber: "工信部联企业〔2020〕108号" });
    expect(draft).toMatchObject({ title: "Opinions (2020)", documentNumber: "工信部联企业〔2020〕108号" });
    const zh = await miit.plan.import({ text: "关于支持中小企业的意见\n\n一、减轻税费负担\n（一）落实税收优惠政策。加强统计监测。\n" });
    expect(zh.language).toBe("zh");
    expect(zh.measures).toHaveLength(1);
    expect(zh.division.measures[0]?.responsibilities.map((r) => r.department)).toContain("STA");
  });

  it("deadlines the document states become the measures' deadlines: kept by plan.create, applied at issue unless another is given", async () => {
    const miit = h.as("miit");
    const text = [
      "关于支持中小企业的若干措施",
      "一、财税支持",
      "（一）落实税费优惠政策，2030年底前出台实施细则。（财政部牵头，税务总局参与）",
      "（二）加强统计监测，持续推进。（国家统计局负责）",
      "（三）完善公共服务体系，2029年6月底前完成。（工业和信息化部负责）",
      "（四）优化营商环境。（市场监管总局负责）",
      "",
    ].join("\n");
    const draft = await miit.plan.import({ text });
    expect(draft.measures.map((m) => m.deadline?.stated ?? null)).toEqual(["2030年底前", "持续推进", "2029年6月底前完成", null]);
    const { planId } = await miit.plan.create({
      ...createInputOf(draft),
      measures: draft.measures.map(({ number, section, title, text, textCut, deadline }) => ({ number, section, title, text, textCut, statedDeadline: statedDeadlineOf(deadline) })),
      responsibilities: draft.division.responsibilities.map(({ measureNumber, department, role }) => ({ measureNumber, department, role })),
    });
    const saved = await miit.catalog.plan({ planId });
    expect(saved.measures.map((m) => m.statedDeadline)).toEqual([
      { dueDate: "2030-12-31", stated: "2030年底前" },
      { dueDate: "ongoing", stated: "持续推进" },
      { dueDate: "2029-06-30", stated: "2029年6月底前完成" },
      null,
    ]);

    // Measure (3) is given another deadline at issue; (4) states none and takes the plan's.
    await miit.plan.issue({ planId, dueDate: "2027-06-30", dueDates: [{ measureNumber: 3, dueDate: "2028-01-31" }] });
    const overview = await miit.tracking.overview({ planId });
    expect(overview.measures).toHaveLength(4);
    const due = async (user: string, measureNumber: number) =>
      (await h.as(user).inbox.list({ planId, limit: 50 })).rows.find((r) => r.measureNumber === measureNumber)?.dueDate;
    expect(await due("mof", 1)).toBe("2030-12-31");
    expect(await due("sta", 1)).toBe("2030-12-31");
    expect(await due("nbs", 2)).toBe("ongoing");
    expect(await due("miit-liaison", 3)).toBe("2028-01-31");
    expect(await due("samr", 4)).toBe("2027-06-30");
  });

  it("a stated deadline already past is refused at issue unless confirmed as back-dated or replaced", async () => {
    const miit = h.as("miit");
    const draft = await miit.plan.import({
      text: "关于支持中小企业的若干措施\n\n一、财税支持\n（一）落实税费优惠政策，2021年底前出台实施细则。（财政部负责）\n（二）加强统计监测。（国家统计局负责）\n",
    });
    expect(draft.measures.map((m) => m.deadline?.stated ?? null)).toEqual(["2021年底前", null]);
    // Warned at the import already, on the day of the import (the harness's clock), pointing at the measure.
    expect(draft.warnings.filter((w) => w.kind === "deadline_past").map((w) => w.measure)).toEqual([1]);
    const input = {
      ...createInputOf(draft),
      measures: draft.measures.map(({ number, section, title, text, textCut, deadline }) => ({ number, section, title, text, textCut, statedDeadline: statedDeadlineOf(deadline) })),
      responsibilities: draft.division.responsibilities.map(({ measureNumber, department, role }) => ({ measureNumber, department, role })),
    };
    const first = await miit.plan.create(input);
    const refused = await refusalOf(() => miit.plan.issue({ planId: first.planId, dueDate: "2027-06-30" }));
    expect(refused).toMatchObject({ code: "BAD_REQUEST", refusalCode: "deadline_in_past", field: "dueDates" });
    expect(refused.message).toContain("2021年底前");
    await miit.plan.issue({ planId: first.planId, dueDate: "2027-06-30", backdated: true });
    expect((await h.as("mof").inbox.list({ planId: first.planId })).rows[0]?.dueDate).toBe("2021-12-31");
    expect((await h.as("nbs").inbox.list({ planId: first.planId })).rows[0]?.dueDate).toBe("2027-06-30");

    const second = await miit.plan.create({ ...input, titleZh: "另一个方案" });
    await miit.plan.issue({ planId: second.planId, dueDate: "2027-06-30", dueDates: [{ measureNumber: 1, dueDate: "2027-03-31" }] });
    expect((await h.as("mof").inbox.list({ planId: second.planId })).rows[0]?.dueDate).toBe("2027-03-31");
  });

  it("a measure may stay without a lead in a draft, but the plan cannot be issued until each has one", async () => {
    const miit = h.as("miit");
    const created = await miit.plan.create(tiny);
    expect(created.measuresWithoutLead).toEqual([2]);
    const saved = await miit.catalog.plan({ planId: created.planId });
    expect(saved.responsibilities).toEqual([
      { measureNumber: 1, department: "STA", role: "lead", justification: { kind: "phrase", phrase: "tax burden" } },
      { measureNumber: 1, department: "MOF", role: "supporting", justification: null },
    ]);
    const refused = await refusalOf(() => miit.plan.issue({ planId: created.planId, dueDate: "ongoing" }));
    expect(refused).toMatchObject({ code: "PRECONDITION_FAILED", refusalCode: "measure_without_lead" });
    expect(refused.message).toContain("(2)");
    expect(refused.message).not.toContain("(1)");

    await miit.plan.setResponsibilities({ planId: created.planId, measureNumber: 2, lead: "NBS", supporting: [] });
    expect(await miit.plan.issue({ planId: created.planId, dueDate: "ongoing" })).toMatchObject({ assignments: 3 });
    expect((await h.as("nbs").inbox.list({ planId: created.planId })).rows).toMatchObject([{ measureNumber: 2, role: "lead" }]);
  });

  it("a retried plan.create with the same Idempotency-Key answers the first plan and creates no second one", async () => {
    const retry = () => createCaller(h.context(h.user("miit"), { idempotencyKey: "create-tiny-1" }));
    const first = await retry().plan.create(tiny);
    const again = await retry().plan.create(tiny);
    expect(again).toEqual(first);
    expect(await h.as("miit").catalog.plans()).toHaveLength(2);
    expect(await refusalOf(() => retry().plan.create({ ...tiny, titleEn: "Another plan" }))).toMatchObject({
      refusalCode: "idempotency_key_reused",
    });
  });

  it("refuses a liaison or an observer, and bad input, with the field at fault", async () => {
    for (const who of ["mof", "observer"]) {
      expect(await refusalOf(() => h.as(who).plan.import({ text: source2020 }))).toMatchObject({ code: "FORBIDDEN", refusalCode: "forbidden_role" });
      expect(await refusalOf(() => h.as(who).plan.create(tiny))).toMatchObject({ code: "FORBIDDEN", refusalCode: "forbidden_role" });
    }
    expect(await refusalOf(() => h.anonymous().plan.import({ text: source2020 }))).toMatchObject({ code: "UNAUTHORIZED" });
    const miit = h.as("miit");
    expect(await refusalOf(() => miit.plan.import({ text: "x".repeat(maxImportTextBytes + 1) }))).toMatchObject({
      code: "BAD_REQUEST",
      refusalCode: "invalid_input",
      field: "text",
    });
    expect(await refusalOf(() => miit.plan.import({ text: "   " }))).toMatchObject({ code: "BAD_REQUEST", field: "text" });

    const cases: Array<[string, Record<string, unknown>, { refusalCode: string; field: string }]> = [
      ["no title", { titleEn: " " }, { refusalCode: "invalid_input", field: "titleEn" }],
      [
        "two measures with one number",
        { measures: [tiny.measures[0], { ...tiny.measures[1], number: 1 }] },
        { refusalCode: "invalid_input", field: "measures[1].number" },
      ],
      [
        "a section that does not exist",
        { measures: [tiny.measures[0], { ...tiny.measures[1], section: 2 }] },
        { refusalCode: "invalid_input", field: "measures[1].section" },
      ],
      [
        "two leads",
        { responsibilities: [...tiny.responsibilities, { measureNumber: 1, department: "NBS", role: "lead" }] },
        { refusalCode: "invalid_input", field: "responsibilities[2].role" },
      ],
      [
        "an unknown department",
        { responsibilities: [{ measureNumber: 1, department: "XYZ", role: "lead" }] },
        { refusalCode: "unknown_department", field: "responsibilities[0].department" },
      ],
      [
        "a department outside the plan",
        { departments: ["MIIT", "STA"] },
        { refusalCode: "invalid_input", field: "responsibilities[1].department" },
      ],
      [
        "a department listed twice on a measure",
        { responsibilities: [...tiny.responsibilities, { measureNumber: 1, department: "MOF", role: "supporting" }] },
        { refusalCode: "invalid_input", field: "responsibilities[2].department" },
      ],
      [
        "a responsibility for a measure that does not exist",
        { responsibilities: [{ measureNumber: 9, department: "MOF", role: "lead" }] },
        { refusalCode: "invalid_input", field: "responsibilities[0].measureNumber" },
      ],
      [
        "evidence the measure does not contain",
        { responsibilities: [{ measureNumber: 2, department: "NBS", role: "lead", justification: { kind: "phrase", phrase: "customs" } }] },
        { refusalCode: "invalid_input", field: "responsibilities[0].justification" },
      ],
      ["no sections", { sections: [] }, { refusalCode: "invalid_input", field: "sections" }],
      ["a bad role", { responsibilities: [{ measureNumber: 1, department: "MOF", role: "owner" }] }, { refusalCode: "invalid_input", field: "responsibilities[0].role" }],
      ["an unknown lead ministry", { leadDepartment: "ABC" }, { refusalCode: "unknown_department", field: "leadDepartment" }],
    ];
    for (const [what, change, expected] of cases) {
      // Deliberately malformed input, as any client could send it.
      const input = { ...tiny, ...change } as typeof tiny;
      const refusal = await refusalOf(() => miit.plan.create(input));
      expect({ what, code: refusal.code, refusalCode: refusal.refusalCode, field: refusal.field }).toEqual({ what, code: "BAD_REQUEST", ...expected });
    }
    // Nothing was saved by any refused call.
    expect(await miit.catalog.plans()).toHaveLength(1);
  });
});
