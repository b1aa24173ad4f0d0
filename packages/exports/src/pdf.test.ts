import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { MatrixInput } from "@countersign/domain";
import { buildDivisionTable, buildResponsibilityMatrix, defaultPlan, departments } from "@countersign/domain";
import { chromium } from "playwright-core";
import { chromiumLaunchOptions } from "./chromium.js";
import { matrixHtml } from "./html.js";
import { closePdfRenderer, htmlToPdf, pdfBrowserLaunches, pdfBrowserOpen, setPdfBrowserIdleMs } from "./pdf.js";
import { renderDivisionPdf, renderMatrixPdf, renderProgressPdf } from "./render-pdf.js";
import { defaultInput, progressReport, statusInput } from "./test-support/fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "countersign-pdf-"));
let files = 0;

function save(pdf: Buffer): string {
  files += 1;
  const file = join(dir, `${files}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** The PDF's text with all white space removed: table cells wrap and vertical headers print one character a line. */
function pdfText(pdf: Buffer): string {
  return execFileSync("pdftotext", ["-raw", "-enc", "UTF-8", save(pdf), "-"], { encoding: "utf8" }).replace(/\s+/g, "");
}

function pdfInfo(pdf: Buffer): { pages: number; width: number; height: number } {
  const info = execFileSync("pdfinfo", [save(pdf)], { encoding: "utf8" });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
  const size = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info);
  return { pages, width: Number(size?.[1]), height: Number(size?.[2]) };
}

const squash = (s: string): string => s.replace(/\s+/g, "");

afterAll(closePdfRenderer);

describe("PDF exports, printed by Chromium", () => {
  const matrix = buildResponsibilityMatrix(defaultInput);

  it("prints the matrix in Chinese on landscape A4, with every department's name and every measure title", async () => {
    const pdf = await renderMatrixPdf(matrix, { lang: "zh", title: `${defaultPlan.titleZh} 责任分工矩阵`, subtitle: defaultPlan.documentNumber });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const info = pdfInfo(pdf);
    // A4 landscape is 841.89 × 595.28 pt (the page box from CSS gives 841.92 × 594.96).
    expect(Math.abs(info.width - 841.89)).toBeLessThan(2);
    expect(Math.abs(info.height - 595.28)).toBeLessThan(2);
    const text = pdfText(pdf);
    expect(text).toContain("关于健全支持中小企业发展制度的若干意见");
    expect(text).toContain("工信部联企业〔2020〕108号");
    for (const d of departments) expect(text, d.code).toContain(d.shortZh);
    for (const m of defaultPlan.measures) expect(text, `measure ${m.number}`).toContain(squash(m.title));
    expect(text).toContain("牵头合计");
    expect(text).toContain("（二十五）");
  });

  it("prints the matrix in English with status: states and lateness in words", async () => {
    const withStatus = buildResponsibilityMatrix(statusInput);
    const text = pdfText(await renderMatrixPdf(withStatus, { lang: "en", title: "Responsibility matrix" }));
    for (const d of departments) expect(text).toContain(d.shortEn);
    expect(text).toContain("Measurestatus");
    expect(text).toContain("Allsignedoff");
    expect(text).toContain("(Overdue)");
    expect(text).toContain("Signedoff");
  });

  it("prints the task-division table with the full Chinese names of lead and supporting units", async () => {
    const rows = buildDivisionTable(matrix, "zh", new Map([[7, "2021-12-31"]]));
    const pdf = await renderDivisionPdf(rows, { lang: "zh", title: "任务分工表" });
    const text = pdfText(pdf);
    for (const h of ["序号", "重点任务", "牵头单位", "参与单位", "完成时限"]) expect(text).toContain(h);
    expect(text).toContain("工信部");
    expect(text).toContain("税务总局");
    expect(text).toContain("2021年12月31日前");
    for (const row of rows) expect(text).toContain(squash(row.task));
    expect(pdfInfo(pdf).width).toBeGreaterThan(pdfInfo(pdf).height);
  });

  it("prints the progress report with the department names and the overdue items", async () => {
    const text = pdfText(await renderProgressPdf(progressReport, { lang: "zh", title: "落实进展情况", subtitle: "截至2021-07-01" }));
    expect(text).toContain("工业和信息化部");
    expect(text).toContain("国家知识产权局");
    expect(text).toContain("逾期事项清单");
    expect(text).toContain("严重逾期");
    expect(progressReport.overdue.length).toBeGreaterThan(0);
    for (const o of progressReport.overdue.slice(0, 5)) expect(text).toContain(squash(o.measureTitle));
  });

  it("escapes data: a title with markup prints as text and runs nothing", async () => {
    const input: MatrixInput = {
      plan: {
        departments: ["MIIT"],
        sections: [{ number: 1, numeral: "I", title: "<b>bold</b>" }],
        measures: [{ number: 1, section: 1, title: "<script>document.title='x'</script>&amp; <i>", text: "", textCut: false }],
      },
      departments,
      responsibilities: [{ measureNumber: 1, department: "MIIT", role: "lead" }],
    };
    const text = pdfText(await renderMatrixPdf(buildResponsibilityMatrix(input), { lang: "en", title: "t<" }));
    expect(text).toContain("<script>document.title='x'</script>&amp;<i>");
    expect(text).toContain("<b>bold</b>");
  });

  it("reuses one browser: renders in a row share it, and it relaunches after closePdfRenderer", async () => {
    const html = "<!doctype html><html><body><p>再来一次</p></body></html>";
    await htmlToPdf(html);
    const before = pdfBrowserLaunches();
    await Promise.all([htmlToPdf(html), htmlToPdf(html), htmlToPdf(html)]);
    expect(pdfBrowserLaunches()).toBe(before);
    await closePdfRenderer();
    await closePdfRenderer();
    const text = pdfText(await htmlToPdf(html));
    expect(text).toContain("再来一次");
    expect(pdfBrowserLaunches()).toBe(before + 1);
  });

  it("lays a print page out for print only: on screen its body takes no space, so setting it costs no layout", async () => {
    const browser = await chromium.launch(chromiumLaunchOptions);
    try {
      const page = await browser.newPage();
      await page.setContent(matrixHtml(matrix, { lang: "zh", title: "责任分工矩阵" }), { waitUntil: "load" });
      // No box at all: a body that is not displayed.
      expect(await page.locator("body").boundingBox()).toBeNull();
      await page.emulateMedia({ media: "print" });
      expect((await page.locator("body").boundingBox())?.height ?? 0).toBeGreaterThan(100);
    } finally {
      await browser.close();
    }
  });

  it("closes the browser once no render has run for the idle time, and launches it again for the next", async () => {
    const html = "<!doctype html><html><body><p>空闲后关闭</p></body></html>";
    setPdfBrowserIdleMs(300);
    try {
      await htmlToPdf(html);
      const launches = pdfBrowserLaunches();
      // Renders in a row keep it open: each starts before the idle time has passed.
      await htmlToPdf(html);
      expect(pdfBrowserOpen()).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(pdfBrowserOpen()).toBe(false);
      expect(pdfText(await htmlToPdf(html))).toContain("空闲后关闭");
      expect(pdfBrowserLaunches()).toBe(launches + 1);
    } finally {
      setPdfBrowserIdleMs(60_000);
    }
  });

  it("prints the footer (title · page / pages) on every page from the page's own @page rule, its title escaped", async () => {
    const title = 'Matrix "2020" \\ </style><p>not markup</p>';
    const rows = buildDivisionTable(matrix, "en");
    const pdf = await renderDivisionPdf([...rows, ...rows, ...rows, ...rows], { lang: "en", title });
    const pages = pdfInfo(pdf).pages;
    expect(pages).toBeGreaterThan(1);
    const file = save(pdf);
    for (let n = 1; n <= pages; n += 1) {
      const text = execFileSync("pdftotext", ["-f", String(n), "-l", String(n), "-raw", "-enc", "UTF-8", file, "-"], { encoding: "utf8" });
      expect(squash(text), `page ${n}`).toContain(squash(`${title} · ${n} / ${pages}`));
    }
  });
});
