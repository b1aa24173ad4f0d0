import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { AuditTrailRepo, HandlerReach } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { assignmentsTable, auditEventsTable, plansTable, usersTable } from "../schema/index.js";
import type { PostgresTx } from "../store.js";

/** The assignments a handler reaches, as a condition on `assignments`. */
function reachCondition(reach: HandlerReach): SQL {
  return or(eq(assignmentsTable.handlerUserId, reach.userId), eq(assignmentsTable.divisionId, reach.divisionId)) ?? sql`false`;
}

export function postgresAuditTrailRepo(db: PostgresDb | PostgresTx): AuditTrailRepo {
  const e = auditEventsTable;
  const reachedIds = (reach: HandlerReach) => db.select({ id: assignmentsTable.id }).from(assignmentsTable).where(reachCondition(reach));
  return {
    async page(filter) {
      const where: SQL[] = [];
      if (filter.planId !== undefined) where.push(eq(e.planId, filter.planId));
      if (filter.assignmentId !== undefined) where.push(eq(e.assignmentId, filter.assignmentId));
      const own = filter.organisation.id;
      // "Not another organisation's plan", as on SQLite: the newest-first walk by id stops after a page.
      if (filter.organisation.national) {
        where.push(sql`coalesce(${e.planId}, 0) not in (select ${plansTable.id} from ${plansTable} where ${plansTable.organisationId} <> ${own})`);
      } else {
        where.push(inArray(e.planId, db.select({ id: plansTable.id }).from(plansTable).where(eq(plansTable.organisationId, own))));
      }
      if (filter.department !== undefined) where.push(eq(e.department, filter.department));
      if (filter.reach != null) where.push(inArray(e.assignmentId, reachedIds(filter.reach)));
      if (filter.before !== undefined) where.push(lt(e.id, filter.before));
      return db
        .select()
        .from(e)
        .where(and(...where))
        .orderBy(desc(e.id))
        .limit(filter.limit);
    },
    async measureEvents(filter) {
      const ofMeasure = and(eq(e.planId, filter.planId), eq(e.measureNumber, filter.measureNumber));
      const department = filter.department;
      let scope = ofMeasure;
      if (department !== undefined) {
        const own =
          department.reach === null
            ? eq(e.department, department.code)
            : and(eq(e.department, department.code), inArray(e.assignmentId, reachedIds(department.reach)));
        scope = and(ofMeasure, or(isNull(e.assignmentId), own));
      }
      return db.select().from(e).where(scope).orderBy(asc(e.id));
    },
    async holdsAssignmentOn(measureId, department, reach) {
      const a = assignmentsTable;
      const rows = await db
        .select({ id: a.id })
        .from(a)
        .where(and(eq(a.measureId, measureId), eq(a.department, department), reach === null ? undefined : reachCondition(reach)))
        .limit(1);
      return rows.length > 0;
    },
    async assignmentHolder(assignmentId) {
      const a = assignmentsTable;
      const [row] = await db
        .select({ department: a.department, divisionId: a.divisionId, handlerUserId: a.handlerUserId })
        .from(a)
        .where(eq(a.id, assignmentId));
      return row;
    },
    async reassignmentPayloads(assignmentId) {
      const rows = await db
        .select({ payload: e.payload })
        .from(e)
        .where(and(eq(e.assignmentId, assignmentId), eq(e.type, "assignment.reassigned")))
        .orderBy(asc(e.id));
      return rows.map((r) => r.payload);
    },
    async people(userIds) {
      if (userIds.length === 0) return [];
      const u = usersTable;
      return db
        .select({ id: u.id, username: u.username, displayName: u.displayName, displayNameZh: u.displayNameZh, displayNameEn: u.displayNameEn, department: u.department })
        .from(u)
        .where(inArray(u.id, [...userIds]));
    },
  };
}
