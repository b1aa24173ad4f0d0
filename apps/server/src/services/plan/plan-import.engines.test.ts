/**
 * plan.import and plan.create on the store seam (issue 13), on SQLite and on PostgreSQL alike: a .docx of the 2020
 * opinions read and saved as a new draft whose rows are the document's, issued on the engine; units of the register
 * named for the first time join with the plan; a bad file or a bad draft refused clearly with nothing written.
 */
import { readFileSync } from "node:fs";
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from "docx";
import { afterEach, describe, expect, it } from "vitest";
import { defaultPlan } from "@countersign/domain";
import { createCaller } from "../../router.js";
import { createHarness, harnessEngines, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

const source2020 = readFileSync(new URL("../../../../../packages/domain/data/opinions-2020-sme-support-system.txt", import.meta.url), "utf8");
const file = (name: string, bytes: Uint8Array | Buffer) => ({ file: { name, contentBase64: Buffer.from(bytes).toString("base64") } });

async function docxOf(paragraphs: string[], table?: string[][]): Promise<Buffer> {
  const children: Array<Paragraph | Table> = paragraphs.map((p) => new Paragraph({ children: [new TextRun(p)] }));
  if (table) {
    children.push(new Table({ rows: table.map((row) => new TableRow({ children: row.map((cell) => new TableCell({ children: [new Paragraph(cell)] })) })) }));
  }
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

/** A task-division table naming 教育部 (MOE) and 国家发展改革委 (NDRC): MOE is a unit of the register the seed lacks. */
const divisionRows = [
  ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
  ["1", "落实税费优惠政策", "财政部、税务总局", "", "2030年底前"],
  ["2", "加强职业教育", "教育部", "人力资源社会保障部", "持续推进"],
];

type Draft = Awaited<ReturnType<ReturnType<Harness["as"]>["plan"]["import"]>>;

/** What the web client sends after a review without edits: the draft as read, the division as proposed. */
function createInputOf(draft: Draft) {
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

describe.each(harnessEngines)("plan.import and plan.create on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  const plansOf = (harness: Harness) => harness.store.read(async (repos) => (await repos.catalog.planPage({ limit: 100 })).map((p) => p.id));
  const latestEvents = (harness: Harness, limit: number) =>
    harness.store.read(async (repos) => (await repos.auditTrail.page({ organisation: { id: "CN", national: true }, limit })).map((e) => ({ type: e.type, planId: e.planId })));

  it("reads a .docx of the 2020 opinions, saves the draft as a new plan whose rows are the document's, and issues it", { timeout: 60_000 }, async () => {
    h = await createHarness({ engine });
    const harness = h;
    const miit = harness.as("miit");
    const draft = await miit.plan.import(file("opinions-2020.docx", await docxOf(source2020.split("\n"))));
    expect(draft.source).toEqual({ kind: "docx", name: "opinions-2020.docx" });
    expect(draft.title).toBe(defaultPlan.titleEn);
    expect(draft.measures).toHaveLength(25);
    expect(draft.leadDepartment).toBe("MIIT");
    expect(draft.departments).toEqual([...defaultPlan.departments]);
    // Reading saves nothing.
    expect(await plansOf(harness)).toEqual([harness.planId]);

    const created = await miit.plan.create(createInputOf(draft));
    expect(created).toMatchObject({ status: "draft", sections: 7, measures: 25, measuresWithoutLead: [] });
    const planId = created.planId;
    const stored = await harness.store.read(async (repos) => ({
      plan: await repos.catalog.plan(planId),
      members: await repos.catalog.planMemberDepartments(planId),
      sections: await repos.catalog.sections(planId),
      measures: await repos.catalog.measures(planId),
      responsibilities: await repos.catalog.responsibilities(planId),
    }));
    expect(stored.plan).toMatchObject({ key: created.key, status: "draft", titleEn: defaultPlan.titleEn, leadDepartment: "MIIT", organisationId: "CN" });
    expect(stored.members).toEqual([...defaultPlan.departments]);
    expect(stored.sections).toEqual(defaultPlan.sections.map(({ number, numeral, title }) => ({ number, numeral, title })));
    expect(stored.measures.map(({ number, sectionNumber, title, text, textCut }) => ({ number, section: sectionNumber, title, text, textCut }))).toEqual(
      defaultPlan.measures.map(({ number, section, title, text, textCut }) => ({ number, section, title, text, textCut })),
    );
    // Each measure's division as proposed, the lead first; the evidence (jsonb on PostgreSQL) comes back as sent.
    const proposed = draft.division.responsibilities;
    const byMeasure = <R extends { measureNumber: number; role: string }>(list: readonly R[]): R[] =>
      [...list].sort((a, b) => a.measureNumber - b.measureNumber || (a.role === "lead" ? -1 : 0) - (b.role === "lead" ? -1 : 0));
    expect(stored.responsibilities).toEqual(
      byMeasure(proposed).map(({ measureNumber, department, role, justification }) => ({ measureNumber, department, role, justification: justification ?? null })),
    );
    expect((await latestEvents(harness, 1))[0]).toEqual({ type: "plan.created", planId });

    const issued = await miit.plan.issue({ planId, dueDate: "ongoing" });
    expect(issued).toEqual({ planId, status: "issued", assignments: proposed.length });
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });

  it("a unit of the register named for the first time joins with the plan; a retry with the same Idempotency-Key answers the first plan", async () => {
    h = await createHarness({ engine });
    const harness = h;
    expect(await harness.store.read((repos) => repos.departmentRegister.find("MOE"))).toBeUndefined();
    const draft = await harness.as("miit").plan.import(file("分工.docx", await docxOf(["关于促进中小企业发展的任务分工"], divisionRows)));
    expect(draft.departments).toEqual(expect.arrayContaining(["MOE", "MOF", "STA", "MOHRSS"]));
    const input = { ...createInputOf(draft), sections: [{ number: 1, numeral: "一", title: "任务" }], measures: draft.measures.map(({ number, title, text, textCut }) => ({ number, section: 1, title, text, textCut })) };
    const retry = () => createCaller(harness.context(harness.user("miit"), { idempotencyKey: `division-${engine}` })).plan.create(input);
    const created = await retry();
    expect(await retry()).toEqual(created);
    expect(await plansOf(harness)).toEqual(expect.arrayContaining([harness.planId, created.planId]));
    expect(await plansOf(harness)).toHaveLength(2);

    const moe = await harness.store.read((repos) => repos.departmentRegister.find("MOE"));
    expect(moe).toMatchObject({ code: "MOE", nameZh: "教育部", kind: "ministry", retiredOn: null, organisationId: "CN" });
    const events = await latestEvents(harness, 10);
    const createdAt = events.findIndex((e) => e.type === "plan.created");
    expect(events[createdAt]).toEqual({ type: "plan.created", planId: created.planId });
    // Newest first: the department joined before the plan was written, in the same unit of work.
    expect(events.slice(createdAt + 1).some((e) => e.type === "department.added")).toBe(true);
    expect(events.filter((e) => e.type === "plan.created")).toHaveLength(1);
    const division = await harness.store.read((repos) => repos.catalog.responsibilities(created.planId));
    expect(division.map((r) => [r.measureNumber, r.department, r.role])).toEqual([
      [1, "MOF", "lead"],
      [1, "STA", "supporting"],
      [2, "MOE", "lead"],
      [2, "MOHRSS", "supporting"],
    ]);
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });

  it("two plans created at once through two instances, both naming a new register unit: both saved, the unit added once", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const other = await harness.anotherStore();
    try {
      const draft = (n: number) => ({
        titleEn: `Opinions ${n}`,
        titleZh: "",
        departments: ["MIIT", "MOF", "MOE"],
        sections: [{ number: 1, numeral: "I", title: "Schools" }],
        measures: [{ number: 1, section: 1, title: "Train", text: "Train the staff of small enterprises.", textCut: false }],
        responsibilities: [{ measureNumber: 1, department: "MOE", role: "lead" as const }],
      });
      const results = await Promise.all([
        harness.as("miit").plan.create(draft(1)),
        createCaller(harness.context(harness.user("miit"), { store: other.store })).plan.create(draft(2)),
      ]);
      expect(results.map((r) => r.status)).toEqual(["draft", "draft"]);
      expect(await plansOf(harness)).toHaveLength(3);
      const events = await latestEvents(harness, 10);
      expect(events.filter((e) => e.type === "plan.created")).toHaveLength(2);
      expect(events.filter((e) => e.type === "department.added")).toHaveLength(1);
      expect((await harness.store.verifyAuditChain()).ok).toBe(true);
    } finally {
      await other.close();
    }
  });

  it("a province's office imports among its own departments and its plan is its organisation's (issue 16)", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const zhejiang = harness.as("zj-office");
    const draft = await zhejiang.plan.import({ text: "浙江省中小企业工作要点\n一、总体要求\n（一）优化中小企业服务。（省财政厅负责）" });
    expect(draft.departments.length).toBeGreaterThan(0);
    expect(draft.departments.every((code) => code.startsWith("330000-"))).toBe(true);
    expect(draft.leadDepartment.startsWith("330000-")).toBe(true);
    // One heading over one measure: read as such, not as a measure "一、" holding the heading (a new user's trial).
    expect(draft.sections.map((s) => [s.numeral, s.title])).toEqual([["一", "总体要求"]]);
    expect(draft.measures.map((m) => [m.number, m.section, m.text])).toEqual([[1, 1, "优化中小企业服务。（省财政厅负责）"]]);
    // The note is read against the province's own departments (省财政厅 → 330000-MOF), as deriving from its document
    // reads it; against the central register it was "not in the register", closest 财政部, which is no column here.
    expect(draft.division.measures[0]?.responsibilities.map((r) => [r.department, r.role, r.source.kind])).toEqual([["330000-MOF", "lead", "stated"]]);
    expect(draft.division.measures[0]?.unresolved).toEqual([]);
    // A measure stating nothing: the lexicon's proposal among the province's departments (it proposed MIIT, no
    // department of the province's plan: saving it was refused "There is no department MIIT").
    const unstated = await zhejiang.plan.import({ text: "（一）推进中小企业数字化转型。加强专精特新企业培育。\n\n附件：1. 试点名单\n" });
    expect(unstated.division.responsibilities.map((r) => [r.department, r.role, r.source.kind])).toEqual([["330000-MIIT", "lead", "proposed"]]);
    const proposed = await zhejiang.plan.create({
      titleEn: "",
      titleZh: "浙江省推进中小企业数字化转型的通知",
      sections: [{ number: 1, numeral: "一", title: "数字化转型" }],
      measures: [{ number: 1, section: 1, title: "推进中小企业数字化转型", text: unstated.measures[0]?.text ?? "", textCut: false }],
      responsibilities: unstated.division.responsibilities.map((r) => ({ measureNumber: r.measureNumber, department: r.department, role: r.role })),
    });
    expect(proposed.planId).toBeGreaterThan(0);
    // A document holding one measure and nothing else yields that measure.
    const single = await zhejiang.plan.import({ text: "（一）优化中小企业服务。（省财政厅负责）" });
    expect(single.measures.map((m) => [m.number, m.title])).toEqual([[1, "优化中小企业服务"]]);
    const own = { titleEn: "", titleZh: "浙江省中小企业工作要点", sections: [{ number: 1, numeral: "一", title: "总体要求" }], measures: [{ number: 1, section: 1, title: "优化服务", text: "优化中小企业服务。", textCut: false }] };
    // A national department is not one of the province's: refused, nothing written.
    expect(await refusalOf(() => zhejiang.plan.create({ ...own, responsibilities: [{ measureNumber: 1, department: "MOF", role: "lead" }] }))).toMatchObject({ refusalCode: "unknown_department" });
    const created = await zhejiang.plan.create({ ...own, responsibilities: [{ measureNumber: 1, department: "330000-MOF", role: "lead" }] });
    const stored = await harness.store.read(async (repos) => ({ plan: await repos.catalog.plan(created.planId), members: await repos.catalog.planMemberDepartments(created.planId) }));
    expect(stored.plan).toMatchObject({ organisationId: "330000", leadDepartment: draft.leadDepartment });
    expect(stored.members).toEqual(draft.departments);
    expect(await plansOf(harness)).toEqual(expect.arrayContaining([harness.planId, created.planId]));
  });

  it("refuses a bad file with a clear error on the field file, and writes nothing", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const miit = harness.as("miit");
    const before = await harness.store.dataVersion();
    const docx = await docxOf(source2020.split("\n").slice(0, 40));
    const damaged = await refusalOf(() => miit.plan.import(file("broken.docx", docx.subarray(0, Math.floor(docx.length / 2)))));
    expect(damaged).toMatchObject({ code: "BAD_REQUEST", field: "file" });
    expect(damaged.message).toMatch(/cannot be read/);
    const cfb = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)]);
    const encrypted = await refusalOf(() => miit.plan.import(file("locked.docx", cfb)));
    expect(encrypted).toMatchObject({ code: "BAD_REQUEST", field: "file" });
    expect(encrypted.message).toMatch(/password-protected/);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect(await refusalOf(() => miit.plan.import(file("picture.docx", png)))).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", field: "file" });
    const letter = await docxOf(["关于召开会议的通知", "请各单位准时参加。"]);
    const noMeasures = await refusalOf(() => miit.plan.import(file("letter.docx", letter)));
    expect(noMeasures).toMatchObject({ code: "BAD_REQUEST", field: "file" });
    expect(noMeasures.message).toMatch(/No measure or task was found/);
    expect(await plansOf(harness)).toEqual([harness.planId]);
    expect(await harness.store.dataVersion()).toBe(before);
    // A liaison may not import at all: the refusal is the only thing written (access.refused, its own unit of work).
    expect(await refusalOf(() => harness.as("mof").plan.import({ text: source2020 }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await latestEvents(harness, 1)).toEqual([{ type: "access.refused", planId: null }]);
    expect(await plansOf(harness)).toEqual([harness.planId]);
  });

  it("refuses a bad draft with the field at fault and rolls back all of it, the register unit it named too", async () => {
    h = await createHarness({ engine });
    const harness = h;
    const miit = harness.as("miit");
    const before = await harness.store.dataVersion();
    const tiny = {
      titleEn: "Opinions on small things",
      titleZh: "",
      departments: ["MIIT", "MOF", "MOE"],
      sections: [{ number: 1, numeral: "I", title: "Taxes" }],
      measures: [{ number: 1, section: 1, title: "Cut taxes", text: "Cut taxes. Reduce the tax burden of small enterprises.", textCut: false }],
      responsibilities: [
        { measureNumber: 1, department: "MOF", role: "lead" as const, justification: { kind: "phrase" as const, phrase: "tax burden" } },
        { measureNumber: 1, department: "MOE", role: "supporting" as const },
      ],
    };
    // MOE (a register unit) joins before the plan's rules are checked: the refusal after takes it back with the rest.
    const offPlan = await refusalOf(() => miit.plan.create({ ...tiny, responsibilities: [...tiny.responsibilities, { measureNumber: 2, department: "MOF", role: "lead" as const }] }));
    expect(offPlan).toMatchObject({ code: "BAD_REQUEST", refusalCode: "invalid_input", field: "responsibilities[2].measureNumber" });
    const notInText = await refusalOf(() =>
      miit.plan.create({ ...tiny, responsibilities: [{ measureNumber: 1, department: "MOF", role: "lead" as const, justification: { kind: "phrase" as const, phrase: "customs" } }] }),
    );
    expect(notInText).toMatchObject({ code: "BAD_REQUEST", field: "responsibilities[0].justification" });
    expect(await refusalOf(() => miit.plan.create({ ...tiny, departments: ["MIIT", "XYZ"] }))).toMatchObject({ refusalCode: "unknown_department", field: "departments[1]" });
    expect(await harness.store.read((repos) => repos.departmentRegister.find("MOE"))).toBeUndefined();
    expect(await plansOf(harness)).toEqual([harness.planId]);
    expect(await harness.store.dataVersion()).toBe(before);
    expect(await refusalOf(() => harness.as("mof").plan.create(tiny))).toMatchObject({ code: "FORBIDDEN" });
    expect(await harness.store.read((repos) => repos.departmentRegister.find("MOE"))).toBeUndefined();

    // The same draft, put right, saves: a lead missing is allowed in a draft and reported.
    const saved = await miit.plan.create(tiny);
    expect(saved).toMatchObject({ status: "draft", sections: 1, measures: 1, responsibilities: 2, measuresWithoutLead: [] });
    expect(await harness.store.read((repos) => repos.departmentRegister.find("MOE"))).toMatchObject({ code: "MOE" });
    expect((await harness.store.verifyAuditChain()).ok).toBe(true);
  });
});
