import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { departments, planCalendarDate } from "@countersign/domain";
import { divisionSheetLayout } from "@countersign/exports";
import { connectPostgres, copyFromSqlite, migratePostgres } from "@countersign/db-postgres";
import { freshDatabaseUrl } from "@countersign/db-postgres/test-support";
import { shownDatabaseUrl } from "../config.js";
import { createHarness } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { matrixCommand } from "./matrix.js";

let dir: string;
let h: Harness;
let env: NodeJS.ProcessEnv;

async function run(args: string[], runEnv: NodeJS.ProcessEnv = env): Promise<{ code: number; out: Buffer; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  let err = "";
  stdout.on("data", (c: Buffer) => out.push(c));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const code = await matrixCommand.run(args, { stdin: Readable.from([]), stdout, stderr, env: runEnv });
  return { code, out: Buffer.concat(out), err };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "countersign-cli-matrix-"));
  // A database file with the plan issued on 2 March 2026 and MOF's acceptances on 5 March: seeded into the file itself
  // (on PostgreSQL before the copy), so that the copy below holds them too whichever engine the callers are on.
  h = await createHarness({
    path: join(dir, "db.sqlite"),
    now: new Date("2026-03-02T02:00:00Z"),
    seed: async (seed) => {
      await seed.as("miit").plan.issue({ planId: seed.planId, dueDate: "2026-03-20" });
      seed.clock.now = new Date("2026-03-05T02:00:00Z");
      const mof = seed.as("mof");
      for (const row of (await mof.inbox.list({ planId: seed.planId, limit: 200 })).rows) {
        await mof.assignment.accept({ id: row.id, expectedVersion: row.version });
      }
    },
  });
  // The callers' database: the file on SQLite, DATABASE_URL on PostgreSQL.
  env = { ...h.commandEnv };
});

afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("cli matrix", () => {
  it("writes the matrix as XLSX from the database (the file, or PostgreSQL by DATABASE_URL)", async () => {
    const out = join(dir, "matrix.xlsx");
    const result = await run(["--format", "xlsx", "--lang", "zh", "--out", out]);
    expect(result.code).toBe(0);
    expect(result.err).toContain(`wrote ${out}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(readFileSync(out)).buffer);
    expect(wb.worksheets).toHaveLength(2 + 17);
    let measures = 0;
    wb.getWorksheet("责任分工矩阵")?.eachRow((row, n) => {
      if (n > 3 && typeof row.getCell(1).value === "number") measures += 1;
    });
    expect(measures).toBe(25);
  });

  it("writes CSV with status to standard output, now and as of a past day", async () => {
    const mofColumn = 3 + departments.findIndex((d) => d.code === "MOF");
    const now = await run(["--format", "csv", "--lang", "en", "--status", "--plan", String(h.planId), "--out", "-"]);
    expect(now.code).toBe(0);
    expect(now.out.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse(now.out.toString("utf8"), { bom: true }) as string[][];
    expect(rows).toHaveLength(26);
    const mofCells = rows.slice(1).map((r) => r[mofColumn] ?? "").filter((c) => c !== "");
    expect(mofCells.length).toBeGreaterThan(0);
    // The command judges lateness by the real clock, long after 20 March 2026.
    expect(mofCells.every((c) => /\/Accepted \((Overdue|Long overdue)\)$/.test(c))).toBe(true);

    const past = await run(["--format", "csv", "--lang", "en", "--status", "--as-of", "2026-03-04", "--out", "-"]);
    const pastRows = parse(past.out.toString("utf8"), { bom: true }) as string[][];
    expect(pastRows.slice(1).map((r) => r[mofColumn] ?? "").filter((c) => c !== "").every((c) => c.endsWith("/To acknowledge"))).toBe(true);
  });

  it("writes one department's task-division table and a PDF", async () => {
    const division = join(dir, "division.xlsx");
    expect((await run(["--report", "division", "--format", "xlsx", "--department", "mof", "--out", division])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(readFileSync(division)).buffer);
    const sheet = wb.worksheets[0];
    const rows: string[] = [];
    sheet?.eachRow((row, n) => {
      if (n >= divisionSheetLayout.firstBodyRow) rows.push(`${String(row.getCell(3).value)}|${String(row.getCell(4).value)}`);
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.includes("财政部"))).toBe(true);

    const pdf = join(dir, "matrix.pdf");
    expect((await run(["--format", "pdf", "--lang", "zh", "--status", "--out", pdf])).code).toBe(0);
    const text = execFileSync("pdftotext", ["-raw", "-enc", "UTF-8", pdf, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
    expect(text).toContain("工信部");
    expect(text).toContain("已签收");
  });

  it("works on a fresh database file: the default plan's proposed division", async () => {
    // A new file, whatever engine the callers are on: a first start on SQLite.
    const fresh = { DATABASE_PATH: join(dir, "fresh.sqlite") };
    const out = join(dir, "fresh.csv");
    expect((await run(["--format", "csv", "--out", out], fresh)).code).toBe(0);
    expect(existsSync(out)).toBe(true);
    const rows = parse(readFileSync(out, "utf8"), { bom: true }) as string[][];
    expect(rows).toHaveLength(26);
    expect(rows[0]?.[0]).toBe("序号");
  });

  it("refuses what it cannot do, with a usage message or the reason", async () => {
    const usage: string[][] = [
      ["--format", "xlsx"],
      ["--format", "docx", "--out", "x"],
      ["--report", "progress", "--format", "csv", "--out", "x"],
      ["--format", "csv", "--lang", "fr", "--out", "x"],
      ["--format", "csv", "--as-of", "soon", "--out", "x"],
      ["--format", "csv", "--bogus", "--out", "x"],
    ];
    for (const args of usage) expect((await run(args)).code, args.join(" ")).toBe(2);
    const unknown = await run(["--format", "csv", "--department", "XYZ", "--out", "-"]);
    expect(unknown).toMatchObject({ code: 1, err: "department: There is no department XYZ.\n" });
    const future = await run(["--format", "csv", "--as-of", "2999-01-01", "--out", "-"]);
    expect(future.code).toBe(1);
    expect(future.err).toContain(`after today (${planCalendarDate(new Date())}`);
    expect((await run(["--help"])).code).toBe(0);
  });
});

describe("cli matrix on PostgreSQL (DATABASE_URL)", () => {
  let pg: { url: string; drop: () => Promise<void> };
  let empty: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    // The same database file as above, copied into PostgreSQL as `cli db migrate-to-postgres` copies it.
    pg = await freshDatabaseUrl();
    empty = await freshDatabaseUrl();
    for (const [target, copy] of [
      [pg, true],
      [empty, false],
    ] as const) {
      const connection = connectPostgres(target.url);
      try {
        await migratePostgres(connection);
        if (copy) {
          h.database.sqlite.pragma("wal_checkpoint(TRUNCATE)");
          await copyFromSqlite(h.database.path, connection);
        }
      } finally {
        await connection.close();
      }
    }
  });

  afterAll(async () => {
    await pg.drop();
    await empty.drop();
  });

  it("writes the matrix with states from PostgreSQL, now and as of a past day, without the SQLite file", async () => {
    const mofColumn = 3 + departments.findIndex((d) => d.code === "MOF");
    const pgEnv = { DATABASE_URL: pg.url, DATABASE_PATH: join(dir, "absent", "never.sqlite") };
    const now = await run(["--format", "csv", "--lang", "en", "--status", "--out", "-"], pgEnv);
    expect(now.code).toBe(0);
    const rows = parse(now.out.toString("utf8"), { bom: true }) as string[][];
    expect(rows).toHaveLength(26);
    const mofCells = rows.slice(1).map((r) => r[mofColumn] ?? "").filter((c) => c !== "");
    expect(mofCells.length).toBeGreaterThan(0);
    expect(mofCells.every((c) => /\/Accepted \((Overdue|Long overdue)\)$/.test(c))).toBe(true);
    const past = await run(["--format", "csv", "--lang", "en", "--status", "--as-of", "2026-03-04", "--out", "-"], pgEnv);
    const pastRows = parse(past.out.toString("utf8"), { bom: true }) as string[][];
    expect(pastRows.slice(1).map((r) => r[mofColumn] ?? "").filter((c) => c !== "").every((c) => c.endsWith("/To acknowledge"))).toBe(true);
    // Nothing was opened or created on the SQLite side.
    expect(existsSync(join(dir, "absent"))).toBe(false);

    const out = join(dir, "pg-matrix.xlsx");
    const written = await run(["--format", "xlsx", "--department", "MOF", "--out", out], pgEnv);
    expect(written.code).toBe(0);
    expect(written.err).toContain(`wrote ${out}`);
    // The database named as the server logs it (a password shown as ***).
    expect(written.err).toContain(`from ${shownDatabaseUrl(pg.url)}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(readFileSync(out)).buffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["责任分工矩阵", "任务分工表", "财政部"]);
  });

  it("says so when the database holds no plan, and refuses a URL that is not PostgreSQL's", async () => {
    expect(await run(["--format", "csv", "--out", "-"], { DATABASE_URL: empty.url })).toMatchObject({
      code: 1,
      err: "plan: There is no plan to export yet.\n",
    });
    const wrong = await run(["--format", "csv", "--out", "-"], { DATABASE_URL: "mysql://localhost/countersign" });
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("DATABASE_URL must be a postgres://");
  });
});
