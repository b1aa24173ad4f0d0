import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCommand } from "../test-support/cli-run.js";
import { eq } from "drizzle-orm";
import { openDatabase } from "@countersign/db";
import { auditEventsTable, departmentsTable, usersTable } from "@countersign/db/schema";
import { divisionCommand } from "./division.js";
import { userCommand } from "./user.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});


describe("cli division", () => {
  it("adds a division, makes an account its handler, sets the leader-approval rule, each audited; refuses a mismatch", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-cli-division-"));
    dirs.push(dir);
    const env = { DATABASE_PATH: join(dir, "db.sqlite") };
    expect((await runCommand(userCommand, ["add", "--username", "mof.tax", "--role", "liaison", "--department", "MOF", "--password-stdin"], env, "plum rain over the river\n")).code).toBe(0);
    expect((await runCommand(userCommand, ["add", "--username", "ndrc.x", "--role", "liaison", "--department", "NDRC", "--password-stdin"], env, "plum rain over the river\n")).code).toBe(0);

    const added = await runCommand(divisionCommand, ["add", "--department", "MOF", "--name-zh", "税政司"], env);
    expect(added).toMatchObject({ code: 0, err: "" });
    const id = /division (\d+)/.exec(added.out)?.[1] ?? "";
    expect(await runCommand(divisionCommand, ["set-part", "--username", "mof.tax", "--part", "handler", "--division", id], env)).toMatchObject({ code: 0 });
    expect(await runCommand(divisionCommand, ["set-part", "--username", "ndrc.x", "--part", "handler", "--division", id], env)).toMatchObject({
      code: 1,
      err: expect.stringContaining("not to the account's department"),
    });
    expect(await runCommand(divisionCommand, ["approval", "--department", "MOF", "--required", "yes"], env)).toMatchObject({ code: 0 });
    expect(await runCommand(divisionCommand, ["set-part", "--username", "mof.tax", "--part", "chief"], env)).toMatchObject({ code: 2 });
    const listed = await runCommand(divisionCommand, ["list", "--department", "MOF"], env);
    expect(listed.out).toContain("leader approval: required");
    expect(listed.out).toContain(`mof.tax\thandler\tdivision ${id}`);

    const database = openDatabase(env.DATABASE_PATH);
    try {
      const user = database.db.select().from(usersTable).where(eq(usersTable.username, "mof.tax")).get();
      expect(user).toMatchObject({ departmentRole: "handler", divisionId: Number(id) });
      expect(database.db.select().from(departmentsTable).where(eq(departmentsTable.code, "MOF")).get()?.leaderApproval).toBe(true);
      const types = database.db.select({ type: auditEventsTable.type }).from(auditEventsTable).all().map((r) => r.type);
      expect(types).toEqual(expect.arrayContaining(["division.created", "user.department_role_changed", "department.leader_approval_set"]));
    } finally {
      database.close();
    }
  });
});
