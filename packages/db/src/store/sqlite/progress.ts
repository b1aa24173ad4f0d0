import { and, asc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Queryable } from "../../client.js";
import { assignmentsTable, auditEventsTable, extensionRequestsTable, measuresTable } from "../../schema/index.js";
import type { ProgressRepo } from "../repos/progress.js";

/** SQLite limits the variables of one statement: lists of ids are read in slices. */
const slice = 500;

function inSlices<T>(ids: readonly number[], read: (part: number[]) => T[]): T[] {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += slice) out.push(...read(unique.slice(i, i + slice)));
  return out;
}

export function sqliteProgressRepo(db: Queryable): ProgressRepo {
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
      if (read.reach != null) where.push(or(eq(a.handlerUserId, read.reach.userId), eq(a.divisionId, read.reach.divisionId)) ?? sql`0`);
      return db
        .select({ ...columns, measureTitle: measuresTable.title })
        .from(a)
        .innerJoin(measuresTable, eq(measuresTable.id, a.measureId))
        .where(and(...where))
        .orderBy(asc(a.dueDate), asc(a.measureNumber), asc(a.id))
        .all();
    },
    async assignmentsOfMeasure(measureId) {
      return db
        .select({ id: a.id, department: a.department, role: a.role, status: a.status })
        .from(a)
        .where(eq(a.measureId, measureId))
        .orderBy(asc(a.id))
        .all();
    },
    async assignmentsOfPlan(planId) {
      return db
        .select(columns)
        .from(a)
        .where(eq(a.planId, planId))
        .orderBy(asc(a.measureNumber), asc(a.id))
        .all();
    },
    async declineEvents(assignmentIds) {
      const e = auditEventsTable;
      // Read slice by slice, then in one order: a later decline (after a reaffirmation) replaces an earlier one.
      return inSlices(assignmentIds, (part) =>
        db
          .select({ id: e.id, assignmentId: e.assignmentId, payload: e.payload })
          .from(e)
          .where(and(inArray(e.assignmentId, part), eq(e.type, "assignment.declined")))
          .all(),
      )
        .sort((x, y) => x.id - y.id)
        .map(({ assignmentId, payload }) => ({ assignmentId, payload }));
    },
    async pendingExtensionRequests(assignmentIds) {
      const x = extensionRequestsTable;
      return inSlices(assignmentIds, (part) =>
        db
          .select({ id: x.id, assignmentId: x.assignmentId, requestedAt: x.createdAt })
          .from(x)
          .where(and(inArray(x.assignmentId, part), eq(x.status, "pending")))
          .all(),
      )
        .sort((p, q) => p.id - q.id)
        .map(({ assignmentId, requestedAt }) => ({ assignmentId, requestedAt }));
    },
  };
}
