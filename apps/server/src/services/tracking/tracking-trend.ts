import { inboxScope, inScope, trackingTrend } from "@countersign/domain";
import type { TrackingTrend, TrailEvent } from "@countersign/domain";
import type { Repositories } from "@countersign/db";
import { actorOf, readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { parsePayload } from "../shared/audit-view.js";
import { readPlanOrNotFound } from "../shared/plan-lookup.js";

/**
 * The tracking page's charts (tracking.trend): open against done assignments at the end of each week (Monday to
 * Sunday, Beijing time; the latest `weeks`), and each department's on-time rate, replayed from the plan's audit trail
 * by the domain's `trackingTrend`. What a user sees follows tracking.overview: those who read every department see
 * the whole plan; a liaison sees the assignments of the measures their department shares, and only their own
 * department's rate; a handler only the assignments in their scope (policy.ts `inScope`: handed to them or to their
 * division). Through the store (either engine). Throws ServiceError `not_found` for an unknown plan.
 */
export async function getTrackingTrend(repos: Repositories, user: ActingUser, planId: number, weeks: number, now: Date): Promise<TrackingTrend> {
  await readPlanOrNotFound(repos, planId);
  const own = readsAllDepartments(user) ? null : user.department;
  let visible: ReadonlySet<number> | null = null;
  if (own !== null) {
    const rows = (await repos.progress.assignmentsOfPlan(planId)).map((r) => ({
      id: r.id,
      measureNumber: r.measureNumber,
      department: r.department,
      division: r.divisionId,
      handler: r.handlerUserId,
    }));
    const scope = inboxScope(actorOf(user));
    if (scope.kind === "handler") {
      visible = new Set(rows.filter((r) => inScope(scope, r)).map((r) => r.id));
    } else {
      const shared = new Set(rows.filter((r) => r.department === own).map((r) => r.measureNumber));
      visible = new Set(rows.filter((r) => shared.has(r.measureNumber)).map((r) => r.id));
    }
  }
  // The trend replays the assignments' events only (a measure's own events move no assignment).
  const events: TrailEvent[] = (await repos.catalog.planTrail(planId))
    .filter((e) => e.assignmentId !== null && (visible === null || visible.has(e.assignmentId)))
    .map((e) => ({ ...e, payload: parsePayload(e.payload) }));
  const departmentOrder = await repos.catalog.planMemberDepartments(planId);
  const trend = trackingTrend({ events, now, maxWeeks: weeks, departmentOrder: own === null ? departmentOrder : [own] });
  return { weeks: trend.weeks, departments: own === null ? trend.departments : trend.departments.filter((d) => d.department === own) };
}
