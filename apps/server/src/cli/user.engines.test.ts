/**
 * `cli user …` on either engine (issue 13): DATABASE_URL=postgres://… selects PostgreSQL, as for the server. A fresh
 * database gets the default plan first (`user add`), every change is in the audit trail, and the chain verifies.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../test-support/cli-run.js";
import { freshDatabaseUrl } from "@countersign/db-postgres/test-support";
import { harnessEngines } from "../test-support/harness.js";
import { verifyPassword } from "../services/auth/password.js";
import { openCommandStore } from "./command-store.js";
import { userCommand } from "./user.js";

function run(args: string[], stdin: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  return runCommand(userCommand, args, env, stdin);
}

describe.each(harnessEngines)("cli user on %s", (engine) => {
  let env: NodeJS.ProcessEnv;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    if (engine === "postgres") {
      // An empty database, as before a server's first start.
      const { url, drop } = await freshDatabaseUrl();
      env = { DATABASE_URL: url };
      dispose = drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), "countersign-cli-"));
      env = { DATABASE_PATH: join(dir, "db.sqlite") };
      dispose = async () => rmSync(dir, { recursive: true, force: true });
    }
  });
  afterEach(async () => dispose());

  it("adds, lists, disables, enables, resets and changes accounts in the database the environment names", async () => {
    const add = await run(["add", "--username", "Zhang.Wei", "--role", "admin", "--password-stdin"], "plum rain over the river\n", env);
    expect(add).toMatchObject({ code: 0, err: "" });
    expect(add.out).toContain("created zhang.wei (admin)");
    if (engine === "postgres") expect(add.out).toContain("in postgres://");
    // The departments came with the default plan the fresh database got first.
    const liaison = await run(["add", "--username", "li.na", "--role", "liaison", "--department", "mof", "--display-name-zh", "李娜", "--password-stdin"], "another long passphrase", env);
    expect(liaison).toMatchObject({ code: 0, out: expect.stringContaining("created li.na (liaison, MOF)") });
    expect(await run(["add", "--username", "li.na", "--role", "liaison", "--department", "MOF", "--password-stdin"], "yet another passphrase", env)).toMatchObject({
      code: 1,
      err: "username: The username li.na is taken.\n",
    });
    expect((await run(["add", "--username", "wu", "--role", "liaison", "--department", "XYZ", "--password-stdin"], "long enough passphrase", env)).err).toBe(
      "department: There is no department XYZ.\n",
    );
    expect((await run(["add", "--username", "wu", "--role", "liaison", "--department", "MOF", "--password-stdin"], "password123456789", env)).err).toContain(
      "password: This password is in a list of common or breached passwords",
    );

    expect((await run(["list"], "", env)).out).toMatch(/^li\.na +liaison +MOF +enabled +0 session\(s\)/m);
    expect(await run(["disable", "--username", "LI.NA", "--reason", "left the office"], "", env)).toMatchObject({ code: 0, out: "li.na is now disabled; 0 session(s) ended\n" });
    expect((await run(["list"], "", env)).out).toMatch(/^li\.na +liaison +MOF +disabled/m);
    expect(await run(["enable", "--username", "li.na"], "", env)).toMatchObject({ code: 0, out: "li.na is now enabled\n" });
    expect(await run(["enable", "--username", "nobody"], "", env)).toMatchObject({ code: 1, err: "There is no account nobody.\n" });
    expect((await run(["reset-password", "--username", "li.na", "--base-url", "https://countersign.example.gov.cn"], "", env)).out).toMatch(
      /Link: https:\/\/countersign\.example\.gov\.cn\/reset-password#code=/,
    );
    expect(await run(["set-role", "--username", "li.na", "--role", "observer"], "", env)).toMatchObject({ code: 0, out: "li.na is now observer of MOF; 0 session(s) ended\n" });

    const opened = await openCommandStore({ stdin: Readable.from([]), stdout: new PassThrough(), stderr: new PassThrough(), env });
    try {
      expect(opened.engine).toBe(engine);
      const stored = await opened.store.read(async (repos) => ({
        admin: await repos.accounts.byUsername("zhang.wei"),
        liaison: await repos.accounts.byUsername("li.na"),
        events: await repos.auditTrail.page({ organisation: { id: "CN", national: true }, limit: 50 }),
      }));
      expect(stored.admin).toMatchObject({ role: "admin", department: null, disabledAt: null });
      expect(stored.liaison).toMatchObject({ role: "observer", department: "MOF", displayNameZh: "李娜", disabledAt: null });
      // The password from standard input is the one stored (hashed).
      const account = await opened.store.read((repos) => repos.sessions.accountNamed("zhang.wei"));
      expect(await verifyPassword("plum rain over the river", account?.passwordHash ?? "")).toBe(true);
      const userEvents = stored.events
        .filter((e) => e.type.startsWith("user."))
        .map((e) => [e.type, e.actorUsername])
        .reverse();
      expect(userEvents).toEqual([
        ["user.created", null],
        ["user.created", null],
        ["user.disabled", null],
        ["user.enabled", null],
        ["user.password_reset_issued", null],
        ["user.updated", null],
      ]);
      expect((await opened.store.verifyAuditChain()).ok).toBe(true);
    } finally {
      await opened.close();
    }
    // A second add on the database, now holding data, leaves its plan alone and adds the account.
    expect((await run(["add", "--username", "wang", "--role", "coordinator", "--department", "MIIT", "--password-stdin"], "plum rain over the river", env)).code).toBe(0);
  });
});
