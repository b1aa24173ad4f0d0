import { buildDivisionTable, buildResponsibilityMatrix, defaultPlan, departments, latenessLevels } from "@countersign/domain";
import type { AssignmentOverlay, AssignmentStatus, Department, MatrixInput, Responsibility, Section } from "@countersign/domain";
import { closePdfRenderer, renderMatrixPdf, renderMatrixXlsx } from "@countersign/exports";
import { createRandom } from "../random.js";
import { median } from "../harness/stats.js";
import type { Figure } from "../report.js";

const fmt = (n: number): string => n.toLocaleString("en-US", { maximumFractionDigits: 0 });

/** A plan of `measureCount` measures over `departmentCount` departments, its states overlaid, for the big exports. */
export function largeMatrixInput(measureCount: number, departmentCount: number): MatrixInput {
  const random = createRandom(500);
  const extra: Department[] = Array.from({ length: Math.max(0, departmentCount - departments.length) }, (_, i) => {
    const n = departments.length + i + 1;
    return {
      code: `D${n}`,
      nameEn: `Provincial Department of Industry No. ${n}`,
      nameZh: `第${n}省工业和信息化厅`,
      shortEn: `D${n}`,
      shortZh: `${n}省工信厅`,
      order: n,
      successor: null,
    };
  });
  const known = [...departments, ...extra].slice(0, departmentCount);
  const codes = known.map((d) => d.code);
  const sectionCount = 10;
  const sections: Section[] = Array.from({ length: sectionCount }, (_, i) => ({
    number: i + 1,
    numeral: String(i + 1),
    title: defaultPlan.sections[i % defaultPlan.sections.length]?.title ?? `Section ${i + 1}`,
  }));
  const measures = Array.from({ length: measureCount }, (_, i) => {
    const source = defaultPlan.measures[i % defaultPlan.measures.length];
    return {
      number: i + 1,
      section: Math.floor((i * sectionCount) / measureCount) + 1,
      title: source?.title ?? `Measure ${i + 1}`,
      text: source?.text ?? "",
      textCut: false,
    };
  });
  const statuses: AssignmentStatus[] = ["assigned", "accepted", "in_progress", "signed_off", "signed_off", "declined"];
  const responsibilities: Responsibility[] = [];
  const assignments: AssignmentOverlay[] = [];
  for (const m of measures) {
    const taken = new Set<string>();
    const count = 1 + random.int(0, 6);
    while (taken.size < count) taken.add(random.pick(codes));
    [...taken].forEach((department, i) => {
      const role = i === 0 ? "lead" : "supporting";
      responsibilities.push({ measureNumber: m.number, department, role });
      assignments.push({
        measureNumber: m.number,
        department,
        status: random.pick(statuses),
        lateness: random.pick(latenessLevels),
        dueDate: "2026-12-31",
      });
    });
  }
  return { plan: { sections, measures, departments: codes }, departments: known, responsibilities, assignments };
}

async function timeRuns(runs: number, fn: () => Promise<Buffer>): Promise<{ times: number[]; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const out = await fn();
    times.push(performance.now() - started);
    if (out.length === 0) throw new Error("an export rendered nothing");
    bytes = out.length;
  }
  return { times, bytes };
}

/**
 * The default plan's XLSX matrix as a user downloads it (GET /export/matrix.xlsx with states, over HTTP on the
 * large database: reading the plan, building the matrix, rendering), and a large plan (500 measures × 60
 * departments) rendered in process as XLSX and PDF (the PDF on a warm browser, as the server keeps one).
 */
export async function benchExports(input: { baseUrl: string; cookie: string; runs: number; log: (line: string) => void }): Promise<Figure[]> {
  const { baseUrl, cookie, runs, log } = input;
  log("exports: the default plan's XLSX matrix over HTTP");
  const download = await timeRuns(runs + 1, async () => {
    const res = await fetch(`${baseUrl}/export/matrix.xlsx?status=1&lang=zh`, { headers: { cookie } });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`GET /export/matrix.xlsx answered ${res.status}: ${body.toString("utf8").slice(0, 300)}`);
    return body;
  });
  const defaultTimes = download.times.slice(1);

  const large = await benchLargeExports({ runs, log });

  return [
    {
      id: "exports.default-xlsx",
      section: "exports",
      name: "default plan, XLSX matrix with states (GET /export over HTTP)",
      value: median(defaultTimes),
      unit: "ms",
      digits: 0,
      target: { op: "≤", value: 100 },
      detail: `median of ${defaultTimes.length}; ${fmt(download.bytes)} bytes`,
    },
    ...large,
  ];
}

/**
 * The large plan (500 measures × 60 departments) rendered in process as XLSX and as PDF (the PDF on a warm browser,
 * as the server keeps one; the first render, with the browser's launch, is reported beside it). Also run alone by
 * `node packages/bench/dist/bench-exports.js`.
 */
export async function benchLargeExports(input: { runs: number; log: (line: string) => void }): Promise<Figure[]> {
  const { runs, log } = input;
  const big = largeMatrixInput(500, 60);
  const matrix = buildResponsibilityMatrix(big);
  const divisionRows = buildDivisionTable(matrix, "zh");
  const options = { lang: "zh" as const, title: "500 项措施 × 60 个单位 — 责任分工矩阵", subtitle: "benchmark" };
  log("exports: 500 × 60 as XLSX");
  const xlsx = await timeRuns(Math.max(1, runs), () => renderMatrixXlsx(matrix, { ...options, divisionRows }));
  log("exports: 500 × 60 as PDF");
  let pdf: { times: number[]; bytes: number };
  let coldPdfMs: number;
  try {
    const cold = await timeRuns(1, () => renderMatrixPdf(matrix, options));
    coldPdfMs = cold.times[0] ?? Number.NaN;
    pdf = await timeRuns(Math.max(1, runs), () => renderMatrixPdf(matrix, options));
  } finally {
    await closePdfRenderer();
  }

  return [
    {
      id: "exports.large-xlsx",
      section: "exports",
      name: "500 measures × 60 departments, XLSX (matrix, division and 60 department sheets)",
      value: median(xlsx.times),
      unit: "ms",
      digits: 0,
      target: { op: "≤", value: 2000 },
      detail: `median of ${xlsx.times.length}; ${fmt(xlsx.bytes)} bytes`,
    },
    {
      id: "exports.large-pdf",
      section: "exports",
      name: "500 measures × 60 departments, PDF",
      value: median(pdf.times),
      unit: "ms",
      digits: 0,
      target: { op: "≤", value: 2000 },
      detail: `median of ${pdf.times.length} on a warm browser (first, with the browser's launch: ${fmt(coldPdfMs)} ms); ${fmt(pdf.bytes)} bytes`,
    },
  ];
}
