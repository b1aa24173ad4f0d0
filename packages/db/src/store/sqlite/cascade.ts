import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { CascadeRepo, CascadePlanRow } from "../repos/cascade.js";
import type { Queryable } from "../../client.js";
import {
  assignmentsTable,
  departmentsTable,
  forwardingMeasuresTable,
  forwardingsTable,
  measuresTable,
  organisationsTable,
  planDepartmentsTable,
  plansTable,
  responsibilitiesTable,
  sectionsTable,
  usersTable,
} from "../../schema/index.js";

const planColumns = {
  id: plansTable.id,
  key: plansTable.key,
  titleZh: plansTable.titleZh,
  titleEn: plansTable.titleEn,
  organisationId: plansTable.organisationId,
  status: plansTable.status,
  implementsPlanId: plansTable.implementsPlanId,
  defaultDueDate: plansTable.defaultDueDate,
};

const forwardingColumns = {
  id: forwardingsTable.id,
  planId: forwardingsTable.planId,
  fromOrganisation: forwardingsTable.fromOrganisation,
  toOrganisation: forwardingsTable.toOrganisation,
  planDeadline: forwardingsTable.planDeadline,
  forwardedOn: forwardingsTable.forwardedOn,
  status: forwardingsTable.status,
  derivedPlanId: forwardingsTable.derivedPlanId,
};

