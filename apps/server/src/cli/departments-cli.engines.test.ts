/**
 * `cli department …` and `cli division …` on either engine (issue 13): DATABASE_URL=postgres://… selects
 * PostgreSQL; an empty database gets the 2020 departments first; each change audited, the chain verified after.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliStreams, runCommand } from "../test-support/cli-run.js";
import { freshDatabaseUrl } from "@countersign/db-postgres/test-support";
import { harnessEngines } from "../test-support/harness.js";
import { openCommandStore } from "./command-store.js";
import { departmentCommand } from "./department.js";
import { divisionCommand } from "./division.js";
import { userCommand } from "./user.js";



describe.each(harnessEngines)("cli department and division on %s", (engine) => {
  let env: NodeJS.ProcessEnv;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    if (engine === "postgres") {
      const { url, drop } = await freshDatabaseUrl();
      env = { DATABASE_URL: url };
      dispose = drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), "countersign-cli-departments-"));
      env = { DATABASE_PATH: join(dir, "db.sqlite") };
      dispose = async () => rmSync(dir, { recursive: true, force: true });
    }
  });
  afterEach(async () => dispose());

  it("lists and adds departments, adds a division, gives an account its part, sets leader approval, each audited", async () => {
    // The first command on the empty database brings the 2020 departments.
    const listed = await runCommand(departmentCommand, ["list"], env);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^MOF /m);
    expect(listed.out).not.toMatch(/^MOE /m);
    expect(await runCommand(departmentCommand, ["add", "--code", "MOE"], env)).toMatchObject({ code: 0, out: expect.stringMatching(/^added MOE 教育部/) });
    expect((await runCommand(departmentCommand, ["list"], env)).out).toMatch(/^MOE /m);
    expect((await runCommand(departmentCommand, ["add", "--code", "MOE"], env)).code).toBe(1);

    expect((await runCommand(userCommand, ["add", "--username", "mof.tax", "--role", "liaison", "--department", "MOF", "--password-stdin"], env, "plum rain over the river")).code).toBe(0);
    const added = await runCommand(divisionCommand, ["add", "--department", "MOF", "--name-zh", "税政司"], env);
    expect(added).toMatchObject({ code: 0, err: "" });
    const id = /division (\d+)/.exec(added.out)?.[1] ?? "";
    expect(await runCommand(divisionCommand, ["set-part", "--username", "mof.tax", "--part", "handler", "--division", id], env)).toMatchObject({ code: 0 });
    expect(await runCommand(divisionCommand, ["approval", "--department", "MOF", "--required", "yes"], env)).toMatchObject({ code: 0 });
    const people = await runCommand(divisionCommand, ["list", "--department", "MOF"], env);
    expect(people.out).toContain("leader approval: required");
    expect(people.out).toContain(`mof.tax\thandler\tdivision ${id}`);

    const opened = await openCommandStore(cliStreams(env).io);
    try {
      expect(opened.engine).toBe(engine);
      const account = await opened.store.read((repos) => repos.accounts.byUsername("mof.tax"));
      expect(account).toMatchObject({ departmentRole: "handler", divisionId: Number(id) });
      const events = await opened.store.read((repos) => repos.auditTrail.page({ organisation: { id: "CN", national: true }, limit: 50 }));
      expect(events.map((e) => e.type)).toEqual(
        expect.arrayContaining(["department.added", "user.created", "division.created", "user.department_role_changed", "department.leader_approval_set"]),
      );
      expect((await opened.store.verifyAuditChain()).ok).toBe(true);
    } finally {
      await opened.close();
    }
  });
});
