import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { loadDefaultPlan, openDatabase } from "@countersign/db";
import type { OpenedDatabase } from "@countersign/db";
import { usersTable } from "@countersign/db/schema";
import { userCommand } from "../cli/user.js";
import { administratorCount, firstAdministratorHint } from "./first-administrator.js";

let dir = "";
let database: OpenedDatabase | null = null;
afterEach(() => {
  database?.close();
  database = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function addUser(args: string[], password: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  let out = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  const code = await userCommand.run(args, { stdin: Readable.from([password]), stdout, stderr: stdout, env });
  return { code, out };
}

describe("a production start on an empty database", () => {
  it("has no accounts at all, says how to create the first administrator, and stops saying so once the CLI made one", async () => {
    dir = mkdtempSync(join(tmpdir(), "countersign-first-admin-"));
    const path = join(dir, "countersign.sqlite");
    database = openDatabase(path);
    loadDefaultPlan(database.db);
    expect(database.db.select().from(usersTable).all()).toEqual([]);
    const hint = firstAdministratorHint(database.db, path);
    expect(hint.join("\n")).toContain(`DATABASE_PATH=${path} node apps/server/dist/cli.js user add --username admin --role admin --password-stdin`);

    const added = await addUser(["add", "--username", "admin", "--role", "admin", "--password-stdin"], "a-strong-password", { DATABASE_PATH: path });
    expect(added.code, added.out).toBe(0);
    expect(administratorCount(database.db)).toBe(1);
    expect(firstAdministratorHint(database.db, path)).toEqual([]);
  });
});
