import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import { departmentRegister, issuingDepartmentCodes } from "@countersign/domain";
import { loadDefaultPlan, openDatabase } from "@countersign/db";
import { auditEventsTable, departmentsTable, usersTable } from "@countersign/db/schema";
import { departmentCommand } from "../../cli/department.js";
import { userCommand } from "../../cli/user.js";
import { createCaller } from "../../router.js";
import { createHarness, refusalOf } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { createUser } from "../users/create-user.js";

const statedNotes = readFileSync(new URL("../../../../../packages/domain/src/import/fixtures/zh-stated-notes.txt", import.meta.url), "utf8");

async function run(command: typeof departmentCommand, args: string[], env: NodeJS.ProcessEnv, stdin = "") {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const code = await command.run(args, { stdin: Readable.from([stdin]), stdout, stderr, env });
  return { code, out, err };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function scratch(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), "countersign-departments-"));
  dirs.push(dir);
  return { DATABASE_PATH: join(dir, "db.sqlite") };
}

describe("the register in the database", () => {
  it("a fresh database has the 17 departments of 2020 only, codes unchanged; every register code is unique", () => {
    const database = openDatabase(":memory:");
    try {
      loadDefaultPlan(database.db);
      const codes = database.db.select({ code: departmentsTable.code }).from(departmentsTable).orderBy(departmentsTable.signatureOrder).all();
      expect(codes.map((c) => c.code)).toEqual([...issuingDepartmentCodes]);
    } finally {
      database.close();
    }
    const all = departmentRegister.map((e) => e.code);
    expect(new Set(all).size).toBe(all.length);
    for (const code of issuingDepartmentCodes) expect(all).toContain(code);
  });
});

