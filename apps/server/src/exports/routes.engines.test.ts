/**
 * The /export downloads over real HTTP on each engine (issue 13): the same server (buildApp) on the harness's store,
 * which on PostgreSQL has `ctx.db` refusing every use, so every read of an export goes through the store seam. The
 * plan is issued on 2 March 2026 and MOF accepts its assignments on 5 March (in the seed, before the copy); today is
 * 1 April. CSV, XLSX and PDF with states, "as of" a past day, and what a liaison may and may not export.
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
import { matrixSheetLayout } from "@countersign/exports";
import { buildApp } from "../app.js";
import { demoPassword } from "../demo/demo-accounts.js";
import { createHarness, harnessEngines } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { createDownloadCaller } from "./download-router.js";

const mofColumn = 3 + departments.findIndex((d) => d.code === "MOF");
const staColumn = 3 + departments.findIndex((d) => d.code === "STA");

/** A started server on a harness, with cookie sign-in and downloads. */
async function serve(h: Harness): Promise<{ app: FastifyInstance; download: (username: string, path: string) => Promise<Response> }> {
  const deps = h.context(null);
  const app = await buildApp(
    { store: deps.store, db: deps.db, live: h.live, sessionPolicy: deps.sessionPolicy, now: () => h.clock.now, secureCookies: false },
    { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const base = `http://127.0.0.1:${address.port}`;
  const cookies = new Map<string, string>();
  const download = async (username: string, path: string): Promise<Response> => {
    let cookie = cookies.get(username);
    if (cookie === undefined) {
      const response = await fetch(`${base}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username, password: demoPassword }),
      });
      expect(response.status).toBe(200);
      cookie = response.headers.getSetCookie()[0]?.split(";")[0];
      if (cookie === undefined) throw new Error("no session cookie");
      cookies.set(username, cookie);
    }
    return fetch(`${base}${path}`, { headers: { cookie } });
  };
  return { app, download };
}

async function csvRows(response: Response): Promise<string[][]> {
  expect(response.status).toBe(200);
  return parse(Buffer.from(await response.arrayBuffer()).toString("utf8"), { bom: true }) as string[][];
}

async function workbook(response: Response): Promise<ExcelJS.Workbook> {
  expect(response.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(Buffer.from(await response.arrayBuffer())).buffer);
  return wb;
}

describe.each(harnessEngines)("the plan exports on %s", (engine) => {
  let h: Harness;
  let app: FastifyInstance;
  let download: (username: string, path: string) => Promise<Response>;
  let dir: string;
  /** The measures MOF takes part in. */
  let mofMeasures: Set<number>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "countersign-export-engines-"));
    h = await createHarness({
      engine,
      now: new Date("2026-03-02T02:00:00Z"),
      seed: async (seeder) => {
        await seeder.as("miit").plan.issue({ planId: seeder.planId, dueDate: "2026-03-20" });
        seeder.clock.now = new Date("2026-03-05T02:00:00Z");
        const mof = seeder.as("mof");
        for (const row of (await mof.inbox.list({ planId: seeder.planId, limit: 200 })).rows) {
          await mof.assignment.accept({ id: row.id, expectedVersion: row.version });
        }
        seeder.clock.now = new Date("2026-04-01T02:00:00Z");
      },
    });
    const plan = await h.store.read((repos) => repos.catalog.responsibilities(h.planId));
    mofMeasures = new Set(plan.filter((r) => r.department === "MOF").map((r) => r.measureNumber));
    ({ app, download } = await serve(h));
  });

  afterAll(async () => {
    await app.close();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes the matrix as CSV with the current states, for the default plan when none is named", async () => {
    const rows = await csvRows(await download("miit", "/export/matrix.csv?lang=en&status=1"));
    expect(rows).toHaveLength(26);
    const row7 = rows.find((r) => r[0] === "7");
    expect(row7?.[mofColumn]).toBe("Supporting/Accepted (Overdue)");
    expect(row7?.[staColumn]).toBe("Lead/To acknowledge (Overdue)");
  });

  it("rebuilds the states as of a past day from the audit trail", async () => {
    const asOf = async (date: string) => csvRows(await download("miit", `/export/matrix.csv?plan=${h.planId}&lang=zh&status=1&asOf=${date}`));
    expect((await asOf("2026-03-01")).slice(1).every((r) => r.slice(3, 20).every((c) => !c.includes("/")))).toBe(true);
    expect((await asOf("2026-03-04")).find((r) => r[0] === "7")?.[mofColumn]).toBe("参与/待签收");
    expect((await asOf("2026-03-05")).find((r) => r[0] === "7")?.[mofColumn]).toBe("参与/已签收");
  });

  it("shows a liaison states only on the measures their department shares", async () => {
    const rows = await csvRows(await download("mof", `/export/matrix.csv?plan=${h.planId}&lang=en&status=1`));
    expect(rows).toHaveLength(26);
    for (const row of rows.slice(1)) {
      const cells = row.slice(3, 20).filter((c) => c !== "");
      expect(cells.length).toBeGreaterThan(0);
      if (mofMeasures.has(Number(row[0]))) expect(cells.every((c) => c.includes("/"))).toBe(true);
      else expect(cells.every((c) => !c.includes("/"))).toBe(true);
    }
  });

  it("gives a liaison their own department's XLSX, not another's; an observer any department's", async () => {
    const own = await workbook(await download("mof", `/export/matrix.xlsx?plan=${h.planId}&department=MOF&lang=en`));
    expect(own.worksheets.map((s) => s.name)).toEqual(["Matrix", "Task division", "MOF"]);
    const rows: number[] = [];
    own.getWorksheet("Matrix")?.eachRow((row, n) => {
      const v = row.getCell(1).value;
      if (n > matrixSheetLayout.headerRow && typeof v === "number") rows.push(v);
    });
    expect(rows).toEqual([...mofMeasures].sort((a, b) => a - b));

    const refused = await download("mof", `/export/matrix.xlsx?plan=${h.planId}&department=NDRC`);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { data: { refusalCode: "not_your_department", field: "department" } } });
    const progress = await download("mof", `/export/progress.xlsx?plan=${h.planId}&department=NDRC`);
    expect(progress.status).toBe(403);

    expect((await download("observer", `/export/matrix.xlsx?plan=${h.planId}&department=NDRC`)).status).toBe(200);
  });

  it("limits a liaison's progress report to their own department", async () => {
    const own = await workbook(await download("mof", `/export/progress.xlsx?plan=${h.planId}&lang=zh`));
    const names: string[] = [];
    own.getWorksheet("分单位统计")?.eachRow((row, n) => {
      if (n > 3) names.push(String(row.getCell(1).value));
    });
    expect(names).toEqual(["财政部"]);
  });

  it("prints the matrix with states as a PDF", async () => {
    const response = await download("miit", `/export/matrix.pdf?plan=${h.planId}&lang=zh&status=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const file = join(dir, "matrix.pdf");
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-raw", "-enc", "UTF-8", file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
    expect(text).toContain("财政部");
    expect(text).toContain("已签收");
  });

  it("reads through the catalogue's export verbs in their contracted orders", async () => {
    const { first, issued, trail } = await h.store.read(async (repos) => ({
      first: await repos.catalog.firstPlanId(),
      issued: await repos.catalog.issuedAssignments(h.planId),
      trail: await repos.catalog.planTrail(h.planId),
    }));
    expect(first).toBe(h.planId);
    const division = await h.store.read((repos) => repos.catalog.responsibilities(h.planId));
    expect(issued).toHaveLength(division.length);
    expect(issued.map((a) => a.id)).toEqual(issued.map((a) => a.id).sort((x, y) => x - y));
    expect(new Set(issued.map((a) => a.issuedAt))).toEqual(new Set(["2026-03-02T02:00:00.000Z"]));
    expect(trail.map((e) => e.seq)).toEqual(trail.map((e) => e.seq).sort((x, y) => x - y));
    expect(trail.filter((e) => e.type === "assignment.issued")).toHaveLength(division.length);
    expect(trail.filter((e) => e.type === "assignment.accepted")).toHaveLength(mofMeasures.size);
    // Payloads are the chained JSON text on both engines.
    expect(trail.every((e) => typeof e.payload === "string" && typeof JSON.parse(e.payload) === "object")).toBe(true);
  });

  it("refuses a plan that does not exist and a department that does not", async () => {
    const missing = await download("miit", "/export/matrix.csv?plan=999");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { data: { refusalCode: "not_found" } } });
    const unknown = await download("miit", `/export/matrix.csv?plan=${h.planId}&department=XYZ`);
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { data: { refusalCode: "unknown_department" } } });
  });
});

