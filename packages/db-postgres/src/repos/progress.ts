import { and, asc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { ProgressRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { assignmentsTable, auditEventsTable, extensionRequestsTable, measuresTable } from "../schema/index.js";
import type { PostgresTx } from "../store.js";

export function postgresProgressRepo(db: PostgresDb | PostgresTx): ProgressRepo {
  const a = assignmentsTable;
  const columns = {
    id: a.id,
    measureNumber: a.measureNumber,
    department: a.department,
    role: a.role,
    status: a.status,
    dueDate: a.dueDate,
    pendingExtensionUntil: a.pendingExtensionUntil,
    pendingExtensionReason: a.pendingExtensionReason,
    divisionId: a.divisionId,
    handlerUserId: a.handlerUserId,
    version: a.version,
    lastRemindedAt: a.lastRemindedAt,
  };
  return {
    async overdue(read) {
      const where: SQL[] = [eq(a.planId, read.planId), inArray(a.status, [...read.statuses]), lt(a.dueDate, read.before)];
      if (read.department !== undefined) where.push(eq(a.department, read.department));
      if (read.reach != null) where.push(or(eq(a.handlerUserId, read.reach.userId), eq(a.divisionId, read.reach.divisionId)) ?? sql`false`);
      return db
        .select({ ...columns, measureTitle: measuresTable.title })
        .from(a)
        .innerJoin(measuresTable, eq(measuresTable.id, a.measureId))
        .where(and(...where))
        .orderBy(asc(a.dueDate), asc(a.measureNumber), asc(a.id));
    },
    async assignmentsOfMeasure(measureId) {
      return db
        .select({ id: a.id, department: a.department, role: a.role, status: a.status })
        .from(a)
        .where(eq(a.measureId, measureId))
        .orderBy(asc(a.id));
    },
    async assignmentsOfPlan(planId) {
      return db
        .select(columns)
        .from(a)
        .where(eq(a.planId, planId))
        .orderBy(asc(a.measureNumber), asc(a.id));
    },
    // One statement whatever the number of ids (PostgreSQL binds up to 65,535 parameters; a plan has far fewer).
    async declineEvents(assignmentIds) {
      if (assignmentIds.length === 0) return [];
      const e = auditEventsTable;
      return db
        .select({ assignmentId: e.assignmentId, payload: e.payload })
        .from(e)
        .where(and(inArray(e.assignmentId, [...new Set(assignmentIds)]), eq(e.type, "assignment.declined")))
        .orderBy(asc(e.id));
    },
    async pendingExtensionRequests(assignmentIds) {
      if (assignmentIds.length === 0) return [];
      const x = extensionRequestsTable;
      return db
        .select({ assignmentId: x.assignmentId, requestedAt: x.createdAt })
        .from(x)
        .where(and(inArray(x.assignmentId, [...new Set(assignmentIds)]), eq(x.status, "pending")))
        .orderBy(asc(x.id));
    },
  };
}
