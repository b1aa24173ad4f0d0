import { and, asc, eq, inArray } from "drizzle-orm";
import type { PlanDivisionRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { assignmentsTable } from "../schema/assignments.js";
import { departmentsTable } from "../schema/departments.js";
import { plansTable } from "../schema/plans.js";
import { responsibilitiesTable } from "../schema/responsibilities.js";
import type { PostgresTx } from "../store.js";

export function postgresPlanDivisionRepo(db: PostgresDb | PostgresTx): PlanDivisionRepo {
  const r = responsibilitiesTable;
  return {
    async knownDepartments(codes) {
      if (codes.length === 0) return [];
      const rows = await db
        .select({ code: departmentsTable.code })
        .from(departmentsTable)
        .where(inArray(departmentsTable.code, [...new Set(codes)]));
      return rows.map((d) => d.code);
    },
    async measureDivision(measureId) {
      const rows = await db
        .select({ department: r.department, role: r.role, position: r.position, justification: r.justification })
        .from(r)
        .where(eq(r.measureId, measureId))
        .orderBy(asc(r.position));
      return rows.map((row) => ({ ...row, justification: row.justification ?? null }));
    },
    async replaceMeasureDivision(planId, measureId, measureNumber, places) {
      await db.delete(r).where(eq(r.measureId, measureId));
      if (places.length > 0) await db.insert(r).values(places.map((p) => ({ planId, measureId, measureNumber, ...p })));
    },
    async planResponsibilities(planId) {
      return db
        .select({ measureId: r.measureId, measureNumber: r.measureNumber, department: r.department, role: r.role })
        .from(r)
        .where(eq(r.planId, planId))
        .orderBy(asc(r.measureNumber), asc(r.position));
    },
    async markIssued(planId, set) {
      const claimed = await db
        .update(plansTable)
        .set({ status: "issued", ...set })
        .where(and(eq(plansTable.id, planId), eq(plansTable.status, "draft")))
        .returning({ id: plansTable.id });
      return claimed.length > 0;
    },
    async insertAssignment(row) {
      const { issuedAt, ...rest } = row;
      const [inserted] = await db
        .insert(assignmentsTable)
        .values({ ...rest, status: "assigned", version: 1, issuedAt, updatedAt: issuedAt })
        .returning({ id: assignmentsTable.id });
      if (inserted === undefined) throw new Error("inserting an assignment returned no row");
      return inserted.id;
    },
  };
}
