import { and, asc, eq, inArray, max } from "drizzle-orm";
import type { AssignmentRevision, PlanEditingRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { assignmentsTable } from "../schema/assignments.js";
import { departmentsTable } from "../schema/departments.js";
import { measureTranslationsTable } from "../schema/measure-translations.js";
import { plansTable } from "../schema/plans.js";
import { responsibilitiesTable } from "../schema/responsibilities.js";
import type { PostgresTx } from "../store.js";

/** The columns a revision sets, the version moved on by one (as the SQLite adapter's). */
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

export function postgresPlanEditingRepo(db: PostgresDb | PostgresTx): PlanEditingRepo {
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
    async measureAssignments(measureId) {
      return db.select().from(assignmentsTable).where(eq(assignmentsTable.measureId, measureId)).orderBy(asc(assignmentsTable.id));
    },
    async planAssignments(planId) {
      return db.select().from(assignmentsTable).where(eq(assignmentsTable.planId, planId)).orderBy(asc(assignmentsTable.id));
    },
    async reviseAssignment(id, expectedVersion, set) {
      const done = await db
        .update(assignmentsTable)
        .set(revisionColumns(set, expectedVersion))
        .where(and(eq(assignmentsTable.id, id), eq(assignmentsTable.version, expectedVersion)))
        .returning({ id: assignmentsTable.id });
      return done.length > 0;
    },
    async removeFromDivision(measureId, department) {
      await db.delete(r).where(and(eq(r.measureId, measureId), eq(r.department, department)));
    },
    async setRoleInDivision(measureId, department, role) {
      await db
        .update(r)
        .set({ role, ...(role === "lead" ? { position: 0 } : {}) })
        .where(and(eq(r.measureId, measureId), eq(r.department, department)));
    },
    async engageInDivision(planId, measureId, measureNumber, department, role) {
      await db.delete(r).where(and(eq(r.measureId, measureId), eq(r.department, department)));
      const [last] = await db.select({ position: max(r.position) }).from(r).where(eq(r.measureId, measureId));
      await db
        .insert(r)
        .values({ planId, measureId, measureNumber, department, role, position: role === "lead" ? 0 : (last?.position ?? 0) + 1, justification: null });
    },
    async markWithdrawn(planId) {
      await db.update(plansTable).set({ status: "withdrawn" }).where(eq(plansTable.id, planId));
    },
    async replaceTranslations(language, rows, at, userId) {
      if (rows.length === 0) return;
      const t = measureTranslationsTable;
      await db.delete(t).where(and(inArray(t.measureId, rows.map((x) => x.measureId)), eq(t.language, language)));
      await db.insert(t).values(rows.map((x) => ({ ...x, language, addedAt: at, addedByUserId: userId })));
    },
  };
}
