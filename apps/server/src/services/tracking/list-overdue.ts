import { daysLate, latenessOf, owingStatuses, planCalendarDate } from "@countersign/domain";
import type { AssignmentStatus, DepartmentCode, Lateness, Role } from "@countersign/domain";
import type { Repositories } from "@countersign/db";
import { readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { handlerReachOf } from "../shared/handler-reach.js";
import { readPlanOrNotFound } from "../shared/plan-lookup.js";

export interface OverdueItem {
  id: number;
  version: number;
  department: DepartmentCode;
  role: Role;
  status: AssignmentStatus;
  measureNumber: number;
  measureTitle: string;
  dueDate: string;
  daysLate: number;
  lateness: Lateness;
  lastRemindedAt: string | null;
}

/** 到期催办: every assignment past its due date with work still owed, the latest first. A liaison sees their own
 * department's; a handler what was handed to them or to their division. Through the store (either engine).
 * @throws ServiceError `not_found` for no such plan */
export async function listOverdue(repos: Repositories, user: ActingUser, planId: number, now: Date): Promise<OverdueItem[]> {
  await readPlanOrNotFound(repos, planId);
  const rows = await repos.progress.overdue({
    planId,
    statuses: owingStatuses,
    // "ongoing" sorts after every date, so it is never before today.
    before: planCalendarDate(now),
    department: readsAllDepartments(user) ? undefined : (user.department ?? ""),
    // A handler: only what was handed to them or to their division (policy.ts `inScope`).
    reach: handlerReachOf(user),
  });
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    department: r.department,
    role: r.role,
    status: r.status,
    measureNumber: r.measureNumber,
    measureTitle: r.measureTitle,
    dueDate: r.dueDate,
    daysLate: daysLate(r.dueDate, now),
    lateness: latenessOf(r.dueDate, r.status, now),
    lastRemindedAt: r.lastRemindedAt,
  }));
}
