import { and, asc, eq, inArray, max } from "drizzle-orm";
import type { Queryable } from "../../client.js";
import { assignmentsTable, departmentsTable, measureTranslationsTable, plansTable, responsibilitiesTable } from "../../schema/index.js";
import type { AssignmentRevision, PlanEditingRepo } from "../repos/plan-editing.js";

/** The columns a revision sets, the version moved on by one (the same on both engines). */
function revisionColumns(set: AssignmentRevision, expectedVersion: number) {
  return {
    ...(set.status === undefined ? {} : { status: set.status }),
    ...(set.role === undefined ? {} : { role: set.role }),
    ...(set.dueDate === undefined ? {} : { dueDate: set.dueDate }),
    ...(set.clearPendingExtension === true ? { pendingExtensionUntil: null, pendingExtensionReason: null } : {}),
    version: expectedVersion + 1,
    updatedAt: set.updatedAt,
  };
}

export function sqlitePlanEditingRepo(db: Queryable): PlanEditingRepo {
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
    async measureAssignments(measureId) {
      return db.select().from(assignmentsTable).where(eq(assignmentsTable.measureId, measureId)).orderBy(asc(assignmentsTable.id)).all();
    },
    async planAssignments(planId) {
      return db.select().from(assignmentsTable).where(eq(assignmentsTable.planId, planId)).orderBy(asc(assignmentsTable.id)).all();
    },
    async reviseAssignment(id, expectedVersion, set) {
      const done = db
        .update(assignmentsTable)
        .set(revisionColumns(set, expectedVersion))
        .where(and(eq(assignmentsTable.id, id), eq(assignmentsTable.version, expectedVersion)))
        .run();
      return done.changes > 0;
    },
    async removeFromDivision(measureId, department) {
      db.delete(r).where(and(eq(r.measureId, measureId), eq(r.department, department))).run();
    },
    async setRoleInDivision(measureId, department, role) {
      db.update(r)
        .set({ role, ...(role === "lead" ? { position: 0 } : {}) })
        .where(and(eq(r.measureId, measureId), eq(r.department, department)))
        .run();
    },
    async engageInDivision(planId, measureId, measureNumber, department, role) {
      db.delete(r).where(and(eq(r.measureId, measureId), eq(r.department, department))).run();
      const last = db.select({ position: max(r.position) }).from(r).where(eq(r.measureId, measureId)).get();
      db.insert(r)
        .values({ planId, measureId, measureNumber, department, role, position: role === "lead" ? 0 : (last?.position ?? 0) + 1, justification: null })
        .run();
    },
    async markWithdrawn(planId) {
      db.update(plansTable).set({ status: "withdrawn" }).where(eq(plansTable.id, planId)).run();
    },
    async replaceTranslations(language, rows, at, userId) {
      if (rows.length === 0) return;
      const t = measureTranslationsTable;
      db.delete(t).where(and(inArray(t.measureId, rows.map((x) => x.measureId)), eq(t.language, language))).run();
      db.insert(t).values(rows.map((x) => ({ ...x, language, addedAt: at, addedByUserId: userId }))).run();
    },
  };
}
