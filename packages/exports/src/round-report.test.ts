/**
 * The compiled report of a round, read back: the DOCX through LibreOffice Writer (converted to PDF, then pdftotext),
 * the PDF through pdftotext. Each department's report is found, the lead's before the supporting department's.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { roundStatistics } from "@countersign/domain";
import { closePdfRenderer } from "./pdf.js";
import { renderRoundDocx, renderRoundPdf, roundReportHtml } from "./round-report.js";
import type { CompiledRound } from "./round-report.js";

const soffice = ["/usr/bin/soffice", "/usr/bin/libreoffice"].find((p) => existsSync(p));
const dir = mkdtempSync(join(tmpdir(), "countersign-round-"));
afterAll(async () => {
  await closePdfRenderer();
  rmSync(dir, { recursive: true, force: true });
});

const now = new Date("2026-01-12T02:00:00Z");
const reports = [
  { department: "STA", status: "submitted" as const, submittedAt: "2026-01-08T02:00:00Z" },
  { department: "MOF", status: "submitted" as const, submittedAt: "2026-01-11T03:00:00Z" },
  { department: "NDRC", status: "not_reported" as const, submittedAt: null },
];

const round: CompiledRound = {
  title: "2025年第四季度进展",
  planTitle: "关于健全支持中小企业发展制度的若干意见",
  periodStart: "2025-10-01",
  periodEnd: "2025-12-31",
  dueDate: "2026-01-10",
  compiledAt: now.toISOString(),
  statistics: roundStatistics(reports, "2026-01-10", now),
  sections: [
    {
      number: 2,
      numeral: "II",
      title: "坚持合理精准支持，完善中小企业财税支持制度",
      measures: [
        {
          number: 7,
          title: "完善税费优惠政策",
          reports: [
            // Given supporting first: the lead's report must still come first.
            {
              department: { code: "MOF", nameZh: "财政部", nameEn: "Ministry of Finance" },
              role: "supporting",
              standing: "reported_late",
              submittedAt: "2026-01-11T03:00:00Z",
              progress: "财政部配合完成政策评估<b>",
              problems: "",
              nextSteps: "财政部下一步研究延续政策",
              attachments: ["评估报告.pdf"],
            },
            {
              department: { code: "STA", nameZh: "税务总局", nameEn: "State Taxation Administration" },
              role: "lead",
              standing: "reported",
              submittedAt: "2026-01-08T02:00:00Z",
              progress: "税务总局已印发实施细则",
              problems: "个别地区执行口径不一",
              nextSteps: "税务总局开展专项督查",
              attachments: [],
            },
            {
              department: { code: "NDRC", nameZh: "国家发展改革委", nameEn: "National Development and Reform Commission" },
              role: "supporting",
              standing: "late",
              submittedAt: null,
              progress: null,
              problems: null,
              nextSteps: null,
              attachments: [],
            },
          ],
        },
      ],
    },
  ],
};

function pdfText(file: string): string {
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
}

function expectReport(content: string, lang: "zh" | "en"): void {
  const lead = content.indexOf("税务总局已印发实施细则");
  const supporting = content.indexOf("财政部配合完成政策评估<b>");
  expect(lead).toBeGreaterThan(-1);
  expect(supporting).toBeGreaterThan(lead);
  expect(content).toContain("财政部下一步研究延续政策");
  expect(content).toContain("评估报告.pdf");
  if (lang === "zh") {
    for (const word of ["汇总报告", "进展情况", "存在问题", "下一步计划", "逾期报送", "逾期未报", "牵头单位", "国家发展改革委", "（七）"]) {
      expect(content).toContain(word);
    }
  } else {
    for (const word of ["compiledreport", "Progress", "Problems", "Nextsteps", "Reportedlate", "Late,notreported", "StateTaxationAdministration", "(7)"]) {
      expect(content).toContain(word);
    }
  }
}

describe("the compiled report of a round", () => {
  it("escapes the departments' words in the print page", () => {
    const html = roundReportHtml(round, "zh");
    expect(html).toContain("财政部配合完成政策评估&lt;b&gt;");
    expect(html).not.toContain("政策评估<b>");
  });

  it("prints the level below's reports (issue 16): each signed-off report with its counts and its own level below, or not yet reported; escaped", () => {
    const withLevels: CompiledRound = {
      ...round,
      levels: [
        {
          organisation: { id: "450000", nameZh: "广西壮族自治区", nameEn: "Guangxi" },
          standing: "reported",
          submittedAt: "2026-01-09T02:00:00Z",
          progress: "全区已印发实施方案<i>",
          problems: "",
          nextSteps: "开展督查",
          departments: { reported: 5, total: 6 },
          below: [{ organisation: { id: "450100", nameZh: "南宁市", nameEn: "Nanning" }, standing: "not_reported" }],
          files: ["督查报告.pdf", "台账<1>.png"],
        },
        { organisation: { id: "330000", nameZh: "浙江省", nameEn: "Zhejiang" }, standing: "not_reported", submittedAt: null, progress: null, problems: null, nextSteps: null, departments: null, below: [], files: [] },
      ],
    };
    const zh = roundReportHtml(withLevels, "zh");
    expect(zh).toContain("<h2>下级报送情况</h2><h4>广西壮族自治区 · 已报送</h4>");
    expect(zh).toContain("全区已印发实施方案&lt;i&gt;");
    expect(zh).toContain("成员单位报告：已报送 5 份，共 6 份");
    expect(zh).toContain("其下级：南宁市 尚未报送");
    expect(zh).toContain("佐证材料：督查报告.pdf；台账&lt;1&gt;.png");
    expect(zh).toContain("<h4>浙江省 · 尚未报送</h4><p>尚未报送。</p>");
    const en = roundReportHtml(withLevels, "en");
    expect(en).toContain("<h4>Guangxi · Reported</h4>");
    expect(en).toContain("Its level below: Nanning Not yet reported");
    expect(en).toContain("Evidence attached: 督查报告.pdf; 台账&lt;1&gt;.png");
    expect(roundReportHtml(round, "zh")).not.toContain("下级报送情况");
  });

  it("draws the statistics as an SVG chart with its words as text, escaped, in the print page", () => {
    const strange = structuredClone(round);
    const first = strange.sections[0]?.measures[0]?.reports[0];
    if (first === undefined) throw new Error("no report");
    first.department.nameZh = "财政部<b>&";
    const html = roundReportHtml(strange, "zh");
    const svg = /<figure class="chart" role="img" aria-label="各单位报送情况: [^"]*">(<svg[\s\S]*?<\/svg>)<\/figure>/.exec(html)?.[1] ?? "";
    expect(svg).toContain(">各单位报送情况</text>");
    expect(svg).toContain(">财政部&lt;b&gt;&amp;</text>");
    expect(svg).not.toContain("财政部<b>");
    // One bar row per department, a legend entry per standing, each standing with its own pattern but the first.
    for (const name of ["已报送", "逾期报送", "已退回", "逾期未报", "未报送", "税务总局", "国家发展改革委"]) expect(svg).toContain(`>${name}</text>`);
    expect(svg.match(/<pattern /g)?.length).toBeGreaterThanOrEqual(2);
  });

  for (const lang of ["zh", "en"] as const) {
    it(`PDF (${lang}): pdftotext finds each department's report, the lead's first, and the statistics`, { timeout: 120_000 }, async () => {
      const file = join(dir, `round-${lang}.pdf`);
      writeFileSync(file, await renderRoundPdf(round, lang));
      const content = pdfText(file);
      expectReport(content, lang);
      expect(content).toContain(lang === "zh" ? "应报送（份）3" : "Reportsaskedfor3");
      // The chart: its title, then its legend (one line of the standings' names), then the departments' bars.
      const chart = content.indexOf(lang === "zh" ? "各单位报送情况" : "Reportsbydepartment");
      expect(chart).toBeGreaterThan(-1);
      expect(content.indexOf(lang === "zh" ? "已报送逾期报送已退回逾期未报未报送" : "ReportedReportedlateReturnedLate,notreportedNotreported")).toBeGreaterThan(chart);
    });

    it.runIf(soffice !== undefined || process.env.CI)(`DOCX (${lang}): LibreOffice converts it; each department's report is in it`, { timeout: 180_000 }, async () => {
      if (!soffice) throw new Error("LibreOffice is not installed: run scripts/ensure-system-packages.sh");
      const file = join(dir, `round-${lang}.docx`);
      writeFileSync(file, await renderRoundDocx(round, lang));
      const out = join(dir, `converted-${lang}`);
      execFileSync(soffice, [`-env:UserInstallation=file://${join(dir, "profile")}`, "--headless", "--convert-to", "pdf", "--outdir", out, file], {
        stdio: "pipe",
        timeout: 170_000,
      });
      const converted = join(out, `round-${lang}.pdf`);
      expect(existsSync(converted)).toBe(true);
      expect(readFileSync(converted).subarray(0, 5).toString()).toBe("%PDF-");
      expectReport(pdfText(converted), lang);
      // The chart is in the document as SVG with its PNG fallback, and LibreOffice draws it.
      const media = execFileSync("unzip", ["-Z1", file], { encoding: "utf8" }).split("\n").filter((f) => f.startsWith("word/media/"));
      expect(media.some((f) => f.endsWith(".svg"))).toBe(true);
      expect(media.some((f) => f.endsWith(".png"))).toBe(true);
      expect(execFileSync("unzip", ["-p", file, "word/document.xml"], { encoding: "utf8" })).toContain(lang === "zh" ? 'title="各单位报送情况"' : 'title="Reports by department"');
      const images = execFileSync("pdfimages", ["-list", converted], { encoding: "utf8" }).trim().split("\n").slice(2);
      expect(images.length).toBeGreaterThan(0);
    });
  }
});
