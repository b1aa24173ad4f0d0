import { and, asc, eq, isNotNull } from "drizzle-orm";
import { inboxScope, inScope, trackingTrend } from "@countersign/domain";
import type { TrackingTrend, TrailEvent } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { assignmentsTable, auditEventsTable, planDepartmentsTable } from "@countersign/db/schema";
import { actorOf, readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { parsePayload } from "../shared/audit-view.js";
import { planOrNotFound } from "../shared/plan-lookup.js";


/**
 * The tracking page's charts (tracking.trend): open against done assignments at the end of each week (Monday to
 * Sunday, Beijing time; the latest `weeks`), and each department's on-time rate, replayed from the plan's audit trail
 * by the domain's `trackingTrend`. What a user sees follows tracking.overview: those who read every department see
 * the whole plan; a liaison sees the assignments of the measures their department shares, and only their own
 * department's rate; a handler only the assignments in their scope (policy.ts `inScope`: handed to them or to their
 * division). Throws ServiceError `not_found` for an unknown plan.
 */
export function getTrackingTrend(db: Queryable, user: ActingUser, planId: number, weeks: number, now: Date): TrackingTrend {
  planOrNotFound(db, planId);
  const own = readsAllDepartments(user) ? null : user.department;
  let visible: ReadonlySet<number> | null = null;
  if (own !== null) {
    const rows = db
      .select({
        id: assignmentsTable.id,
        measureNumber: assignmentsTable.measureNumber,
        department: assignmentsTable.department,
        division: assignmentsTable.divisionId,
        handler: assignmentsTable.handlerUserId,
      })
      .from(assignmentsTable)
      .where(eq(assignmentsTable.planId, planId))
      .all();
    const scope = inboxScope(actorOf(user));
    if (scope.kind === "handler") {
      visible = new Set(rows.filter((r) => inScope(scope, r)).map((r) => r.id));
    } else {
      const shared = new Set(rows.filter((r) => r.department === own).map((r) => r.measureNumber));
      visible = new Set(rows.filter((r) => shared.has(r.measureNumber)).map((r) => r.id));
    }
  }
  const events: TrailEvent[] = db
    .select({
      seq: auditEventsTable.seq,
      at: auditEventsTable.at,
      type: auditEventsTable.type,
      assignmentId: auditEventsTable.assignmentId,
      measureNumber: auditEventsTable.measureNumber,
      fromStatus: auditEventsTable.fromStatus,
      toStatus: auditEventsTable.toStatus,
      payload: auditEventsTable.payload,
      department: auditEventsTable.department,
    })
    .from(auditEventsTable)
    .where(and(eq(auditEventsTable.planId, planId), isNotNull(auditEventsTable.assignmentId)))
    .orderBy(asc(auditEventsTable.seq))
    .all()
    .filter((e) => visible === null || (e.assignmentId !== null && visible.has(e.assignmentId)))
    .map((e) => ({ ...e, payload: parsePayload(e.payload) }));
  const departmentOrder = db
    .select({ department: planDepartmentsTable.department })
    .from(planDepartmentsTable)
    .where(eq(planDepartmentsTable.planId, planId))
    .orderBy(asc(planDepartmentsTable.position))
    .all()
    .map((d) => d.department);
  const trend = trackingTrend({ events, now, maxWeeks: weeks, departmentOrder: own === null ? departmentOrder : [own] });
  return { weeks: trend.weeks, departments: own === null ? trend.departments : trend.departments.filter((d) => d.department === own) };
}
