import { and, asc, count, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { CatalogRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import type { PostgresTx } from "../store.js";
import {
  assignmentsTable,
  auditEventsTable,
  departmentsTable,
  measuresTable,
  measureTranslationsTable,
  planDepartmentsTable,
  plansTable,
  responsibilitiesTable,
  sectionsTable,
} from "../schema/index.js";
import { containsText } from "../search.js";

export function postgresCatalogRepo(db: PostgresDb | PostgresTx): CatalogRepo {
  const d = departmentsTable;
  return {
    async departments(organisation) {
      return (await db
        .select({ code: d.code, nameEn: d.nameEn, nameZh: d.nameZh, shortEn: d.shortEn, shortZh: d.shortZh, signatureOrder: d.signatureOrder, successor: d.successor })
        .from(d)
        .where(organisation === undefined ? undefined : eq(d.organisationId, organisation))
        .orderBy(asc(d.signatureOrder), asc(d.code)))
        .map((row) => ({ ...row, successor: row.successor ?? null }));
    },
    async plan(planId) {
      const [row] = await db.select().from(plansTable).where(eq(plansTable.id, planId));
      return row;
    },
    async planIdByKey(key) {
      const [row] = await db.select({ id: plansTable.id }).from(plansTable).where(eq(plansTable.key, key));
      return row?.id;
    },
    async planMemberDepartments(planId) {
      return (await db
        .select({ department: planDepartmentsTable.department })
        .from(planDepartmentsTable)
        .where(eq(planDepartmentsTable.planId, planId))
        .orderBy(asc(planDepartmentsTable.position)))
        .map((r) => r.department);
    },
    async sections(planId) {
      return (await db
        .select({ number: sectionsTable.number, numeral: sectionsTable.numeral, title: sectionsTable.title })
        .from(sectionsTable)
        .where(eq(sectionsTable.planId, planId))
        .orderBy(asc(sectionsTable.number)));
    },
    async measures(planId) {
      return db.select().from(measuresTable).where(eq(measuresTable.planId, planId)).orderBy(asc(measuresTable.number));
    },
    async measure(planId, measureNumber) {
      const [row] = await db
        .select()
        .from(measuresTable)
        .where(and(eq(measuresTable.planId, planId), eq(measuresTable.number, measureNumber)));
      return row;
    },
    async measureTranslations(measureIds) {
      if (measureIds.length === 0) return [];
      const t = measureTranslationsTable;
      return (await db
        .select({ measureId: t.measureId, language: t.language, title: t.title, text: t.text, textCut: t.textCut })
        .from(t)
        .where(inArray(t.measureId, [...measureIds])));
    },
    async responsibilities(planId) {
      const r = responsibilitiesTable;
      return (await db
        .select({ measureNumber: r.measureNumber, department: r.department, role: r.role, justification: r.justification })
        .from(r)
        .where(eq(r.planId, planId))
        .orderBy(asc(r.measureNumber), asc(r.position)))
        .map((row) => ({ ...row, justification: row.justification ?? null }));
    },
    async firstPlanId() {
      const [row] = await db.select({ id: plansTable.id }).from(plansTable).orderBy(asc(plansTable.id)).limit(1);
      return row?.id;
    },
    async issuedAssignments(planId) {
      const a = assignmentsTable;
      return db
        .select({ id: a.id, measureNumber: a.measureNumber, department: a.department, role: a.role, status: a.status, dueDate: a.dueDate, issuedAt: a.issuedAt, divisionId: a.divisionId, handlerUserId: a.handlerUserId })
        .from(a)
        .where(eq(a.planId, planId))
        .orderBy(asc(a.id));
    },
    async planTrail(planId) {
      const e = auditEventsTable;
      return db
        .select({
          seq: e.seq,
          at: e.at,
          type: e.type,
          assignmentId: e.assignmentId,
          measureNumber: e.measureNumber,
          fromStatus: e.fromStatus,
          toStatus: e.toStatus,
          payload: e.payload,
          department: e.department,
        })
        .from(e)
        .where(eq(e.planId, planId))
        .orderBy(asc(e.seq));
    },
    async planPage(read) {
      const where: SQL[] = [];
      if (read.organisation !== undefined) where.push(eq(plansTable.organisationId, read.organisation));
      if (read.after != null) where.push(sql`(${plansTable.issuedOn}, ${plansTable.id}) < (${read.after.issuedOn}, ${read.after.id})`);
      if (read.search !== undefined && read.search !== "") {
        const found = or(
          containsText(plansTable.titleEn, read.search),
          containsText(plansTable.titleZh, read.search),
          containsText(plansTable.documentNumber, read.search),
          containsText(plansTable.key, read.search),
        );
        if (found) where.push(found);
      }
      // Along plans_issued_idx, as on SQLite; text compares bytewise (the cluster's C.UTF-8 collation), as SQLite's does.
      return (await db
        .select()
        .from(plansTable)
        .where(and(...where))
        .orderBy(desc(plansTable.issuedOn), desc(plansTable.id))
        .limit(read.limit));
    },
    async plansById(planIds, organisation) {
      if (planIds.length === 0) return [];
      const own = organisation === undefined ? undefined : eq(plansTable.organisationId, organisation);
      return (await db
        .select()
        .from(plansTable)
        .where(and(inArray(plansTable.id, [...planIds]), own))
        .orderBy(asc(plansTable.id)));
    },
    async measureCounts(planIds) {
      if (planIds.length === 0) return [];
      return (await db
        .select({ planId: measuresTable.planId, n: count() })
        .from(measuresTable)
        .where(inArray(measuresTable.planId, [...planIds]))
        .groupBy(measuresTable.planId));
    },
    async assignmentCounts(planIds) {
      if (planIds.length === 0) return [];
      return (await db
        .select({ planId: assignmentsTable.planId, n: count() })
        .from(assignmentsTable)
        .where(inArray(assignmentsTable.planId, [...planIds]))
        .groupBy(assignmentsTable.planId));
    },
    async recordMeasureClosure(measureId, expectedVersion, set) {
      const [row] = await db
        .update(measuresTable)
        .set({ ...set, version: expectedVersion + 1 })
        .where(and(eq(measuresTable.id, measureId), eq(measuresTable.version, expectedVersion)))
        .returning();
      return row;
    },
  };
}