/** The cascade's reads and writes on SQLite (see CascadeRepo). */
export function sqliteCascadeRepo(db: Queryable): CascadeRepo {
  return {
    async organisations() {
      return db
        .select({
          id: organisationsTable.id,
          parentId: organisationsTable.parentId,
          level: organisationsTable.level,
          kind: organisationsTable.kind,
          nameZh: organisationsTable.nameZh,
          nameEn: organisationsTable.nameEn,
          officeNameZh: organisationsTable.officeNameZh,
          officeNameEn: organisationsTable.officeNameEn,
          officeHost: organisationsTable.officeHost,
        })
        .from(organisationsTable)
        .orderBy(asc(organisationsTable.position))
        .all()
        .map((r) => ({ ...r, kind: r.kind ?? null }));
    },
    async memberDepartments(organisationIds) {
      if (organisationIds.length === 0) return [];
      return db
        .select({ code: departmentsTable.code, line: departmentsTable.line, nameZh: departmentsTable.nameZh, nameEn: departmentsTable.nameEn, organisationId: departmentsTable.organisationId })
        .from(departmentsTable)
        .where(inArray(departmentsTable.organisationId, [...organisationIds]))
        .orderBy(asc(departmentsTable.signatureOrder))
        .all();
    },
    async planFamily(planId) {
      const rows = db.all<{ id: number }>(sql`
        with recursive up(id, parent) as (
          select id, implements_plan_id from plans where id = ${planId}
          union all
          select p.id, p.implements_plan_id from plans p join up on p.id = up.parent
        ),
        down(id) as (
          select id from up where parent is null
          union all
          select p.id from plans p join down on p.implements_plan_id = down.id
        )
        select id from down`);
      return rows.map((r) => Number(r.id));
    },
    async plan(planId) {
      return db.select(planColumns).from(plansTable).where(eq(plansTable.id, planId)).get() as CascadePlanRow | undefined;
    },
    async livePlans(planIds) {
      return db
        .select(planColumns)
        .from(plansTable)
        .where(and(ne(plansTable.status, "withdrawn"), planIds === null ? undefined : inArray(plansTable.id, [...planIds])))
        .orderBy(asc(plansTable.id))
        .all();
    },
    async measuresOf(planIds) {
      if (planIds.length === 0) return [];
      return db
        .select({
          id: measuresTable.id,
          planId: measuresTable.planId,
          number: measuresTable.number,
          sectionNumber: measuresTable.sectionNumber,
          title: measuresTable.title,
          text: measuresTable.text,
          statedDueDate: measuresTable.statedDueDate,
          originMeasureId: measuresTable.originMeasureId,
          closed: measuresTable.closed,
        })
        .from(measuresTable)
        .where(inArray(measuresTable.planId, [...planIds]))
        .orderBy(asc(measuresTable.planId), asc(measuresTable.number))
        .all();
    },
    async assignmentsOf(planIds) {
      if (planIds !== null && planIds.length === 0) return [];
      return db
        .select({ measureId: assignmentsTable.measureId, role: assignmentsTable.role, status: assignmentsTable.status, dueDate: assignmentsTable.dueDate })
        .from(assignmentsTable)
        .where(planIds === null ? undefined : inArray(assignmentsTable.planId, [...planIds]))
        .all();
    },
    async divisionOf(planIds) {
      if (planIds !== null && planIds.length === 0) return [];
      return db
        .select({ measureId: responsibilitiesTable.measureId, department: responsibilitiesTable.department, role: responsibilitiesTable.role })
        .from(responsibilitiesTable)
        .where(planIds === null ? undefined : inArray(responsibilitiesTable.planId, [...planIds]))
        .orderBy(asc(responsibilitiesTable.measureId), asc(responsibilitiesTable.position))
        .all();
    },
    async forwardingsOf(planIds) {
      if (planIds !== null && planIds.length === 0) return [];
      return db
        .select(forwardingColumns)
        .from(forwardingsTable)
        .where(planIds === null ? undefined : inArray(forwardingsTable.planId, [...planIds]))
        .orderBy(asc(forwardingsTable.id))
        .all();
    },
    async forwarding(id) {
      return db.select(forwardingColumns).from(forwardingsTable).where(eq(forwardingsTable.id, id)).get();
    },
    async pendingForwardingsTo(organisation) {
      return db
        .select(forwardingColumns)
        .from(forwardingsTable)
        .where(and(eq(forwardingsTable.toOrganisation, organisation), eq(forwardingsTable.status, "pending")))
        .orderBy(asc(forwardingsTable.id))
        .all();
    },
    async forwardedMeasures(forwardingIds) {
      if (forwardingIds.length === 0) return [];
      return db
        .select({ forwardingId: forwardingMeasuresTable.forwardingId, measureId: measuresTable.id, number: measuresTable.number, title: measuresTable.title })
        .from(forwardingMeasuresTable)
        .innerJoin(measuresTable, eq(measuresTable.id, forwardingMeasuresTable.measureId))
        .where(inArray(forwardingMeasuresTable.forwardingId, [...forwardingIds]))
        .orderBy(asc(forwardingMeasuresTable.forwardingId), asc(forwardingMeasuresTable.position))
        .all();
    },
    async originsOfOwnPlans(organisation) {
      const rows = db
        .select({ planId: measuresTable.planId, origin: measuresTable.originMeasureId })
        .from(measuresTable)
        .innerJoin(plansTable, eq(plansTable.id, measuresTable.planId))
        .where(and(eq(plansTable.organisationId, organisation), ne(plansTable.status, "withdrawn")))
        .all();
      return rows.flatMap((r) => (r.origin === null ? [] : [{ planId: r.planId, origin: r.origin }]));
    },
    async countImplementationPlans(organisation, planId) {
      const row = db
        .select({ n: sql<number>`count(*)` })
        .from(plansTable)
        .where(and(eq(plansTable.organisationId, organisation), eq(plansTable.implementsPlanId, planId)))
        .get();
      return Number(row?.n ?? 0);
    },
    async sectionsOf(planId, numbers) {
      if (numbers.length === 0) return [];
      return db
        .select({ number: sectionsTable.number, numeral: sectionsTable.numeral, title: sectionsTable.title })
        .from(sectionsTable)
        .where(and(eq(sectionsTable.planId, planId), inArray(sectionsTable.number, [...numbers])))
        .orderBy(asc(sectionsTable.number))
        .all();
    },
    async addForwarding(row, measureIds) {
      const inserted = db
        .insert(forwardingsTable)
        .values({ ...row, status: "pending" })
        .returning({ id: forwardingsTable.id })
        .get();
      if (measureIds.length > 0) {
        db.insert(forwardingMeasuresTable)
          .values(measureIds.map((measureId, position) => ({ forwardingId: inserted.id, measureId, position })))
          .run();
      }
      return inserted.id;
    },
    async addImplementationPlan(row, departments, sections) {
      const plan = db
        .insert(plansTable)
        .values({ ...row, documentNumber: "", status: "draft" })
        .returning({ id: plansTable.id })
        .get();
      if (departments.length > 0) {
        db.insert(planDepartmentsTable)
          .values(departments.map((department, position) => ({ planId: plan.id, department, position })))
          .run();
      }
      for (const s of sections) db.insert(sectionsTable).values({ planId: plan.id, ...s }).run();
      return plan.id;
    },
    async addMeasure(row) {
      return db
        .insert(measuresTable)
        .values({ ...row, textCut: false, statedDeadline: row.statedDueDate })
        .returning({ id: measuresTable.id })
        .get().id;
    },
    async addResponsibility(row) {
      db.insert(responsibilitiesTable).values({ ...row, justification: null }).run();
    },
    async coordinatorsOf(organisations) {
      if (organisations.length === 0) return [];
      const organisation = sql<string>`coalesce(${departmentsTable.organisationId}, ${usersTable.organisationId})`;
      return db
        .select({ userId: usersTable.id, organisation })
        .from(usersTable)
        .leftJoin(departmentsTable, eq(departmentsTable.code, usersTable.department))
        .where(and(eq(usersTable.role, "coordinator"), isNull(usersTable.disabledAt), inArray(organisation, [...organisations])))
        .orderBy(asc(usersTable.id)).all();
    },
    async markDerived(forwardingIds, planId) {
      if (forwardingIds.length === 0) return;
      db.update(forwardingsTable).set({ status: "derived", derivedPlanId: planId }).where(inArray(forwardingsTable.id, [...forwardingIds])).run();
    },
  };
}
