/**
 * `cli db backup` on either engine (issue 13): SQLite's online backup, or on PostgreSQL (DATABASE_URL) pg_dump's
 * custom format. Each backup is restored (SQLite: `cli db restore`; PostgreSQL: pg_restore into an empty database)
 * and read back through the store: the account is there and the audit chain verifies.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectPostgres } from "@countersign/db-postgres";
import { freshDatabaseUrl } from "@countersign/db-postgres/test-support";
import { harnessEngines } from "../test-support/harness.js";
import type { CliCommand, CliIo } from "./command.js";
import { openCommandStore } from "./command-store.js";
import { backupPostgres, findPostgresProgram, tablesWithData } from "./db-backup-postgres.js";
import { dbCommand } from "./db-backup.js";
import { userCommand } from "./user.js";

function io(env: NodeJS.ProcessEnv, stdin = ""): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  return { io: { stdin: Readable.from([stdin]), stdout, stderr, env }, out: () => out, err: () => err };
}

async function run(command: CliCommand, args: string[], env: NodeJS.ProcessEnv, stdin = ""): Promise<{ code: number; out: string; err: string }> {
  const streams = io(env, stdin);
  const code = await command.run(args, streams.io);
  return { code, out: streams.out(), err: streams.err() };
}

/** What a restored database holds, read through the store: the account added before the backup, the chain's verdict. */
async function readBack(env: NodeJS.ProcessEnv): Promise<{ account: string | undefined; chainOk: boolean; events: number }> {
  const opened = await openCommandStore(io(env).io);
  try {
    const account = await opened.store.read((repos) => repos.accounts.byUsername("zhang.wei"));
    const verdict = await opened.store.verifyAuditChain();
    return { account: account?.role, chainOk: verdict.ok, events: verdict.events };
  } finally {
    await opened.close();
  }
}

describe.each(harnessEngines)("cli db backup on %s", (engine) => {
  let dir: string;
  const cleanups: Array<() => Promise<void>> = [];
  /** A database the command works on: an empty PostgreSQL database, or a SQLite file in the test's folder. */
  async function database(name: string): Promise<NodeJS.ProcessEnv> {
    if (engine === "sqlite") return { PATH: process.env["PATH"], DATABASE_PATH: join(dir, `${name}.sqlite`) };
    const { url, drop } = await freshDatabaseUrl();
    cleanups.push(drop);
    return { PATH: process.env["PATH"], DATABASE_URL: url };
  }
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "countersign-backup-"));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("backs up the live database into a new file that restores whole, chain verified; refuses an existing file", async () => {
    const env = await database("live");
    expect((await run(userCommand, ["add", "--username", "zhang.wei", "--role", "admin", "--password-stdin"], env, "plum rain over the river")).code).toBe(0);
    const original = await readBack(env);
    expect(original).toMatchObject({ account: "admin", chainOk: true });
    const file = join(dir, engine === "sqlite" ? "backup.sqlite" : "backup.dump");

    const backup = await run(dbCommand, ["backup", file], env);
    expect(backup).toMatchObject({ code: 0, err: "" });
    expect(backup.out).toContain(`to ${file}`);
    expect(existsSync(`${file}.partial`)).toBe(false);
    expect(await run(dbCommand, ["backup", file], env)).toMatchObject({ code: 2, err: `${file} exists; choose a new file name\n` });

    const restoredEnv = await database("restored");
    if (engine === "sqlite") {
      expect((await run(dbCommand, ["restore", file], restoredEnv)).code).toBe(0);
    } else {
      expect(backup.out).toContain("pg_dump custom format");
      expect(backup.out).toMatch(/audit chain ok, \d+ events, head [0-9a-f]{64}, verified in the snapshot dumped/);
      expect(backup.out).toMatch(/\d+ tables' rows listed back by pg_restore/);
      const pgRestore = findPostgresProgram("pg_restore", process.env);
      if (pgRestore === undefined) throw new Error("pg_restore is not installed");
      await promisify(execFile)(pgRestore, ["--no-owner", "--exit-on-error", `--dbname=${restoredEnv["DATABASE_URL"] ?? ""}`, file]);
      // `cli db restore` restores SQLite backups only, and says what to do on PostgreSQL.
      const refused = await run(dbCommand, ["restore", file], restoredEnv);
      expect(refused).toMatchObject({ code: 2, err: expect.stringContaining("pg_restore") });
    }
    expect(await readBack(restoredEnv)).toEqual(original);
  });

  it.runIf(engine === "postgres")("refuses to finish a backup whose audit chain is broken: exit 1, named, no file", async () => {
    const env = await database("live");
    expect((await run(userCommand, ["add", "--username", "zhang.wei", "--role", "admin", "--password-stdin"], env, "plum rain over the river")).code).toBe(0);
    const url = env["DATABASE_URL"] ?? "";
    const connection = connectPostgres(url);
    try {
      // As an intruder with SQL would: one stored event's actor changed, its hash left as it was.
      await connection.pool.query("update audit_events set actor_department = 'NDRC' where seq = (select min(seq) from audit_events)");
    } finally {
      await connection.close();
    }
    const file = join(dir, "backup.dump");
    const backup = await run(dbCommand, ["backup", file], env);
    expect(backup.code).toBe(1);
    expect(backup.err).toMatch(/audit chain it holds is BROKEN: hash_mismatch at event \d+, seq 1\), kept as .*backup\.dump\.partial/);
    expect(existsSync(file)).toBe(false);
  });

  it.runIf(engine === "postgres")("names pg_dump when it is not installed, and writes nothing", async () => {
    const env = await database("live");
    const emptyRoot = join(dir, "no-postgresql");
    mkdirSync(emptyRoot);
    const file = join(dir, "backup.dump");
    const streams = io({ ...env, PATH: join(dir, "no-bin") });
    expect(await backupPostgres(env["DATABASE_URL"] ?? "", file, streams.io, emptyRoot)).toBe(2);
    expect(streams.err()).toContain("pg_dump was not found");
    expect(existsSync(file)).toBe(false);
  });
});

