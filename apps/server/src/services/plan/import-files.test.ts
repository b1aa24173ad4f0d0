/**
 * plan.import with files, each generated here with a library (docx for .docx, exceljs for .xlsx, Chromium through
 * @countersign/exports and pdf-lib for .pdf), never committed binaries: text and tables in, the same draft out; the
 * project's own division.xlsx export imports back to the same measures, departments and roles; and every bad input
 * gets a clear error, with nothing saved.
 */
import { readFileSync } from "node:fs";
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from "docx";
import ExcelJS from "exceljs";
import { PDFDocument, rgb } from "pdf-lib";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  buildDivisionTable,
  buildResponsibilityMatrix,
  defaultPlan,
  departments,
  maxImportFileBytes,
  proposedDivision2020,
} from "@countersign/domain";
import { closePdfRenderer, escapeHtml, htmlToPdf, renderDivisionXlsx } from "@countersign/exports";
import { createHarness, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";

const statedNotes = readFileSync(new URL("../../../../../packages/domain/src/import/fixtures/zh-stated-notes.txt", import.meta.url), "utf8");
const file = (name: string, bytes: Uint8Array | Buffer) => ({ file: { name, contentBase64: Buffer.from(bytes).toString("base64") } });

/** Per measure: department:role:source, for comparing drafts. */
type Draft = Awaited<ReturnType<ReturnType<Harness["as"]>["plan"]["import"]>>;
const roles = (d: Draft) => d.division.measures.map((m) => m.responsibilities.map((r) => `${r.department}:${r.role}:${r.source.kind}`).join(" "));

async function docxOf(paragraphs: string[], table?: string[][]): Promise<Buffer> {
  const children: Array<Paragraph | Table> = paragraphs.map((p) => new Paragraph({ children: [new TextRun(p)] }));
  if (table) {
    children.push(
      new Table({ rows: table.map((row) => new TableRow({ children: row.map((cell) => new TableCell({ children: [new Paragraph(cell)] })) })) }),
    );
  }
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

async function xlsxOf(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("任务分工");
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());
afterAll(async () => {
  await closePdfRenderer();
});

const divisionRows = [
  ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
  ["1", "落实税费优惠政策", "财政部、税务总局", "", "2021年底前"],
  ["2", "加强职业教育", "教育部", "人力资源社会保障部、各地区", "持续推进"],
  ["3", "清理拖欠账款", "国家中小企业发展局", "最高人民法院", "2022年6月30日"],
];

describe("plan.import with files", () => {
  it("reads a .docx of a document to the same draft as its text, and a .docx with a task-division table", async () => {
    const miit = h.as("miit");
    const fromText = await miit.plan.import({ text: statedNotes });
    const fromDocx = await miit.plan.import(file("措施.docx", await docxOf(statedNotes.split("\n"))));
    expect(fromDocx.source).toEqual({ kind: "docx", name: "措施.docx" });
    expect(fromDocx.measures.map((m) => m.text)).toEqual(fromText.measures.map((m) => m.text));
    expect(roles(fromDocx)).toEqual(roles(fromText));
    for (const m of fromDocx.measures) expect(fromDocx.sourceText?.slice(m.textSpan.start, m.textSpan.end)).toBe(m.text);

    const table = await miit.plan.import(file("分工.docx", await docxOf(["关于促进中小企业发展的任务分工"], divisionRows)));
    expect(table.title).toBe("关于促进中小企业发展的任务分工");
    expect(table.measures.map((m) => [m.title, m.deadline?.kind === "date" ? m.deadline.date : (m.deadline?.kind ?? null)])).toEqual([
      ["落实税费优惠政策", "2021-12-31"],
      ["加强职业教育", "ongoing"],
      ["清理拖欠账款", "2022-06-30"],
    ]);
    expect(roles(table)).toEqual(["MOF:lead:stated STA:supporting:stated", "MOE:lead:stated MOHRSS:supporting:stated LOCAL:supporting:stated", "SPC:supporting:stated"]);
    // An unknown department is shown with the closest register entries, never dropped.
    const unknown = table.division.measures[2]?.unresolved[0];
    expect(unknown?.name).toBe("国家中小企业发展局");
    expect(unknown?.closest.length).toBeGreaterThan(0);
    expect(table.warnings.some((w) => w.kind === "unknown_department" && w.message.includes("国家中小企业发展局"))).toBe(true);
    expect(table.departments).toEqual(expect.arrayContaining(["MOE", "LOCAL", "SPC"]));
  });

  it("reads .xlsx and .csv task-division tables (English column names too)", async () => {
    const miit = h.as("miit");
    const xlsx = await miit.plan.import(file("分工.xlsx", await xlsxOf(divisionRows)));
    expect(xlsx.source.kind).toBe("xlsx");
    // A table's division saves: its evidence is the table's cell, not a phrase of the task.
    const created = await miit.plan.create({
      titleEn: "",
      titleZh: "分工",
      departments: xlsx.departments,
      sections: [{ number: 1, numeral: "一", title: "任务" }],
      measures: xlsx.measures.map(({ number, title, text, textCut }) => ({ number, section: 1, title, text, textCut })),
      responsibilities: xlsx.division.responsibilities.map(({ measureNumber, department, role, justification }) => ({ measureNumber, department, role, justification })),
    });
    expect(created.responsibilities).toBe(xlsx.division.responsibilities.length);
    expect(roles(xlsx)).toEqual(["MOF:lead:stated STA:supporting:stated", "MOE:lead:stated MOHRSS:supporting:stated LOCAL:supporting:stated", "SPC:supporting:stated"]);
    const csv = "No.,Task,Lead department,Supporting departments,Deadline\n1,Cut taxes,MOF,\"STA, MOFCOM\",By 2021-12-31\n2,Count them,NBS,,ongoing\n";
    const fromCsv = await miit.plan.import(file("division.csv", Buffer.from(csv)));
    expect(fromCsv.source.kind).toBe("csv");
    expect(roles(fromCsv)).toEqual(["MOF:lead:stated STA:supporting:stated MOFCOM:supporting:stated", "NBS:lead:stated"]);
    expect(fromCsv.measures.map((m) => m.deadline?.kind)).toEqual(["date", "ongoing"]);
  });

  it("round trip: the project's own division.xlsx export (zh and en) imports back to the same measures, departments and roles", async () => {
    const miit = h.as("miit");
    const matrix = buildResponsibilityMatrix({ plan: defaultPlan, departments, responsibilities: proposedDivision2020 });
    for (const lang of ["zh", "en"] as const) {
      const rows = buildDivisionTable(matrix, lang, new Map([[1, "2021-12-31"], [2, "ongoing"]]));
      const xlsx = await renderDivisionXlsx(rows, { lang, title: lang === "zh" ? "任务分工表" : "Task division" });
      const draft = await miit.plan.import(file(`division-${lang}.xlsx`, xlsx));
      expect(draft.measures.map((m) => m.text)).toEqual(defaultPlan.measures.map((m) => m.title));
      const back = draft.division.responsibilities.map((r) => `${r.measureNumber}:${r.department}:${r.role}`).sort();
      const original = proposedDivision2020.map((r) => `${r.measureNumber}:${r.department}:${r.role}`).sort();
      expect(back).toEqual(original);
      expect(draft.division.measures.flatMap((m) => m.unresolved)).toEqual([]);
      expect(draft.measures[0]?.deadline).toMatchObject({ kind: "date", date: "2021-12-31" });
      expect(draft.measures[1]?.deadline).toMatchObject({ kind: "ongoing" });
    }
  });

  it("reads a .pdf with a text layer (printed by Chromium), and refuses a scan without one", async () => {
    const miit = h.as("miit");
    const html = `<!doctype html><html lang="zh"><body>${statedNotes
      .split("\n")
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join("")}</body></html>`;
    const pdf = await htmlToPdf(html);
    const draft = await miit.plan.import(file("措施.pdf", pdf));
    expect(draft.source.kind).toBe("pdf");
    expect(draft.measures).toHaveLength(8);
    expect(roles(draft).slice(0, 2)).toEqual(["MOF:lead:stated STA:supporting:stated", "MIIT:lead:stated MOF:supporting:stated PBOC:supporting:stated NAFR:supporting:stated"]);

    const scan = await PDFDocument.create();
    scan.addPage([595, 842]).drawRectangle({ x: 50, y: 50, width: 400, height: 600, color: rgb(0.8, 0.8, 0.8) });
    const scanned = await scan.save();
    const refused = await refusalOf(() => miit.plan.import(file("scan.pdf", scanned)));
    expect(refused).toMatchObject({ code: "BAD_REQUEST", field: "file" });
    expect(refused.message).toMatch(/no text layer.*OCR/);
  });

  it("refuses bad files clearly: over the limit, wrong type, encrypted, damaged, a table without the columns; nothing saved", async () => {
    const miit = h.as("miit");
    const plansBefore = (await miit.catalog.plans()).length;
    const over = await refusalOf(() => miit.plan.import({ file: { name: "big.docx", contentBase64: "A".repeat(Math.ceil(maxImportFileBytes / 3) * 4 + 4) } }));
    expect(over).toMatchObject({ code: "BAD_REQUEST", refusalCode: "invalid_input", field: "file.contentBase64" });
    const notBase64 = await refusalOf(() => miit.plan.import({ file: { name: "a.docx", contentBase64: "not base64!" } }));
    expect(notBase64).toMatchObject({ code: "BAD_REQUEST", field: "file.contentBase64" });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect(await refusalOf(() => miit.plan.import(file("picture.docx", png)))).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", field: "file" });
    const cfb = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)]);
    const encrypted = await refusalOf(() => miit.plan.import(file("locked.xlsx", cfb)));
    expect(encrypted).toMatchObject({ code: "BAD_REQUEST", field: "file" });
    expect(encrypted.message).toMatch(/password-protected/);
    const docx = await docxOf(["一、总则", "（一）加强协调。（财政部负责）"]);
    const damaged = await refusalOf(() => miit.plan.import(file("broken.docx", docx.subarray(0, Math.floor(docx.length / 2)))));
    expect(damaged).toMatchObject({ code: "BAD_REQUEST", field: "file" });
    expect(damaged.message).toMatch(/cannot be read/);
    const sheet = await xlsxOf([["Name", "Amount"], ["a", "1"]]);
    const noColumns = await refusalOf(() => miit.plan.import(file("sheet.xlsx", sheet)));
    expect(noColumns).toMatchObject({ code: "BAD_REQUEST", field: "file" });
    expect(noColumns.message).toMatch(/needs 重点任务 \(Task\) and 牵头单位 \(Lead\)/);
    const both = await refusalOf(() => miit.plan.import({ text: "一、总则", ...file("a.txt", Buffer.from("x")) }));
    expect(both).toMatchObject({ code: "BAD_REQUEST", field: "text" });
    expect((await miit.catalog.plans()).length).toBe(plansBefore);
  });

  it("reads a text file in GB 18030 (GBK), which is not UTF-8", async () => {
    const zhongwen = [0xd6, 0xd0, 0xce, 0xc4]; // 中文 in GBK
    const ascii = (s: string) => [...Buffer.from(s, "ascii")];
    const bytes = Uint8Array.from([...ascii("I. "), ...zhongwen, ...ascii("\n(1) "), ...zhongwen, ...ascii(".\n(2) "), ...zhongwen, ...ascii(".\n")]);
    const draft = await h.as("miit").plan.import(file("gbk.txt", bytes));
    expect(draft.measures.map((m) => m.text)).toEqual(["中文.", "中文."]);
    expect(draft.sourceText).toContain("I. 中文");
  });

  it("reads plain text files in UTF-8 and UTF-16", async () => {
    const miit = h.as("miit");
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(statedNotes, "utf16le")]);
    expect((await miit.plan.import(file("a.txt", utf16))).measures).toHaveLength(8);
    expect((await miit.plan.import(file("b.txt", Buffer.from(statedNotes)))).measures).toHaveLength(8);
  });
});

describe("plan.import with any bytes (property-based)", () => {
  it("never answers an internal error: a draft or a clear refusal on the field file", async () => {
    const fc = (await import("fast-check")).default;
    const miit = h.as("miit");
    const prefixes = ["", "%PDF-1.7\n", "PK\u0003\u0004", "序号,重点任务,牵头单位\n", "\u00ef\u00bb\u00bf", "\"a,\"\"b\n"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 400 }), fc.constantFrom("a.csv", "a.docx", "a.pdf", "a.txt"), async (prefix, body, name) => {
        const bytes = Buffer.concat([Buffer.from(prefix, "latin1"), Buffer.from(body)]);
        try {
          await miit.plan.import(file(name, bytes));
        } catch (error) {
          const refused = await refusalOf(() => Promise.reject(error));
          expect(refused.code).not.toBe("INTERNAL_SERVER_ERROR");
          expect(refused.field).toMatch(/^file/);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
