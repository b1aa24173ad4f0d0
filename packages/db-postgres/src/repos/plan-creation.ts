import { draftPlanRows } from "@countersign/db";
import type { PlanCreationRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { measuresTable } from "../schema/measures.js";
import { planDepartmentsTable, plansTable } from "../schema/plans.js";
import { responsibilitiesTable } from "../schema/responsibilities.js";
import { sectionsTable } from "../schema/sections.js";
import type { PostgresTx } from "../store.js";

export function postgresPlanCreationRepo(db: PostgresDb | PostgresTx): PlanCreationRepo {
  return {
    async insertDraftPlan(plan) {
      const { document } = plan;
      const rows = draftPlanRows(document, plan.responsibilities);
      const [inserted] = await db
        .insert(plansTable)
        .values({
          key: document.key,
          titleEn: document.titleEn,
          titleZh: document.titleZh,
          documentNumber: document.documentNumber,
          issuedOn: document.issuedOn,
          publishedOn: document.publishedOn,
          leadDepartment: document.leadDepartment,
          status: "draft",
          createdAt: plan.createdAt,
          organisationId: plan.organisationId,
        })
        .returning({ id: plansTable.id });
      if (inserted === undefined) throw new Error("inserting a plan returned no row");
      const planId = inserted.id;
      // Multi-row inserts: a plan of 2,000 measures is a handful of statements, not thousands of round trips.
      if (rows.members.length > 0) await db.insert(planDepartmentsTable).values(rows.members.map((m) => ({ planId, ...m })));
      if (rows.sections.length > 0) await db.insert(sectionsTable).values(rows.sections.map((s) => ({ planId, ...s })));
      const measureIds = new Map<number, number>();
      for (let i = 0; i < rows.measures.length; i += 500) {
        const batch = rows.measures.slice(i, i + 500).map((m) => ({ planId, ...m }));
        const ids = await db.insert(measuresTable).values(batch).returning({ id: measuresTable.id, number: measuresTable.number });
        for (const row of ids) measureIds.set(row.number, row.id);
      }
      const responsibilities = rows.responsibilities.map((r) => {
        const measureId = measureIds.get(r.measureNumber);
        if (measureId === undefined) throw new Error(`responsibility for unknown measure ${r.measureNumber}`);
        return { planId, measureId, ...r };
      });
      for (let i = 0; i < responsibilities.length; i += 1000) await db.insert(responsibilitiesTable).values(responsibilities.slice(i, i + 1000));
      return planId;
    },
  };
}