describe("cli db backup's usage", () => {
  it("prints the usage for --help (exit 0) and names an unknown option beside the usage (exit 2)", async () => {
    const helped = await run(dbCommand, ["backup", "--help"], {});
    expect(helped).toMatchObject({ code: 0, err: "" });
    expect(helped.out).toContain("usage: cli db backup <file>");
    const unknown = await run(dbCommand, ["backup", "--to", "x.sqlite"], {});
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("Unknown option '--to'");
    expect(unknown.err).toContain("usage: cli db backup <file>");
  });
});

describe("finding PostgreSQL's programs", () => {
  it("takes the one on PATH first, else the newest version's under Debian's /usr/lib/postgresql/<version>/bin", () => {
    const root = mkdtempSync(join(tmpdir(), "countersign-pgbin-"));
    try {
      const program = (path: string): void => {
        mkdirSync(join(path, ".."), { recursive: true });
        writeFileSync(path, "#!/bin/sh\n", { mode: 0o755 });
      };
      expect(findPostgresProgram("pg_dump", { PATH: "" }, join(root, "lib"))).toBeUndefined();
      program(join(root, "lib", "13", "bin", "pg_dump"));
      program(join(root, "lib", "16", "bin", "pg_dump"));
      mkdirSync(join(root, "lib", "17", "bin"), { recursive: true });
      expect(findPostgresProgram("pg_dump", { PATH: "" }, join(root, "lib"))).toBe(join(root, "lib", "16", "bin", "pg_dump"));
      program(join(root, "bin", "pg_dump"));
      expect(findPostgresProgram("pg_dump", { PATH: join(root, "bin") }, join(root, "lib"))).toBe(join(root, "bin", "pg_dump"));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("reads the tables with rows from pg_restore --list", () => {
    const listing = [
      ";     Dump Version: 1.14-0",
      "3401; 1259 16390 TABLE public audit_events postgres",
      "3412; 0 16390 TABLE DATA public audit_events postgres",
      "3413; 0 16402 TABLE DATA public users postgres",
      ";3414; 0 16410 TABLE DATA public sessions postgres",
    ].join("\n");
    expect(tablesWithData(listing)).toEqual(["audit_events", "users"]);
  });
});