describe("cli department and cli user add with a register department", () => {
  it("adds, renames and retires departments, each audited; a liaison of a register unit can be created", async () => {
    const env = scratch();
    // A unit of the register that the installation lacks: the account's creation brings it in.
    const liaison = await run(userCommand, ["add", "--username", "moe1", "--role", "liaison", "--department", "moe", "--password-stdin"], env, "long-enough-password");
    expect(liaison).toMatchObject({ code: 0, err: "" });
    expect(liaison.out).toContain("created moe1 (liaison, MOE)");

    expect(await run(departmentCommand, ["add", "--code", "NAFR"], env)).toMatchObject({ code: 0, out: "added NAFR 国家金融监督管理总局 (National Administration of Financial Regulation)\n" });
    expect((await run(departmentCommand, ["add", "--code", "NAFR"], env)).err).toContain("already there");
    expect((await run(departmentCommand, ["add", "--code", "SMEB"], env)).err).toContain("not in the register");
    expect((await run(departmentCommand, ["add", "--code", "SMEB", "--name-zh", "国家中小企业发展局", "--name-en", "SME Development Bureau"], env)).code).toBe(0);
    expect((await run(departmentCommand, ["rename", "--code", "NBS", "--short-zh", "国家统计局"], env)).code).toBe(0);
    expect((await run(departmentCommand, ["retire", "--code", "SMEB", "--on", "2026-01-01"], env)).code).toBe(0);
    expect((await run(departmentCommand, ["rename", "--code", "NOPE", "--short-zh", "x"], env)).code).toBe(1);

    const listed = JSON.parse((await run(departmentCommand, ["list", "--json"], env)).out) as Array<{ code: string; shortZh: string; retiredOn: string | null }>;
    expect(listed.map((d) => d.code)).toEqual([...issuingDepartmentCodes, "MOE", "NAFR", "SMEB"]);
    expect(listed.find((d) => d.code === "NBS")?.shortZh).toBe("国家统计局");
    expect(listed.find((d) => d.code === "SMEB")?.retiredOn).toBe("2026-01-01");

    const database = openDatabase(env.DATABASE_PATH ?? "");
    try {
      // A later start refreshes the 2020 names but keeps an administrator's.
      loadDefaultPlan(database.db);
      expect(database.db.select().from(departmentsTable).where(eq(departmentsTable.code, "NBS")).get()?.shortZh).toBe("国家统计局");
      const events = database.db.select().from(auditEventsTable).orderBy(desc(auditEventsTable.seq)).all().filter((e) => e.type.startsWith("department."));
      expect(events.map((e) => [e.type, e.department]).reverse()).toEqual([
        ["department.added", "MOE"],
        ["department.added", "NAFR"],
        ["department.added", "SMEB"],
        ["department.renamed", "NBS"],
        ["department.retired", "SMEB"],
      ]);
      // A retired department takes no new account.
      await expect(createUser(database.db, { username: "smeb1", role: "liaison", department: "SMEB", password: "long-enough-password" }, null, new Date())).rejects.toThrow(/retired/);
    } finally {
      database.close();
    }
  });
});

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe("a plan with departments outside the 17", () => {
  it("imports a document stating them, saves, issues, and their liaison finds the assignment", async () => {
    const miit = h.as("miit");
    const draft = await miit.plan.import({ text: statedNotes });
    expect(draft.language).toBe("zh");
    expect(draft.departments).toEqual(expect.arrayContaining(["MOE", "MNR", "MOHURD", "LOCAL", "NAFR", "SPC", "ACFIC"]));
    const m4 = draft.division.measures.find((m) => m.measureNumber === 4);
    expect(m4?.responsibilities).toMatchObject([{ department: "MOE", role: "lead", source: { kind: "stated", note: "（教育部负责）" } }]);
    const created = await miit.plan.create({
      titleEn: "",
      titleZh: draft.title,
      documentNumber: draft.documentNumber ?? "",
      departments: draft.departments,
      sections: draft.sections.map(({ number, numeral, title }) => ({ number, numeral, title })),
      measures: draft.measures.map(({ number, section, title, text, textCut }) => ({ number, section, title, text, textCut })),
      responsibilities: draft.division.responsibilities.map(({ measureNumber, department, role, justification }) => ({ measureNumber, department, role, justification })),
    });
    // Measure (7)'s stated lead is not in the register: it waits for the coordinator.
    expect(created.measuresWithoutLead).toEqual([7]);
    await miit.plan.setResponsibilities({ planId: created.planId, measureNumber: 7, lead: "MIIT", supporting: ["SPC", "ACFIC"] });
    await miit.plan.issue({ planId: created.planId, dueDate: "2026-12-31" });

    await createUser(h.database.db, { username: "moe-liaison", role: "liaison", department: "MOE", password: "long-enough-password" }, null, new Date());
    const moeUser = h.database.db.select().from(usersTable).where(eq(usersTable.username, "moe-liaison")).get();
    if (!moeUser) throw new Error("no MOE liaison");
    const moe = createCaller(h.context({ id: moeUser.id, username: moeUser.username, displayName: moeUser.displayName, role: "liaison", department: "MOE" }));
    const inbox = await moe.inbox.list({ planId: created.planId });
    expect(inbox.rows.map((r) => [r.measureNumber, r.role])).toEqual([[4, "lead"]]);
  });

  it("refuses a retired department in a new plan, naming the field", async () => {
    h.database.db.update(departmentsTable).set({ retiredOn: "2025-01-01" }).where(eq(departmentsTable.code, "NBS")).run();
    const refused = await refusalOf(() =>
      h.as("miit").plan.create({
        titleEn: "Small",
        titleZh: "",
        departments: ["MIIT", "NBS"],
        sections: [{ number: 1, numeral: "I", title: "All" }],
        measures: [{ number: 1, section: 1, title: "Count", text: "Count.", textCut: false }],
        responsibilities: [{ measureNumber: 1, department: "NBS", role: "lead" }],
      }),
    );
    expect(refused).toMatchObject({ refusalCode: "invalid_input", field: "departments[1]" });
    expect((await h.as("miit").plan.import({ text: "一、总则\n（一）加强统计。\n（二）加强监测。\n" })).departments).not.toContain("NBS");
  });
});
