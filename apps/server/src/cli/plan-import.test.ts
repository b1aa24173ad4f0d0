import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { planImportCommand } from "./plan-import.js";

const statedNotes = readFileSync(new URL("../../../../packages/domain/src/import/fixtures/zh-stated-notes.txt", import.meta.url), "utf8");
const clauseNotes = readFileSync(new URL("../../../../packages/domain/src/import/fixtures/zh-clause-notes.txt", import.meta.url), "utf8");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const code = await planImportCommand.run(args, { stdin: Readable.from([""]), stdout, stderr, env: {} });
  return { code, out, err };
}

describe("cli plan import", () => {
  it("prints the draft of a text file: measures, deadlines, stated and proposed responsibilities, warnings", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-plan-import-"));
    dirs.push(dir);
    const path = join(dir, "notes.txt");
    writeFileSync(path, statedNotes);
    const { code, out } = await run(["import", path]);
    expect(code).toBe(0);
    expect(out).toContain("8 measures");
    expect(out).toContain("(1) 落实税费优惠政策");
    expect(out).toContain("deadline: 2024-12-31 (2024年底前)");
    expect(out).toContain("lead       MOF  (stated: （财政部、税务总局按职责分工负责）)");
    expect(out).toMatch(/lead {7}MIIT {2}\(proposed: /);
    expect(out).toContain("unknown    国家中小企业发展局 (lead; closest:");
    const json = await run(["import", path, "--json"]);
    const parsed = JSON.parse(json.out) as { draft: { measures: unknown[] }; division: { responsibilities: Array<{ source: { kind: string } }> } };
    expect(parsed.draft.measures).toHaveLength(8);
    expect(parsed.division.responsibilities.some((r) => r.source.kind === "stated")).toBe(true);
  });

  it("prints a 由…会同…负责 clause opening a measure as stated, not proposed (the new user's paste)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-plan-import-"));
    dirs.push(dir);
    const path = join(dir, "clause.txt");
    writeFileSync(path, clauseNotes);
    const { code, out } = await run(["import", path]);
    expect(code).toBe(0);
    expect(out).toContain("lead       PBOC  (stated: 由人民银行会同银保监会负责落实)");
    expect(out).toContain("supporting CBIRC  (stated: 由人民银行会同银保监会负责落实)");
    expect(out).not.toContain("proposed: 人民银行");
  });

  it("reads an .xlsx table, and says why a file cannot become a plan (exit 1)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-plan-import-"));
    dirs.push(dir);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("分工");
    sheet.addRow(["序号", "重点任务", "牵头单位", "参与单位", "完成时限"]);
    sheet.addRow(["1", "落实税费优惠政策", "财政部", "税务总局", "长期坚持"]);
    const xlsx = join(dir, "division.xlsx");
    writeFileSync(xlsx, Buffer.from(await workbook.xlsx.writeBuffer()));
    const ok = await run(["import", xlsx]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("deadline: ongoing (长期坚持)");
    expect(ok.out).toContain("supporting STA  (stated: 税务总局)");
    const bad = join(dir, "picture.png");
    writeFileSync(bad, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    const refused = await run(["import", bad]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/neither a document/);
    expect((await run(["import"])).code).toBe(2);
  });
});
