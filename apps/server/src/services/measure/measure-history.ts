import type { DepartmentCode } from "@countersign/domain";
import type { Repositories } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { readsAllDepartments } from "../shared/acting-user.js";
import { handlerReachOf } from "../shared/handler-reach.js";
import type { ActingUser } from "../shared/acting-user.js";
import { auditEntriesThrough } from "../shared/audit-view.js";
import type { AuditEntry } from "../shared/audit-view.js";
import { readMeasureOrNotFound } from "../shared/plan-lookup.js";

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
 * and then the measure's own events and their own department's, not the words of others. Through the store (either
 * engine). @throws ServiceError `not_found` (no such measure), `not_your_department`
 */
export async function measureHistory(repos: Repositories, user: ActingUser, input: { planId: number; measureNumber: number }): Promise<MeasureHistory> {
  const measure = await readMeasureOrNotFound(repos, input.planId, input.measureNumber);
  const all = readsAllDepartments(user);
  // A handler: only the measures and assignments they reach (handed to them or their division, policy.ts).
  const reach = handlerReachOf(user);
  if (!all && !(await repos.auditTrail.holdsAssignmentOn(measure.id, user.department ?? "", reach))) {
    throw new ServiceError("not_your_department", `Your department is not responsible for measure (${measure.number}).`);
  }
  const rows = await repos.auditTrail.measureEvents({
    planId: measure.planId,
    measureNumber: measure.number,
    department: all ? undefined : { code: user.department ?? "", reach },
  });
  // Each actor named as a person (display names, the department acted for), as the assignment page names them.
  const events = await auditEntriesThrough(repos, rows.slice(-measureHistoryLimit));

  const ids = [measure.closedByUserId, measure.reopenedByUserId].filter((x): x is number => x !== null);
  const people = await repos.auditTrail.people(ids);
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
