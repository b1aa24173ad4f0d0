// `cli db migrate-to-postgres` as an operator runs it: the real CLI process on a demo database the server seeded (with an
// attachment stored through the server's own service), into a real PostgreSQL server.
import { execFile, execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { and, eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSqliteStore, loadDefaultPlan, openDatabase } from "@countersign/db";
import { assignmentsTable, usersTable } from "@countersign/db/schema";
import type { ActorRole, DepartmentCode } from "@countersign/domain";
import { seedDemo } from "../demo/seed-demo.js";
import { checkUpload } from "../services/attachments/attachment-rules.js";
import { actOnAssignment } from "../services/assignment/act-on-assignment.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const cli = join(here, "../cli.ts");
const script = join(here, "../../../../scripts/postgres.sh");

let adminUrl = "";
let stopServer: (() => void) | null = null;
const cleanups: (() => Promise<void> | void)[] = [];

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

// A real PostgreSQL: DATABASE_URL_PG when given, else a throw-away cluster of our own (scripts/postgres.sh).
beforeAll(async () => {
  const given = process.env["DATABASE_URL_PG"];
  if (given !== undefined && given !== "") {
    adminUrl = given;
    return;
  }
  const port = await freePort();
  const dir = join(tmpdir(), `countersign-pg-cli-${process.pid}`);
  adminUrl = execFileSync("bash", [script, "start", dir, String(port)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  stopServer = () => execFileSync("bash", [script, "stop", dir], { stdio: ["ignore", "ignore", "inherit"] });
}, 180_000);
afterAll(() => stopServer?.());
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new, empty PostgreSQL database, dropped after the test. */
async function emptyDatabase(): Promise<string> {
  const name = `cs_cli_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`create database ${name}`));
  cleanups.push(() => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A PNG the upload check accepts, carrying every byte value and random bytes in its image-data chunk. */
function pngWithEveryByte(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type, "ascii"), data, Buffer.alloc(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const data = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(100_000)]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", data), chunk("IEND", Buffer.alloc(0))]);
}

/** The demo database the server seeds, plus a comment with a PNG through the server's attachment service. */
async function demoDatabase(): Promise<{ path: string; png: Buffer }> {
  const dir = mkdtempSync(join(tmpdir(), "countersign-migrate-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "countersign.sqlite");
  const opened = openDatabase(path);
  const png = pngWithEveryByte();
  try {
    loadDefaultPlan(opened.db);
    await seedDemo(opened.db, new Date("2026-03-01T02:00:00Z"));
    const file = await checkUpload("进展佐证.png", "image/png", png);
    const assignment = opened.db.select().from(assignmentsTable).where(eq(assignmentsTable.status, "accepted")).limit(1).get();
    if (assignment === undefined) throw new Error("the demo has no accepted assignment");
    const liaison = opened.db
      .select()
      .from(usersTable)
      .where(and(eq(usersTable.department, assignment.department), eq(usersTable.role, "liaison")))
      .limit(1)
      .get();
    if (liaison === undefined || liaison.department === null) throw new Error("no liaison for the assignment");
    const user = { id: liaison.id, username: liaison.username, displayName: liaison.displayName, role: liaison.role as ActorRole, department: liaison.department as DepartmentCode };
    const store = createSqliteStore(opened);
    try {
      await store.transaction((tx) =>
        actOnAssignment(tx, user, { id: assignment.id, expectedVersion: assignment.version, action: { type: "comment", body: "附进展材料" }, files: [file] }, new Date("2026-03-01T03:00:00Z")),
      );
    } finally {
      await store.close();
    }
  } finally {
    opened.close();
  }
  return { path, png };
}

/** The CLI as an operator runs it: its own Node process, from the command line's entry point. */
function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ["--import", "tsx", cli, ...args], { encoding: "utf8", env: { ...process.env, INIT_CWD: "" } }, (error, out, err) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      done({ code, out, err });
    });
  });
}

async function counts(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ t: string }>(
      "select (select count(*) from assignments) || '/' || (select count(*) from audit_events) || '/' || (select count(*) from attachment_blobs) as t",
    );
    return r.rows[0]?.t ?? "";
  } finally {
    await client.end();
  }
}

describe("cli db migrate-to-postgres", () => {
  it("copies the demo database with equal counts and a verified chain; the attachment byte for byte; a second run is refused", async () => {
    const { path, png } = await demoDatabase();
    const url = await emptyDatabase();
    const run = await runCli(["db", "migrate-to-postgres", "--to", url, "--database", path, "--batch-rows", "50"]);
    expect(run.err).toContain("copying audit_events");
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/audit chain on PostgreSQL: verified, \d+ events, head [0-9a-f]{64}/);
    expect(run.out).toContain("migrated: every count equal, chain verified");
    expect(run.out).not.toContain("MISMATCH");

    // The report's numbers are the source's: each table line names SQLite's count twice.
    const sqlite = new Database(path, { readonly: true });
    const expected = (table: string) => (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    for (const table of ["assignments", "audit_events", "comments", "users", "attachments", "attachment_blobs", "assignment_notices"]) {
      const n = expected(table).toLocaleString("en");
      expect(run.out).toMatch(new RegExp(`^${table} +${n} +${n}$`, "m"));
    }
    expect(expected("attachment_blobs")).toBe(1);
    const sourceEvents = sqlite.prepare("select * from audit_events order by id").all();
    sqlite.close();

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const blob = await client.query<{ bytes: Buffer; sha256: string; name: string }>(
        "select b.bytes, a.sha256, a.name from attachment_blobs b join attachments a on a.id = b.attachment_id",
      );
      expect(blob.rows[0]?.name).toBe("进展佐证.png");
      expect(blob.rows[0]?.bytes.equals(png)).toBe(true);
      expect(blob.rows[0]?.sha256).toBe(createHash("sha256").update(png).digest("hex"));
      const events = await client.query("select * from audit_events order by id");
      expect(events.rows).toEqual(sourceEvents);
    } finally {
      await client.end();
    }

    const before = await counts(url);
    const again = await runCli(["db", "migrate-to-postgres", "--to", url, "--database", path]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/refused: the PostgreSQL database is not empty .*nothing was changed/);
    expect(await counts(url)).toBe(before);
  }, 120_000);

  it("exits non-zero and says NOT VERIFIED when the source chain was tampered with", async () => {
    const { path } = await demoDatabase();
    const sqlite = new Database(path);
    sqlite.prepare("update audit_events set actor_department = 'NDRC' where seq = 3").run();
    sqlite.close();
    const url = await emptyDatabase();
    const run = await runCli(["db", "migrate-to-postgres", "--to", url, "--database", path]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/audit chain on PostgreSQL: NOT VERIFIED at event seq 3 \(id \d+\): hash_mismatch/);
    expect(run.out).toContain("MIGRATION DOES NOT CHECK OUT");
  }, 120_000);

  it("answers a missing --to, a non-PostgreSQL URL and a missing file with usage, exit 2", async () => {
    const missing = await runCli(["db", "migrate-to-postgres"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("usage: cli db migrate-to-postgres");
    expect((await runCli(["db", "migrate-to-postgres", "--to", "mysql://x/y"])).code).toBe(2);
    const nofile = await runCli(["db", "migrate-to-postgres", "--to", "postgres://cs@127.0.0.1:1/x", "--database", "/nonexistent/db.sqlite"]);
    expect(nofile.code).toBe(2);
    expect(nofile.err).toContain("no SQLite database at /nonexistent/db.sqlite");
  }, 60_000);
});
