import { and, asc, eq, inArray, lt } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { daysLate, latenessOf, owingStatuses, planCalendarDate } from "@countersign/domain";
import type { AssignmentStatus, DepartmentCode, Lateness, Role } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { assignmentsTable, measuresTable } from "@countersign/db/schema";
import { readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { handlerReachCondition } from "../shared/handler-reach.js";
import { planOrNotFound } from "../shared/plan-lookup.js";

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
 * department's; a handler what was handed to them or to their division. */
export function listOverdue(db: Queryable, user: ActingUser, planId: number, now: Date): OverdueItem[] {
  planOrNotFound(db, planId);
  const a = assignmentsTable;
  const filters: SQL[] = [
    eq(a.planId, planId),
    inArray(a.status, [...owingStatuses]),
    // "ongoing" sorts after every date, so it is never before today.
    lt(a.dueDate, planCalendarDate(now)),
  ];
  if (!readsAllDepartments(user)) filters.push(eq(a.department, user.department ?? ""));
  // A handler: only what was handed to them or to their division (policy.ts `inScope`, as SQL).
  const reach = handlerReachCondition(user);
  if (reach !== null) filters.push(reach);
  return db
    .select({ assignment: a, measureTitle: measuresTable.title })
    .from(a)
    .innerJoin(measuresTable, eq(measuresTable.id, a.measureId))
    .where(and(...filters))
    .orderBy(asc(a.dueDate), asc(a.measureNumber), asc(a.id))
    .all()
    .map(({ assignment: r, measureTitle }) => ({
      id: r.id,
      version: r.version,
      department: r.department,
      role: r.role,
      status: r.status,
      measureNumber: r.measureNumber,
      measureTitle,
      dueDate: r.dueDate,
      daysLate: daysLate(r.dueDate, now),
      lateness: latenessOf(r.dueDate, r.status, now),
      lastRemindedAt: r.lastRemindedAt,
    }));
}
