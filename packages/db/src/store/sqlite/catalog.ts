import { and, asc, count, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Queryable } from "../../client.js";
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
} from "../../schema/index.js";
import { containsText } from "../../search.js";
import type { CatalogRepo } from "../repos/catalog.js";

export function sqliteCatalogRepo(db: Queryable): CatalogRepo {
  const d = departmentsTable;
  return {
    async departments(organisation) {
      return db
        .select({ code: d.code, nameEn: d.nameEn, nameZh: d.nameZh, shortEn: d.shortEn, shortZh: d.shortZh, signatureOrder: d.signatureOrder, successor: d.successor })
        .from(d)
        .where(organisation === undefined ? undefined : eq(d.organisationId, organisation))
        .orderBy(asc(d.signatureOrder), asc(d.code))
        .all()
        .map((row) => ({ ...row, successor: row.successor ?? null }));
    },
    async plan(planId) {
      return db.select().from(plansTable).where(eq(plansTable.id, planId)).get();
    },
    async planIdByKey(key) {
      return db.select({ id: plansTable.id }).from(plansTable).where(eq(plansTable.key, key)).get()?.id;
    },
    async planMemberDepartments(planId) {
      return db
        .select({ department: planDepartmentsTable.department })
        .from(planDepartmentsTable)
        .where(eq(planDepartmentsTable.planId, planId))
        .orderBy(asc(planDepartmentsTable.position))
        .all()
        .map((r) => r.department);
    },
    async sections(planId) {
      return db
        .select({ number: sectionsTable.number, numeral: sectionsTable.numeral, title: sectionsTable.title })
        .from(sectionsTable)
        .where(eq(sectionsTable.planId, planId))
        .orderBy(asc(sectionsTable.number))
        .all();
    },
    async measures(planId) {
      return db.select().from(measuresTable).where(eq(measuresTable.planId, planId)).orderBy(asc(measuresTable.number)).all();
    },
    async measure(planId, measureNumber) {
      return db
        .select()
        .from(measuresTable)
        .where(and(eq(measuresTable.planId, planId), eq(measuresTable.number, measureNumber)))
        .get();
    },
    async measureTranslations(measureIds) {
      if (measureIds.length === 0) return [];
      const t = measureTranslationsTable;
      return db
        .select({ measureId: t.measureId, language: t.language, title: t.title, text: t.text, textCut: t.textCut })
        .from(t)
        .where(inArray(t.measureId, [...measureIds]))
        .all();
    },
    async responsibilities(planId) {
      const r = responsibilitiesTable;
      return db
        .select({ measureNumber: r.measureNumber, department: r.department, role: r.role, justification: r.justification })
        .from(r)
        .where(eq(r.planId, planId))
        .orderBy(asc(r.measureNumber), asc(r.position))
        .all()
        .map((row) => ({ ...row, justification: row.justification ?? null }));
    },
    async firstPlanId() {
      return db.select({ id: plansTable.id }).from(plansTable).orderBy(asc(plansTable.id)).limit(1).get()?.id;
    },
    async issuedAssignments(planId) {
      const a = assignmentsTable;
      return db
        .select({ id: a.id, measureNumber: a.measureNumber, department: a.department, role: a.role, status: a.status, dueDate: a.dueDate, issuedAt: a.issuedAt, divisionId: a.divisionId, handlerUserId: a.handlerUserId })
        .from(a)
        .where(eq(a.planId, planId))
        .orderBy(asc(a.id))
        .all();
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
        .orderBy(asc(e.seq))
        .all();
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
      // Along plans_issued_idx: no sort, no full read of the table for a page without search.
      return db
        .select()
        .from(plansTable)
        .where(and(...where))
        .orderBy(desc(plansTable.issuedOn), desc(plansTable.id))
        .limit(read.limit)
        .all();
    },
    async plansById(planIds, organisation) {
      if (planIds.length === 0) return [];
      const own = organisation === undefined ? undefined : eq(plansTable.organisationId, organisation);
      return db
        .select()
        .from(plansTable)
        .where(and(inArray(plansTable.id, [...planIds]), own))
        .orderBy(asc(plansTable.id))
        .all();
    },
    async measureCounts(planIds) {
      if (planIds.length === 0) return [];
      return db
        .select({ planId: measuresTable.planId, n: count() })
        .from(measuresTable)
        .where(inArray(measuresTable.planId, [...planIds]))
        .groupBy(measuresTable.planId)
        .all();
    },
    async assignmentCounts(planIds) {
      if (planIds.length === 0) return [];
      return db
        .select({ planId: assignmentsTable.planId, n: count() })
        .from(assignmentsTable)
        .where(inArray(assignmentsTable.planId, [...planIds]))
        .groupBy(assignmentsTable.planId)
        .all();
    },
    async recordMeasureClosure(measureId, expectedVersion, set) {
      return db
        .update(measuresTable)
        .set({ ...set, version: expectedVersion + 1 })
        .where(and(eq(measuresTable.id, measureId), eq(measuresTable.version, expectedVersion)))
        .returning()
        .get();
    },
  };
}
