import { and, asc, eq, inArray, isNull, or } from "drizzle-orm";
import type { DepartmentCode } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { assignmentsTable, auditEventsTable, usersTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { readsAllDepartments } from "../shared/acting-user.js";
import { handlerReachCondition } from "../shared/handler-reach.js";
import type { ActingUser } from "../shared/acting-user.js";
import { auditEntriesOf } from "../shared/audit-view.js";
import type { AuditEntry } from "../shared/audit-view.js";
import { measureOrNotFound } from "../shared/plan-lookup.js";

/** Who did a closing or reopening, as shown. */
export interface ClosureActor {
  username: string;
  displayName: string;
  department: DepartmentCode | null;
}

export interface MeasureHistory {
  planId: number;
  measureNumber: number;
  /** 办结: whether the measure is closed and, for the latest closing and reopening, when, by whom and the note. */
  closure: {
    closed: boolean;
    closedAt: string | null;
    closedBy: ClosureActor | null;
    closeNote: string | null;
    reopenedAt: string | null;
    reopenedBy: ClosureActor | null;
    reopenNote: string | null;
  };
  /**
   * The measure's own events (closed, reopened) and those of its assignments, oldest first (at most 500, the newest);
   * `actor.person` names who acted, `department` the assignment's department (to whom an `assignment.issued` went).
   */
  events: AuditEntry[];
}

export const measureHistoryLimit = 500;

/**
 * A measure's history: its closings and reopenings and every event of its assignments. The coordinator, observers
 * and administrators read all of it; a liaison reads it only for a measure their department is responsible for,
 * and then the measure's own events and their own department's, not the words of others.
 */
export function measureHistory(db: Queryable, user: ActingUser, input: { planId: number; measureNumber: number }): MeasureHistory {
  const measure = measureOrNotFound(db, input.planId, input.measureNumber);
  const all = readsAllDepartments(user);
  // A handler: only the measures and assignments they reach (handed to them or their division, policy.ts).
  const reach = handlerReachCondition(user);
  if (!all) {
    const own = db
      .select({ id: assignmentsTable.id })
      .from(assignmentsTable)
      .where(and(eq(assignmentsTable.measureId, measure.id), eq(assignmentsTable.department, user.department ?? ""), reach ?? undefined))
      .get();
    if (own === undefined) {
      throw new ServiceError("not_your_department", `Your department is not responsible for measure (${measure.number}).`);
    }
  }
  const e = auditEventsTable;
  const ofMeasure = and(eq(e.planId, measure.planId), eq(e.measureNumber, measure.number));
  const ownEvents =
    reach === null
      ? eq(e.department, user.department ?? "")
      : and(eq(e.department, user.department ?? ""), inArray(e.assignmentId, db.select({ id: assignmentsTable.id }).from(assignmentsTable).where(reach)));
  const scope = all ? ofMeasure : and(ofMeasure, or(isNull(e.assignmentId), ownEvents));
  const rows = db.select().from(e).where(scope).orderBy(asc(e.id)).all();
  // Each actor named as a person (display names, the department acted for), as the assignment page names them.
  const events = auditEntriesOf(db, rows.slice(-measureHistoryLimit));

  const ids = [measure.closedByUserId, measure.reopenedByUserId].filter((x): x is number => x !== null);
  const people =
    ids.length === 0
      ? []
      : db
          .select({ id: usersTable.id, username: usersTable.username, displayName: usersTable.displayName, department: usersTable.department })
          .from(usersTable)
          .where(inArray(usersTable.id, ids))
          .all();
  const who = (id: number | null): ClosureActor | null => {
    const p = people.find((x) => x.id === id);
    return p === undefined ? null : { username: p.username, displayName: p.displayName, department: p.department };
  };
  return {
    planId: measure.planId,
    measureNumber: measure.number,
    closure: {
      closed: measure.closed,
      closedAt: measure.closedAt,
      closedBy: who(measure.closedByUserId),
      closeNote: measure.closeNote,
      reopenedAt: measure.reopenedAt,
      reopenedBy: who(measure.reopenedByUserId),
      reopenNote: measure.reopenNote,
    },
    events,
  };
}
