import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCommand } from "../test-support/cli-run.js";
import { eq } from "drizzle-orm";
import { openDatabase } from "@countersign/db";
import { auditEventsTable, usersTable } from "@countersign/db/schema";
import { verifyPassword } from "../services/auth/password.js";
import { userCommand } from "./user.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function run(args: string[], stdin: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  return runCommand(userCommand, args, env, stdin);
}

describe("cli user add", () => {
  it("creates an account with the password from standard input", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-cli-"));
    dirs.push(dir);
    const env = { DATABASE_PATH: join(dir, "db.sqlite") };
    const ok = await run(["add", "--username", "Zhang.Wei", "--role", "liaison", "--department", "mof", "--password-stdin"], "plum rain over the river\n", env);
    expect(ok).toMatchObject({ code: 0, err: "" });
    expect(ok.out).toContain("created zhang.wei (liaison, MOF)");
    const again = await run(["add", "--username", "zhang.wei", "--role", "liaison", "--department", "MOF", "--password-stdin"], "another long passphrase", env);
    expect(again.code).toBe(1);
    expect(again.err).toContain("username: The username zhang.wei is taken.");
    const badDepartment = await run(["add", "--username", "li", "--role", "liaison", "--department", "XYZ", "--password-stdin"], "long enough passphrase", env);
    expect(badDepartment).toMatchObject({ code: 1, err: "department: There is no department XYZ.\n" });
    expect((await run(["add", "--username", "li", "--role", "king", "--password-stdin"], "x", env)).code).toBe(2);

    const database = openDatabase(env.DATABASE_PATH);
    try {
      const row = database.db.select().from(usersTable).where(eq(usersTable.username, "zhang.wei")).get();
      expect(row).toMatchObject({ role: "liaison", department: "MOF" });
      expect(await verifyPassword("plum rain over the river", row?.passwordHash ?? "")).toBe(true);
    } finally {
      database.close();
    }
  });
});

describe("cli user list, reset-password, set-role", () => {
  it("lists accounts, refuses a weak password, issues a one-time reset code, changes a role, all in the trail", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-cli-"));
    dirs.push(dir);
    const env = { DATABASE_PATH: join(dir, "db.sqlite"), PUBLIC_URL: "https://countersign.example.gov.cn/" };
    const weak = await run(["add", "--username", "li.na", "--role", "liaison", "--department", "MOF", "--password-stdin"], "password123456789", env);
    expect(weak).toMatchObject({ code: 1, err: expect.stringContaining("password: This password is in a list of common or breached passwords") });
    const add = ["add", "--username", "li.na", "--role", "liaison", "--department", "MOF", "--display-name-zh", "李娜", "--display-name-en", "Li Na", "--password-stdin"];
    expect((await run(add, "plum rain over the river", env)).code).toBe(0);
    const mixed = await run(["add", "--username", "wang", "--role", "observer", "--display-name-zh", "王 Wang", "--password-stdin"], "plum rain over the river", env);
    expect(mixed).toMatchObject({ code: 1, err: expect.stringContaining("displayNameZh: The Chinese display name has Latin letters") });

    const list = await run(["list"], "", env);
    expect(list.out).toMatch(/^li\.na +liaison +MOF +enabled +0 session\(s\) +Li Na \/ 李娜$/m);
    const json = JSON.parse((await run(["list", "--json"], "", env)).out) as Array<{ username: string; person: { displayNameZh: string } }>;
    expect(json.map((a) => a.username)).toEqual(["li.na"]);

    const reset = await run(["reset-password", "--username", "LI.NA"], "", env);
    expect(reset.code).toBe(0);
    const code = /^ {2}([A-Za-z0-9_-]{43})$/m.exec(reset.out)?.[1];
    expect(code).toBeDefined();
    expect(reset.out).toContain(`Link: https://countersign.example.gov.cn/reset-password#code=${code}`);
    expect((await run(["reset-password", "--username", "nobody"], "", env))).toMatchObject({ code: 1, err: "username: There is no account nobody.\n" });

    expect(await run(["set-role", "--username", "li.na", "--role", "coordinator"], "", env)).toMatchObject({ code: 0, out: "li.na is now coordinator of MOF; 0 session(s) ended\n" });
    expect((await run(["set-role", "--username", "li.na", "--role", "liaison", "--department", "XYZ"], "", env)).err).toBe("department: There is no department XYZ.\n");
    expect((await run(["set-role", "--username", "li.na", "--role", "emperor"], "", env)).code).toBe(2);

    const database = openDatabase(env.DATABASE_PATH);
    try {
      const types = database.db.select({ type: auditEventsTable.type, actor: auditEventsTable.actorUsername }).from(auditEventsTable).all();
      expect(types.filter((t) => t.type.startsWith("user."))).toEqual([
        { type: "user.created", actor: null },
        { type: "user.password_reset_issued", actor: null },
        { type: "user.updated", actor: null },
      ]);
    } finally {
      database.close();
    }
  });
});
