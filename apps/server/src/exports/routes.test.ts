/**
 * The /export downloads over real HTTP: a started server on 127.0.0.1, sessions by cookie, a plan issued and
 * worked on through the API's callers with the clock moved day by day, then every file read back.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import type { FastifyInstance } from "fastify";
import { departments } from "@countersign/domain";
import { divisionSheetLayout, matrixSheetLayout } from "@countersign/exports";
import { buildApp } from "../app.js";
import { demoPassword } from "../demo/demo-accounts.js";
import { defaultSessionPolicy } from "../services/auth/session-policy.js";
import { createHarness } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { auditEventsOf } from "../test-support/store-reads.js";

let h: Harness;
let app: FastifyInstance;
let base: string;
let dir: string;
/** The division of work as the API's catalog has it: what the files must show. */
let division: Array<{ measureNumber: number; department: string; role: string }>;
const cookies = new Map<string, string>();

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async function signIn(username: string): Promise<string> {
  const response = await fetch(`${base}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: demoPassword }),
  });
  expect(response.status).toBe(200);
  const pair = response.headers.getSetCookie()[0]?.split(";")[0];
  if (pair === undefined) throw new Error("no session cookie");
  return pair;
}

async function download(username: string | null, path: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (username !== null) {
    let cookie = cookies.get(username);
    if (cookie === undefined) {
      cookie = await signIn(username);
      cookies.set(username, cookie);
    }
    headers["cookie"] = cookie;
  }
  return fetch(`${base}${path}`, { headers });
}

async function body(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

async function workbook(response: Response): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(await body(response)).buffer);
  return wb;
}

async function csvRows(response: Response): Promise<string[][]> {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await body(response));
  expect(text.startsWith("\uFEFF")).toBe(true);
  return parse(text, { bom: true }) as string[][];
}

function pdfText(pdf: Buffer): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-raw", "-enc", "UTF-8", file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
}

function cellText(sheet: ExcelJS.Worksheet, row: number, column: number): string {
  const v = sheet.getCell(row, column).value;
  return v === null || v === undefined ? "" : String(v);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "countersign-export-"));
  // Issued at 10:00 on 2 March 2026 (Beijing), due on 20 March.
  h = await createHarness({ now: new Date("2026-03-02T02:00:00Z") });
  const miit = h.as("miit");
  await miit.plan.issue({ planId: h.planId, dueDate: "2026-03-20" });
  const plan = await miit.catalog.plan({ planId: h.planId });
  division = plan.responsibilities.map(({ measureNumber, department, role }) => ({ measureNumber, department, role }));

  // 5 March: MOF accepts all of its assignments. 10 March: MOF reports progress on (7) and signs its part off.
  h.clock.now = new Date("2026-03-05T02:00:00Z");
  const mof = h.as("mof");
  const inbox = await mof.inbox.list({ planId: h.planId, limit: 200 });
  for (const row of inbox.rows) await mof.assignment.accept({ id: row.id, expectedVersion: row.version });
  h.clock.now = new Date("2026-03-10T02:00:00Z");
  const seven = (await mof.inbox.list({ planId: h.planId, limit: 200 })).rows.find((r) => r.measureNumber === 7);
  if (seven === undefined) throw new Error("MOF has no assignment on (7)");
  await mof.assignment.reportProgress({ id: seven.id, expectedVersion: seven.version, note: "起草中" });
  await mof.assignment.signOff({ id: seven.id, expectedVersion: seven.version + 1, summary: "财政部部分已完成" });

  // Today: 1 April 2026, twelve days past the due date.
  h.clock.now = new Date("2026-04-01T02:00:00Z");
  app = await buildApp(
    // The callers' handle: on PostgreSQL it refuses every use, as a server started on PostgreSQL has it.
    { store: h.store, db: h.context(null).db, live: h.live, sessionPolicy: defaultSessionPolicy, now: () => h.clock.now, secureCookies: false },
    { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await app.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("GET /export/matrix.xlsx", () => {
  it("refuses without a session", async () => {
    const response = await download(null, `/export/matrix.xlsx?plan=${h.planId}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { data: { refusalCode: "unauthenticated" } } });
  });

  it("gives the coordinator the whole matrix: 25 measures, 17 departments, exactly the plan's marks", async () => {
    const response = await download("miit", `/export/matrix.xlsx?plan=${h.planId}&lang=zh`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(xlsxType);
    const disposition = response.headers.get("content-disposition") ?? "";
    expect(disposition).toMatch(/^attachment; filename="responsibility-matrix_2020-sme-support-system_\d{4}-\d{2}-\d{2}\.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? "")).toBe("责任分工矩阵_工信部联企业〔2020〕108号_2026-04-01.xlsx");
    expect(response.headers.get("cache-control")).toBe("private, no-store");

    const wb = await workbook(response);
    expect(wb.worksheets).toHaveLength(2 + 17);
    const sheet = wb.getWorksheet("责任分工矩阵");
    if (!sheet) throw new Error("no matrix sheet");
    const { headerRow, firstDepartmentColumn } = matrixSheetLayout;
    departments.forEach((d, i) => {
      expect(cellText(sheet, headerRow, firstDepartmentColumn + i)).toBe(d.shortZh);
    });
    const marks = new Map<string, string>();
    let measures = 0;
    sheet.eachRow((row, n) => {
      const number = row.getCell(1).value;
      if (n <= headerRow || typeof number !== "number") return;
      measures += 1;
      departments.forEach((d, i) => {
        const v = cellText(sheet, n, firstDepartmentColumn + i);
        if (v !== "") marks.set(`${number} ${d.code}`, v);
      });
    });
    expect(measures).toBe(25);
    expect(marks.size).toBe(division.length);
    for (const r of division) expect(marks.get(`${r.measureNumber} ${r.department}`)).toBe(r.role === "lead" ? "牵头" : "参与");
  });

  it("lets a liaison export the whole matrix and their own department, not another's", async () => {
    expect((await download("mof", `/export/matrix.xlsx?plan=${h.planId}`)).status).toBe(200);

    const own = await download("mof", `/export/matrix.xlsx?plan=${h.planId}&department=mof&lang=en`);
    expect(own.status).toBe(200);
    expect(own.headers.get("content-disposition")).toMatch(/filename="responsibility-matrix_2020-sme-support-system_MOF_\d{4}-\d{2}-\d{2}\.xlsx"/);
    const wb = await workbook(own);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["Matrix", "Task division", "MOF"]);
    const mofMeasures = new Set(division.filter((r) => r.department === "MOF").map((r) => r.measureNumber));
    const rows: number[] = [];
    wb.getWorksheet("Matrix")?.eachRow((row, n) => {
      const v = row.getCell(1).value;
      if (n > matrixSheetLayout.headerRow && typeof v === "number") rows.push(v);
    });
    expect(rows).toEqual([...mofMeasures].sort((a, b) => a - b));

    const refused = await download("mof", `/export/matrix.xlsx?plan=${h.planId}&department=NDRC`);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { data: { refusalCode: "not_your_department", field: "department" } } });
    const trail = (await auditEventsOf(h, "access.refused")).filter((e) => e.actorUsername === "mof");
    // Recorded by the API's own refusal audit (the export is the procedure export.file), with the plan.
    expect(trail.some((e) => e.payload.includes('"procedure":"export.file"') && e.planId === h.planId)).toBe(true);

    // An observer reads every department.
    expect((await download("observer", `/export/matrix.xlsx?plan=${h.planId}&department=NDRC`)).status).toBe(200);
  });
});

