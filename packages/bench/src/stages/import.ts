import { Document, Packer, Paragraph, TextRun } from "docx";
import ExcelJS from "exceljs";
import { departments } from "@countersign/domain";
import { median } from "../harness/stats.js";
import type { Figure } from "../report.js";

/*
 * Importing real files end to end (issue 11): a 200-measure .docx and a 500-row .xlsx task-division table, each
 * sent to plan.import over HTTP as the coordinator (base64 in JSON), read in the server's import worker (mammoth,
 * exceljs), parsed and divided, the draft returned. Target: each at most 1 s. The first request of a server also
 * starts its import worker and loads the libraries; the figure is the median of the later runs, the first shown.
 */

const shortNames = departments.map((d) => d.shortZh);

/** A Chinese document of `measures` measures in 10 sections, each measure stating its division in a note. */
export async function largeDocx(measures: number): Promise<Buffer> {
  const lines = ["关于促进中小企业高质量发展的若干措施（基准测试）", "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："];
  const numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
  const perSection = Math.ceil(measures / numerals.length);
  for (let i = 0; i < measures; i++) {
    if (i % perSection === 0) lines.push(`${numerals[Math.floor(i / perSection)] ?? "十"}、第${Math.floor(i / perSection) + 1}部分`);
    const lead = shortNames[i % shortNames.length] ?? "财政部";
    const support = shortNames[(i + 3) % shortNames.length] ?? "税务总局";
    lines.push(
      `（${i + 1}）加强第${i + 1}项工作。完善中小企业服务体系，优化发展环境，加大财税金融支持力度，2027年底前取得明显成效。（${lead}牵头，${support}参与）`,
    );
  }
  lines.push("工业和信息化部", "2026年3月1日");
  return Packer.toBuffer(new Document({ sections: [{ children: lines.map((l) => new Paragraph({ children: [new TextRun(l)] })) }] }));
}

/** A task-division table of `rows` tasks, in the columns offices use. */
export async function largeXlsx(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("任务分工");
  sheet.addRow(["任务分工表（基准测试）"]);
  sheet.addRow(["序号", "重点任务", "牵头单位", "参与单位", "完成时限"]);
  for (let i = 0; i < rows; i++) {
    sheet.addRow([
      String(i + 1),
      `加强第${i + 1}项工作，完善中小企业服务体系`,
      shortNames[i % shortNames.length] ?? "财政部",
      `${shortNames[(i + 2) % shortNames.length] ?? "税务总局"}、${shortNames[(i + 5) % shortNames.length] ?? "人民银行"}`,
      i % 3 === 0 ? "持续推进" : "2027年12月31日",
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function timeImport(baseUrl: string, cookie: string, name: string, bytes: Buffer, expectMeasures: number): Promise<number> {
  const body = JSON.stringify({ file: { name, contentBase64: bytes.toString("base64") } });
  const started = performance.now();
  const res = await fetch(`${baseUrl}/trpc/plan.import`, { method: "POST", headers: { "content-type": "application/json", cookie }, body });
  const text = await res.text();
  const elapsed = performance.now() - started;
  if (res.status !== 200) throw new Error(`plan.import of ${name} answered ${res.status}: ${text.slice(0, 300)}`);
  const measures = (JSON.parse(text) as { result: { data: { measures: unknown[] } } }).result.data.measures.length;
  if (measures !== expectMeasures) throw new Error(`plan.import of ${name} read ${measures} measures, not ${expectMeasures}`);
  return elapsed;
}

export async function benchImport(input: { baseUrl: string; cookie: string; runs: number; log: (line: string) => void }): Promise<Figure[]> {
  const { baseUrl, cookie, log } = input;
  const runs = Math.max(2, input.runs);
  const cases = [
    { id: "import.docx-200", name: "plan.import of a 200-measure .docx (Word), end to end", file: "measures.docx", bytes: await largeDocx(200), measures: 200 },
    { id: "import.xlsx-500", name: "plan.import of a 500-row .xlsx task-division table, end to end", file: "division.xlsx", bytes: await largeXlsx(500), measures: 500 },
  ];
  const figures: Figure[] = [];
  for (const c of cases) {
    log(`import: ${c.file} (${Math.round(c.bytes.length / 1024)} KB), ${runs} runs`);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await timeImport(baseUrl, cookie, c.file, c.bytes, c.measures));
    const [first, ...later] = times;
    figures.push({
      id: c.id,
      section: "import",
      name: c.name,
      value: median(later) / 1000,
      unit: "s",
      digits: 2,
      target: { op: "≤", value: 1 },
      detail: `${Math.round(c.bytes.length / 1024)} KB file; median of ${later.length} runs; the first (worker start, libraries loading) ${Math.round(first ?? 0)} ms`,
    });
  }
  return figures;
}