describe.each(harnessEngines)("a draft plan's exports on %s", (engine) => {
  let h: Harness;
  let app: FastifyInstance;
  let download: (username: string, path: string) => Promise<Response>;

  beforeAll(async () => {
    h = await createHarness({ engine });
    ({ app, download } = await serve(h));
  });

  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it("are the coordinator's until the plan is issued: a liaison is refused with plan_not_issued", async () => {
    expect((await download("miit", `/export/division.xlsx?plan=${h.planId}`)).status).toBe(200);
    const refused = await download("mof", `/export/matrix.csv?plan=${h.planId}`);
    expect(refused.status).toBe(412);
    expect(await refused.json()).toMatchObject({ error: { data: { refusalCode: "plan_not_issued" } } });
  });
});

describe.each(harnessEngines)("a handler's exports on %s", (engine) => {
  let h: Harness;
  let handed: { id: number; measureNumber: number };

  beforeAll(async () => {
    let made: { id: number; measureNumber: number } | null = null;
    h = await createHarness({
      engine,
      seed: async ({ planId, as }) => {
        // The plan issued; one of MOF's assignments handed to the tax division's handler (mof.tax).
        await as("miit").plan.issue({ planId, dueDate: "2026-06-30" });
        const admin = as("admin");
        const division = await admin.admin.createDivision({ department: "MOF", nameZh: "税政司", nameEn: null });
        const { account } = await admin.admin.create({
          username: "mof.tax",
          role: "liaison",
          department: "MOF",
          displayNameZh: "张伟",
          displayNameEn: null,
          ssoIdentity: null,
        });
        await admin.admin.setDepartmentPart({ id: account.id, departmentRole: "handler", divisionId: division.id });
        const mof = as("mof");
        const first = (await mof.inbox.list({ planId, limit: 1 })).rows[0];
        if (first === undefined) throw new Error("MOF has no assignment");
        const accepted = await mof.assignment.accept({ id: first.id, expectedVersion: first.version });
        await mof.assignment.assignHandler({ id: first.id, expectedVersion: accepted.version, divisionId: division.id, handlerId: account.id, note: "税政司承办" });
        made = { id: first.id, measureNumber: first.measureNumber };
      },
    });
    if (made === null) throw new Error("the seed did not run");
    handed = made;
  }, 60_000);
  afterAll(() => h.close());

  /** The matrix CSV with states, as `username` downloads it (the procedure the route calls), as "measure department" → cell. */
  async function stateCells(username: string): Promise<Map<string, string>> {
    const file = await createDownloadCaller(h.context(h.user(username))).export.file({ file: "matrix.csv", planId: h.planId, lang: "en", withStatus: true });
    const [header, ...rows] = parse(Buffer.from(file.body).toString("utf8"), { bom: true }) as string[][];
    const cells = new Map<string, string>();
    for (const row of rows) {
      row.forEach((cell, i) => {
        if (i >= 3 && cell.includes("/")) cells.set(`${row[0]} ${header?.[i] ?? "?"}`, cell);
      });
    }
    return cells;
  }

  it("shows a handler the states of what is handed to them only, as the matrix page does", async () => {
    const mofShort = departments.find((d) => d.code === "MOF")?.shortEn ?? "MOF";
    const cells = await stateCells("mof.tax");
    expect([...cells.keys()]).toEqual([`${handed.measureNumber} ${mofShort}`]);
    expect(cells.get(`${handed.measureNumber} ${mofShort}`)).toMatch(/\/Accepted$/);
    // The same one state as the matrix page shows the handler.
    const { matrix } = await h.as("mof.tax").matrix.get({ planId: h.planId, withStatus: true });
    const onScreen = matrix.groups.flatMap((g) => g.rows.flatMap((r) => r.cells.filter((c) => c.status !== null).map((c) => `${r.measure.number} ${c.department}`)));
    expect(onScreen).toEqual([`${handed.measureNumber} MOF`]);
    // The department's liaison sees every state on the measures MOF shares.
    expect((await stateCells("mof")).size).toBeGreaterThan(1);
  });
});
