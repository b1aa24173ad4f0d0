import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import { departmentRegister, issuingDepartmentCodes } from "@countersign/domain";
import { loadDefaultPlan, openDatabase } from "@countersign/db";
import { auditEventsTable, departmentsTable } from "@countersign/db/schema";
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

    const moeUser = (await h.as("admin").admin.create({ username: "moe-liaison", role: "liaison", department: "MOE", displayNameZh: "教育部联络员" })).account;
    const moe = createCaller(h.context({ id: moeUser.id, username: moeUser.username, displayName: moeUser.displayNameZh ?? moeUser.username, role: "liaison", department: "MOE" }));
    const inbox = await moe.inbox.list({ planId: created.planId });
    expect(inbox.rows.map((r) => [r.measureNumber, r.role])).toEqual([[4, "lead"]]);
  });

  it("refuses a retired department in a new plan, naming the field", async () => {
    await h.rows("update departments set retired_on = ? where code = ?", ["2025-01-01", "NBS"]);
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

describe("admin.* departments (the Administration page)", () => {
  it("lists the departments with register history; finds 教育部 in the register; adds, renames and retires, audited with the administrator", async () => {
    const admin = h.as("admin");
    const listed = await admin.admin.departments();
    expect(listed.map((d) => d.code)).toEqual([...issuingDepartmentCodes]);
    expect(listed.find((d) => d.code === "CBIRC")).toMatchObject({ kind: "directly_affiliated", retiredOn: null, history: { successor: { code: "NAFR", since: "2023-05-18" } } });

    const found = await admin.admin.registerSearch({ query: "教育部" });
    expect(found[0]).toMatchObject({ code: "MOE", nameZh: "教育部", closeness: "exact", present: false });
    expect((await admin.admin.registerSearch({ query: "财政部" }))[0]).toMatchObject({ code: "MOF", present: true });
    expect((await admin.admin.registerSearch({ query: "国家教育部门" })).map((x) => x.code)).toContain("MOE");

    expect(await admin.admin.addDepartment({ code: "moe" })).toMatchObject({ code: "MOE", nameZh: "教育部", nameEn: "Ministry of Education", kind: "ministry" });
    expect((await admin.admin.registerSearch({ query: "教育部" }))[0]?.present).toBe(true);
    expect(await refusalOf(() => admin.admin.addDepartment({ code: "MOE" }))).toMatchObject({ code: "BAD_REQUEST", field: "code" });
    expect(await refusalOf(() => admin.admin.addDepartment({ code: "SMEB", nameZh: "国家中小企业发展局" }))).toMatchObject({ code: "BAD_REQUEST", field: "nameZh" });
    expect(await admin.admin.addDepartment({ code: "SMEB", nameZh: "国家中小企业发展局", nameEn: "SME Development Bureau", shortZh: "中小企业局", shortEn: "" })).toMatchObject({
      code: "SMEB",
      kind: "custom",
      shortZh: "中小企业局",
      shortEn: "SMEB",
    });
    expect(await admin.admin.renameDepartment({ code: "SMEB", shortEn: "SMEDB" })).toMatchObject({ shortEn: "SMEDB", nameZh: "国家中小企业发展局" });
    expect(await refusalOf(() => admin.admin.renameDepartment({ code: "SMEB", nameZh: "  " }))).toMatchObject({ code: "BAD_REQUEST", field: "nameZh" });
    expect(await refusalOf(() => admin.admin.renameDepartment({ code: "NOPE", nameZh: "无" }))).toMatchObject({ code: "NOT_FOUND" });
    // Without a date: today in Beijing (the harness's clock is 2026-03-02 02:00 UTC, 10:00 in Beijing).
    expect(await admin.admin.retireDepartment({ code: "SMEB" })).toMatchObject({ retiredOn: "2026-03-02" });
    expect(await refusalOf(() => admin.admin.retireDepartment({ code: "SMEB", on: "2026-04-01" }))).toMatchObject({ code: "BAD_REQUEST", field: "code" });
    expect(await admin.admin.retireDepartment({ code: "NBS", on: "2027-01-01" })).toMatchObject({ retiredOn: "2027-01-01" });

    const after = await admin.admin.departments();
    expect(after.map((d) => d.code)).toEqual([...issuingDepartmentCodes, "MOE", "SMEB"]);
    expect(after.find((d) => d.code === "SMEB")).toMatchObject({ kind: "custom", retiredOn: "2026-03-02", history: { successor: null, predecessors: [] } });

    const events = await h.rows<{ type: string; department: string; actor_username: string; actor_role: string }>(
      "select type, department, actor_username, actor_role from audit_events where type like 'department.%' order by seq",
    );
    expect(events.map((e) => [e.type, e.department, e.actor_username, e.actor_role])).toEqual([
      ["department.added", "MOE", "admin", "admin"],
      ["department.added", "SMEB", "admin", "admin"],
      ["department.renamed", "SMEB", "admin", "admin"],
      ["department.retired", "SMEB", "admin", "admin"],
      ["department.retired", "NBS", "admin", "admin"],
    ]);
    // The department added from the register takes a liaison account at once.
    const created = await admin.admin.create({ username: "moe.liaison", role: "liaison", department: "MOE", displayNameZh: "教育部联络员" });
    expect(created.account).toMatchObject({ username: "moe.liaison", department: "MOE" });
  });

  it("is the administrator's only: every other role is refused as admin_only, and nothing changes", async () => {
    for (const who of ["miit", "mof", "observer"]) {
      const caller = h.as(who);
      for (const call of [
        () => caller.admin.departments(),
        () => caller.admin.registerSearch({ query: "教育部" }),
        () => caller.admin.addDepartment({ code: "MOE" }),
        () => caller.admin.renameDepartment({ code: "MOF", shortZh: "财部" }),
        () => caller.admin.retireDepartment({ code: "MOF" }),
      ]) {
        expect(await refusalOf(call)).toMatchObject({ code: "FORBIDDEN", refusalCode: "admin_only" });
      }
    }
    expect((await h.as("admin").admin.departments()).map((d) => [d.code, d.shortZh, d.retiredOn]).find(([c]) => c === "MOF")).toEqual(["MOF", "财政部", null]);
    expect((await h.as("admin").admin.departments()).some((d) => d.code === "MOE")).toBe(false);
  });
});