describe("GET /export/matrix.csv", () => {
  it("writes role/status from the current states, and shows a liaison states only where they share the measure", async () => {
    const response = await download("miit", `/export/matrix.csv?plan=${h.planId}&lang=en&status=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const [header, ...rows] = await csvRows(response);
    expect(header?.slice(3, 20)).toEqual(departments.map((d) => d.shortEn));
    expect(rows).toHaveLength(25);
    const mofColumn = 3 + departments.findIndex((d) => d.code === "MOF");
    const row7 = rows.find((r) => r[0] === "7");
    expect(row7?.[mofColumn]).toBe("Supporting/Signed off");
    // Everyone else has owed work since 20 March: overdue.
    const staColumn = 3 + departments.findIndex((d) => d.code === "STA");
    expect(row7?.[staColumn]).toBe("Lead/To acknowledge (Overdue)");

    const liaison = await csvRows(await download("mof", `/export/matrix.csv?plan=${h.planId}&lang=en&status=1`));
    const mofMeasures = new Set(division.filter((r) => r.department === "MOF").map((r) => String(r.measureNumber)));
    for (const row of liaison.slice(1)) {
      const cells = row.slice(3, 20).filter((c) => c !== "");
      if (mofMeasures.has(row[0] ?? "")) expect(cells.every((c) => c.includes("/"))).toBe(true);
      else expect(cells.every((c) => !c.includes("/"))).toBe(true);
    }
  });

  it("rebuilds the states as of the end of a past day from the audit trail", async () => {
    const mofColumn = 3 + departments.findIndex((d) => d.code === "MOF");
    const asOf = async (date: string): Promise<string[][]> =>
      csvRows(await download("miit", `/export/matrix.csv?plan=${h.planId}&lang=zh&status=1&asOf=${date}`));
    const before = await asOf("2026-03-01");
    expect(before.slice(1).every((r) => r.slice(3, 20).every((c) => !c.includes("/")))).toBe(true);
    const issued = await asOf("2026-03-04");
    expect(issued.find((r) => r[0] === "7")?.[mofColumn]).toBe("参与/待签收");
    const accepted = await asOf("2026-03-05");
    expect(accepted.find((r) => r[0] === "7")?.[mofColumn]).toBe("参与/已签收");
    const signedOff = await asOf("2026-03-10");
    expect(signedOff.find((r) => r[0] === "7")?.[mofColumn]).toBe("参与/已报结");
    // Not late yet on 18 March: due soon. Late on 25 March.
    const staColumn = 3 + departments.findIndex((d) => d.code === "STA");
    expect((await asOf("2026-03-18")).find((r) => r[0] === "7")?.[staColumn]).toBe("牵头/待签收（即将到期）");
    expect((await asOf("2026-03-25")).find((r) => r[0] === "7")?.[staColumn]).toBe("牵头/待签收（已逾期）");
    const response = await download("miit", `/export/matrix.csv?plan=${h.planId}&asOf=2026-03-05`);
    expect(decodeURIComponent(response.headers.get("content-disposition")?.split("UTF-8''")[1] ?? "")).toBe(
      "责任分工矩阵_工信部联企业〔2020〕108号_截至2026-03-05.csv",
    );
  });

  it("refuses bad parameters with 400 and unknown things with 404", async () => {
    const cases: Array<[string, number, string]> = [
      [`/export/matrix.csv?plan=${h.planId}&asOf=2026-04-02`, 400, "invalid_input"],
      [`/export/matrix.csv?plan=${h.planId}&asOf=2026-02-30`, 400, "invalid_input"],
      [`/export/matrix.csv?plan=${h.planId}&asOf=yesterday`, 400, "invalid_input"],
      [`/export/matrix.csv?plan=${h.planId}&lang=fr`, 400, "invalid_input"],
      [`/export/matrix.csv?plan=${h.planId}&department=XYZ`, 400, "unknown_department"],
      [`/export/matrix.csv?plan=999`, 404, "not_found"],
    ];
    for (const [path, status, code] of cases) {
      const response = await download("miit", path);
      expect(response.status, path).toBe(status);
      expect(await response.json(), path).toMatchObject({ error: { data: { refusalCode: code } } });
    }
    expect((await download("miit", "/export/matrix.docx")).status).toBe(404);
  });
});

describe("GET /export/division.xlsx, matrix.pdf, progress.*", () => {
  it("writes the task-division table with the lead's deadline", async () => {
    const response = await download("miit", `/export/division.xlsx?plan=${h.planId}&lang=zh`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(xlsxType);
    const sheet = (await workbook(response)).getWorksheet("任务分工表");
    if (!sheet) throw new Error("no division sheet");
    const { headerRow, firstBodyRow } = divisionSheetLayout;
    expect([1, 2, 3, 4, 5].map((c) => cellText(sheet, headerRow, c))).toEqual(["序号", "重点任务", "牵头单位", "参与单位", "完成时限"]);
    expect(sheet.rowCount).toBe(headerRow + 25);
    for (let i = 0; i < 25; i += 1) expect(cellText(sheet, firstBodyRow + i, 5)).toBe("2026年3月20日前");
  });

  it("prints the matrix as a PDF with the Chinese department names", async () => {
    const response = await download("miit", `/export/matrix.pdf?plan=${h.planId}&lang=zh&status=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const text = pdfText(await body(response));
    expect(text).toContain("工信部");
    expect(text).toContain("财政部");
    expect(text).toContain("已报结");
  });

  it("reports progress: the coordinator sees every department, a liaison only their own", async () => {
    const all = await workbook(await download("miit", `/export/progress.xlsx?plan=${h.planId}&lang=zh`));
    const byDepartment = all.getWorksheet("分单位统计");
    expect(byDepartment?.rowCount).toBe(3 + 17);
    const overdue = all.getWorksheet("逾期事项");
    // Every assignment but MOF's signed-off one on (7) is owed and 12 days late.
    expect(overdue?.rowCount).toBe(3 + division.length - 1);
    expect(overdue?.getCell(4, 7).value).toBe(12);

    const own = await workbook(await download("mof", `/export/progress.xlsx?plan=${h.planId}&lang=zh`));
    const rows: string[] = [];
    own.getWorksheet("分单位统计")?.eachRow((row, n) => {
      if (n > 3) rows.push(String(row.getCell(1).value));
    });
    expect(rows).toEqual(["财政部"]);
    expect((await download("mof", `/export/progress.xlsx?plan=${h.planId}&department=NDRC`)).status).toBe(403);

    const pdf = await download("miit", `/export/progress.pdf?plan=${h.planId}&lang=zh`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const text = pdfText(await body(pdf));
    expect(text).toContain("国家税务总局");
    expect(text).toContain("逾期事项清单");
  });
});

describe("a download answers refusals exactly as the API does", () => {
  /** Status and error body, with `data.path` (the procedure's name, which differs by design) set aside. */
  async function refusal(response: Response): Promise<{ status: number; error: Record<string, unknown>; path: unknown }> {
    const body = (await response.json()) as { error: { data: Record<string, unknown> } & Record<string, unknown> };
    const { path, ...data } = body.error.data;
    return { status: response.status, error: { ...body.error, data }, path };
  }
  const api = (procedure: string, input: unknown): string => `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;

  it("without a session: the same 401 and body as matrix.get", async () => {
    const exported = await refusal(await download(null, `/export/matrix.xlsx?plan=${h.planId}`));
    const called = await refusal(await download(null, api("matrix.get", { planId: h.planId })));
    expect(exported.status).toBe(401);
    expect(exported.error).toEqual(called.error);
    expect(exported.error).toMatchObject({ data: { refusalCode: "unauthenticated", httpStatus: 401 } });
    expect([exported.path, called.path]).toEqual(["export.file", "matrix.get"]);
  });

  it("with bad input: the same 400, message, field and issues as matrix.get given the same values", async () => {
    const cases: Array<[string, unknown]> = [
      ["plan=0", { planId: 0 }],
      ["plan=abc", { planId: "abc" }],
      ["plan=1.5", { planId: 1.5 }],
      ["status=maybe", { planId: h.planId, withStatus: "maybe" }],
    ];
    for (const [query, input] of cases) {
      const exported = await refusal(await download("miit", `/export/matrix.xlsx?${query}${query.startsWith("plan") ? "" : `&plan=${h.planId}`}`));
      const called = await refusal(await download("miit", api("matrix.get", input)));
      expect(exported.status, query).toBe(400);
      expect(exported.error, query).toEqual(called.error);
      expect(exported.error, query).toMatchObject({ data: { refusalCode: "invalid_input" } });
    }
  });

  it("with a service's refusal: the same status, code and body shape (a plan that does not exist)", async () => {
    const exported = await refusal(await download("miit", "/export/matrix.xlsx?plan=999"));
    const called = await refusal(await download("miit", api("matrix.get", { planId: 999 })));
    expect(exported.status).toBe(called.status);
    expect(Object.keys(exported.error).sort()).toEqual(Object.keys(called.error).sort());
    expect(Object.keys(exported.error["data"] as object).sort()).toEqual(Object.keys(called.error["data"] as object).sort());
    expect((exported.error["data"] as { refusalCode: string }).refusalCode).toBe((called.error["data"] as { refusalCode: string }).refusalCode);
  });
});
