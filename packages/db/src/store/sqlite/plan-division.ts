import { and, asc, eq, inArray } from "drizzle-orm";
import type { Queryable } from "../../client.js";
import { assignmentsTable, departmentsTable, plansTable, responsibilitiesTable } from "../../schema/index.js";
import type { PlanDivisionRepo } from "../repos/plan-division.js";

export function sqlitePlanDivisionRepo(db: Queryable): PlanDivisionRepo {
  const r = responsibilitiesTable;
  return {
    async knownDepartments(codes) {
      if (codes.length === 0) return [];
      return db
        .select({ code: departmentsTable.code })
        .from(departmentsTable)
        .where(inArray(departmentsTable.code, [...new Set(codes)]))
        .all()
        .map((d) => d.code);
    },
    async measureDivision(measureId) {
      return db
        .select({ department: r.department, role: r.role, position: r.position, justification: r.justification })
        .from(r)
        .where(eq(r.measureId, measureId))
        .orderBy(asc(r.position))
        .all()
        .map((row) => ({ ...row, justification: row.justification ?? null }));
    },
    async replaceMeasureDivision(planId, measureId, measureNumber, places) {
      db.delete(r).where(eq(r.measureId, measureId)).run();
      if (places.length > 0) db.insert(r).values(places.map((p) => ({ planId, measureId, measureNumber, ...p }))).run();
    },
    async planResponsibilities(planId) {
      return db
        .select({ measureId: r.measureId, measureNumber: r.measureNumber, department: r.department, role: r.role })
        .from(r)
        .where(eq(r.planId, planId))
        .orderBy(asc(r.measureNumber), asc(r.position))
        .all();
    },
    async markIssued(planId, set) {
      const claimed = db
        .update(plansTable)
        .set({ status: "issued", ...set })
        .where(and(eq(plansTable.id, planId), eq(plansTable.status, "draft")))
        .run();
      return claimed.changes > 0;
    },
    async insertAssignment(row) {
      const { issuedAt, ...rest } = row;
      return db
        .insert(assignmentsTable)
        .values({ ...rest, status: "assigned", version: 1, issuedAt, updatedAt: issuedAt })
        .returning({ id: assignmentsTable.id })
        .get().id;
    },
  };
}
