// A new plan's rows (planCreation.insertDraftPlan) on both engines: the same rows from the same document (the rule is
// draftPlanRows, shared), read back through the catalogue alike; a plan that cannot be written leaves nothing behind.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createSqliteStore, openDatabase } from "@countersign/db";
import type { AnyStore, NewDraftPlan } from "@countersign/db";
import type { PlanDocument } from "@countersign/domain";
import { createPostgresStore } from "../store.js";
import { migratedDatabase } from "../test-support/databases.js";

const engines = [
  {
    engine: "sqlite",
    make: async (): Promise<{ store: AnyStore; dispose(): Promise<void> }> => {
      const dir = mkdtempSync(join(tmpdir(), "countersign-plan-creation-"));
      const opened = openDatabase(join(dir, "db.sqlite"));
      const store = createSqliteStore(opened);
      return {
        store,
        dispose: async () => {
          await store.close();
          opened.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    engine: "postgres",
    make: async (): Promise<{ store: AnyStore; dispose(): Promise<void> }> => {
      const { connection, dispose } = await migratedDatabase();
      const store = createPostgresStore(connection);
      return {
        store,
        dispose: async () => {
          await store.close();
          await dispose();
        },
      };
    },
  },
] as const;

const document: PlanDocument = {
  key: "imported-test-1",
  titleEn: "",
  titleZh: "关于支持中小企业的意见",
  documentNumber: "国办发〔2026〕1号",
  issuedOn: "2026-01-05",
  publishedOn: "",
  leadDepartment: "MIIT",
  // Not in code order: the members keep the document's order (their position).
  departments: ["MOF", "MIIT", "STA"],
  sections: [
    { number: 1, numeral: "一", title: "减轻税费负担" },
    { number: 2, numeral: "二", title: "加强统筹" },
  ],
  measures: [
    { number: 1, section: 1, title: "落实税费优惠", text: "落实税费优惠，减轻小微企业税费负担。", textCut: false },
    { number: 2, section: 1, title: "清理收费", text: "清理涉企收费", textCut: true, statedDeadline: { dueDate: "2026-12-31", stated: "2026年底前" } },
    { number: 3, section: 2, title: "加强统筹", text: "加强统筹协调。", textCut: false },
  ],
};

const plan: NewDraftPlan = {
  document,
  // The supporting department first: the lead is stored at position 0 whatever the order given.
  responsibilities: [
    { measureNumber: 1, department: "STA", role: "supporting" },
    { measureNumber: 1, department: "MOF", role: "lead", justification: { kind: "phrase", phrase: "税费负担" } },
    { measureNumber: 3, department: "MIIT", role: "lead", justification: null },
  ],
  organisationId: "CN-ZJ",
  createdAt: "2026-01-06T01:02:03.000Z",
};

describe.each(engines)("planCreation on $engine", ({ make }) => {
  let fixture: { store: AnyStore; dispose(): Promise<void> } | null = null;
  afterEach(async () => {
    await fixture?.dispose();
    fixture = null;
  });

  async function storeWithDepartments(): Promise<AnyStore> {
    fixture = await make();
    const { store } = fixture;
    await store.transaction(async (tx) => {
      for (const [i, code] of ["MIIT", "MOF", "STA"].entries()) {
        await tx.repos.departmentRegister.add({ code, nameZh: code, nameEn: code, shortZh: code, shortEn: code, signatureOrder: i + 1, successor: null, kind: "ministry" });
      }
    });
    return store;
  }

  it("writes the plan, its members, sections, measures and division, read back alike", async () => {
    const store = await storeWithDepartments();
    const planId = await store.transaction((tx) => tx.repos.planCreation.insertDraftPlan(plan));
    const read = await store.read(async (repos) => ({
      plan: await repos.catalog.plan(planId),
      members: await repos.catalog.planMemberDepartments(planId),
      sections: await repos.catalog.sections(planId),
      measures: await repos.catalog.measures(planId),
      division: await repos.catalog.responsibilities(planId),
    }));
    expect(read.plan).toMatchObject({
      key: "imported-test-1",
      titleZh: "关于支持中小企业的意见",
      documentNumber: "国办发〔2026〕1号",
      status: "draft",
      leadDepartment: "MIIT",
      createdAt: "2026-01-06T01:02:03.000Z",
      organisationId: "CN-ZJ",
      implementsPlanId: null,
      assignedAt: null,
    });
    expect(read.members).toEqual(["MOF", "MIIT", "STA"]);
    expect(read.sections).toEqual(document.sections);
    expect(read.measures.map(({ number, sectionNumber, text, textCut, statedDueDate, statedDeadline, closed, version }) => ({ number, sectionNumber, text, textCut, statedDueDate, statedDeadline, closed, version }))).toEqual([
      { number: 1, sectionNumber: 1, text: "落实税费优惠，减轻小微企业税费负担。", textCut: false, statedDueDate: null, statedDeadline: null, closed: false, version: 1 },
      { number: 2, sectionNumber: 1, text: "清理涉企收费", textCut: true, statedDueDate: "2026-12-31", statedDeadline: "2026年底前", closed: false, version: 1 },
      { number: 3, sectionNumber: 2, text: "加强统筹协调。", textCut: false, statedDueDate: null, statedDeadline: null, closed: false, version: 1 },
    ]);
    expect(read.division).toEqual([
      { measureNumber: 1, department: "MOF", role: "lead", justification: { kind: "phrase", phrase: "税费负担" } },
      { measureNumber: 1, department: "STA", role: "supporting", justification: null },
      { measureNumber: 3, department: "MIIT", role: "lead", justification: null },
    ]);
  });

  it("leaves nothing of a plan that cannot be written: a department unknown, a responsibility off the document, a key already taken", async () => {
    const store = await storeWithDepartments();
    // The plan, members, sections and measures are written before the division meets the unknown department.
    const unknownDepartment = { ...plan, document: { ...document, key: "imported-test-3" }, responsibilities: [{ measureNumber: 2, department: "XYZ", role: "lead" as const }] };
    await expect(store.transaction((tx) => tx.repos.planCreation.insertDraftPlan(unknownDepartment))).rejects.toThrow();
    expect(await store.read((repos) => repos.catalog.planPage({ limit: 10 }))).toEqual([]);
    const offDocument = { ...plan, document: { ...document, key: "imported-test-2" }, responsibilities: [...plan.responsibilities, { measureNumber: 9, department: "MOF", role: "lead" as const }] };
    await expect(store.transaction((tx) => tx.repos.planCreation.insertDraftPlan(offDocument))).rejects.toThrow("unknown measure 9");
    expect(await store.read((repos) => repos.catalog.planIdByKey("imported-test-2"))).toBeUndefined();

    const first = await store.transaction((tx) => tx.repos.planCreation.insertDraftPlan(plan));
    await expect(store.transaction((tx) => tx.repos.planCreation.insertDraftPlan(plan))).rejects.toThrow();
    expect(await store.read((repos) => repos.catalog.planPage({ limit: 10 }))).toEqual([expect.objectContaining({ id: first })]);
    expect(await store.read((repos) => repos.catalog.measures(first))).toHaveLength(3);
  });
});
