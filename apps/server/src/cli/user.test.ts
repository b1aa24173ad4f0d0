import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openDatabase } from "@countersign/db";
import { usersTable } from "@countersign/db/schema";
import { verifyPassword } from "../services/auth/password.js";
import { userCommand } from "./user.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(args: string[], stdin: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const code = await userCommand.run(args, { stdin: Readable.from([stdin]), stdout, stderr, env });
  return { code, out, err };
}

describe("cli user add", () => {
  it("creates an account with the password from standard input", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-cli-"));
    dirs.push(dir);
    const env = { DATABASE_PATH: join(dir, "db.sqlite") };
    const ok = await run(["add", "--username", "Zhang.Wei", "--role", "liaison", "--department", "mof", "--password-stdin"], "s3cret-pass\n", env);
    expect(ok).toMatchObject({ code: 0, err: "" });
    expect(ok.out).toContain("created zhang.wei (liaison, MOF)");
    const again = await run(["add", "--username", "zhang.wei", "--role", "liaison", "--department", "MOF", "--password-stdin"], "another-pass", env);
    expect(again.code).toBe(1);
    expect(again.err).toContain("username: The username zhang.wei is taken.");
    const badDepartment = await run(["add", "--username", "li", "--role", "liaison", "--department", "XYZ", "--password-stdin"], "long-enough", env);
    expect(badDepartment).toMatchObject({ code: 1, err: "department: There is no department XYZ.\n" });
    expect((await run(["add", "--username", "li", "--role", "king", "--password-stdin"], "x", env)).code).toBe(2);

    const database = openDatabase(env.DATABASE_PATH);
    try {
      const row = database.db.select().from(usersTable).where(eq(usersTable.username, "zhang.wei")).get();
      expect(row).toMatchObject({ role: "liaison", department: "MOF" });
      expect(await verifyPassword("s3cret-pass", row?.passwordHash ?? "")).toBe(true);
    } finally {
      database.close();
    }
  });
});
