/**
 * Issue 12: headers split mid-word in the exports (`Supportin g`, `Acknowle dged`), `（十一）` wrapped, the XLSX title
 * row clipped. Every export is read back: the PDFs' text through `pdftotext -raw` (a cell's wrapped lines come out
 * as consecutive lines), the XLSX through exceljs.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { buildDivisionTable, buildResponsibilityMatrix, chineseNumeral, defaultPlan, departments, divisionTableHeadings } from "@countersign/domain";
import type { Language } from "@countersign/domain";
import { labels, statusText } from "./labels.js";
import { renderMatrixXlsx } from "./matrix-xlsx.js";
import { closePdfRenderer } from "./pdf.js";
import { renderProgressXlsx } from "./progress-xlsx.js";
import { renderDivisionPdf, renderMatrixPdf, renderProgressPdf } from "./render-pdf.js";
import { defaultInput, progressReport, statusInput } from "./test-support/fixtures.js";
import { displayWidth, longestUnbreakable } from "./xlsx-support.js";

const dir = mkdtempSync(join(tmpdir(), "countersign-words-"));
let files = 0;
afterAll(closePdfRenderer);

function rawText(pdf: Buffer): string {
  files += 1;
  const file = join(dir, `${files}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-raw", "-enc", "UTF-8", file, "-"], { encoding: "utf8" });
}

/** The headings and short labels each language prints, which must never break inside a word. */
function headings(lang: Language): string[] {
  const l = labels[lang];
  const words = [
    l.measureNo,
    l.measure,
    l.section,
    l.role,
    l.statusHeading,
    l.measureStatusHeading,
    l.department,
    l.assignments,
    l.acknowledged,
    l.signedOff,
    l.overdue,
    l.measures,
    l.countersigned,
    l.closed,
    l.dueDate,
    l.daysLate,
    l.total,
    l.lead,
    l.supporting,
    l.totalLead,
    l.totalSupporting,
    ...divisionTableHeadings[lang],
    ...Object.values(l.measureStatus),
    ...(["assigned", "accepted", "declined", "in_progress", "signed_off"] as const).map((s) => statusText(s, "long_overdue", lang)),
    ...defaultPlan.measures.map((m) => l.measureNumber(m.number)),
  ];
  // Chinese department names print stacked (one character a line) by design; English short names must stay whole.
  if (lang === "en") words.push(...departments.map((d) => d.shortEn));
  return [...new Set(words)];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The places in `raw` where one of `words` is broken across two lines inside a word. A break is allowed where the
 * word has a space (pdftotext drops the space) or after a hyphen; for Chinese, between characters of a phrase, but
 * never inside a bracketed number such as （十一）.
 */
function splitWords(raw: string, words: readonly string[], lang: Language): string[] {
  const found: string[] = [];
  for (const word of words) {
    const compact = word.replace(/\s+/g, "");
    const allowed = new Set<number>();
    let k = 0;
    for (let i = 0; i < word.length; i++) {
      const ch = word[i] ?? "";
      if (/\s/.test(ch)) allowed.add(k);
      else {
        k += 1;
        if (ch === "-" || ch === "/") allowed.add(k);
        if (lang === "zh" && !/^[（(]/.test(word) && /\p{Script=Han}/u.test(ch)) allowed.add(k);
      }
    }
    for (let at = 1; at < compact.length; at++) {
      if (allowed.has(at)) continue;
      const broken = `${compact.slice(0, at)}\n${compact.slice(at)}`;
      // Whole on both sides: "Measure\nstatus" is not a broken "Measures".
      const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(broken)}(?![\\p{L}\\p{N}])`, "u");
      if (pattern.test(raw)) found.push(JSON.stringify(broken));
    }
  }
  return found;
}

describe("PDF exports keep every heading whole", () => {
  const matrix = buildResponsibilityMatrix(defaultInput);
  const withStatus = buildResponsibilityMatrix(statusInput);
  for (const lang of ["en", "zh"] as const) {
    it(`in ${lang}: matrix, matrix with status, task-division table, progress report`, { timeout: 120_000 }, async () => {
      const words = headings(lang);
      const texts = [
        rawText(await renderMatrixPdf(matrix, { lang, title: "T" })),
        rawText(await renderMatrixPdf(withStatus, { lang, title: "T" })),
        rawText(await renderDivisionPdf(buildDivisionTable(matrix, lang), { lang, title: "T" })),
        rawText(await renderProgressPdf(progressReport, { lang, title: "T" })),
      ];
      for (const raw of texts) expect(splitWords(raw, words, lang)).toEqual([]);
      // The check does see a split: a heading broken as it was before the fix.
      expect(splitWords("Lead Supportin\ng Assignments", headings("en"), "en")).toEqual(['"Supportin\\ng"']);
      expect(splitWords(`（十\n一）`, [`（${chineseNumeral(11)}）`], "zh")).toHaveLength(1);
    });
  }
});

async function sheetsOf(xlsx: Buffer): Promise<ExcelJS.Worksheet[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
  return workbook.worksheets;
}

/** Header rows are the first row with a fill under the title rows; every wrapped header cell must fit its longest word. */
function headerProblems(sheet: ExcelJS.Worksheet): string[] {
  const problems: string[] = [];
  sheet.eachRow((row, rowNumber) => {
    row.eachCell((cell, col) => {
      const isHeader = cell.font?.bold === true && cell.fill !== undefined && cell.alignment?.wrapText === true;
      if (!isHeader || cell.isMerged || typeof cell.value !== "string" || cell.alignment?.textRotation !== undefined) return;
      const width = sheet.getColumn(col).width ?? 8.43;
      const needed = longestUnbreakable(cell.value) + 1;
      if (width < needed) problems.push(`${sheet.name}!R${rowNumber}C${col} "${cell.value}": width ${width} < ${needed}`);
    });
  });
  return problems;
}

/** The title (row 1) fits its merged width and row height: lines needed × line height ≤ row height. */
function titleProblems(sheet: ExcelJS.Worksheet): string[] {
  const cell = sheet.getCell(1, 1);
  const text = typeof cell.value === "string" ? cell.value : "";
  if (text === "") return [];
  const size = cell.font?.size ?? 11;
  let width = 0;
  for (let c = 1; c <= sheet.columnCount; c++) {
    if (sheet.getCell(1, c).isMerged || c === 1) width += sheet.getColumn(c).width ?? 8.43;
  }
  // Characters of a `size` point font per width unit (a unit is one 11 point character).
  const perLine = Math.max(1, Math.floor((width * 11) / size) - 2);
  const lines = Math.ceil(displayWidth(text) / perLine);
  const height = sheet.getRow(1).height ?? 15;
  return lines * size * 1.25 <= height ? [] : [`${sheet.name}: title needs ${lines} lines of ${size} pt, row is ${height} pt`];
}

describe("XLSX exports keep every header whole and the title unclipped", () => {
  const matrix = buildResponsibilityMatrix(defaultInput);
  const withStatus = buildResponsibilityMatrix(statusInput);
  for (const lang of ["en", "zh"] as const) {
    it(`in ${lang}`, async () => {
      const longTitle = `${lang === "zh" ? defaultPlan.titleZh : defaultPlan.titleEn} — ${labels[lang].matrixTitle}`;
      const files = [
        await renderMatrixXlsx(matrix, { lang, title: longTitle, subtitle: defaultPlan.documentNumber, divisionRows: buildDivisionTable(matrix, lang) }),
        await renderMatrixXlsx(withStatus, { lang, title: longTitle, divisionRows: buildDivisionTable(withStatus, lang) }),
        await renderProgressXlsx(progressReport, { lang, title: longTitle, subtitle: defaultPlan.documentNumber }),
      ];
      for (const file of files) {
        for (const sheet of await sheetsOf(file)) {
          expect(headerProblems(sheet)).toEqual([]);
          expect(titleProblems(sheet)).toEqual([]);
        }
      }
    });
  }
});
