import { and, desc, eq, lt } from "drizzle-orm";
import { assignmentAccess, canSeeWordsOf, readsEveryDepartment } from "@countersign/domain";
import type { SQL } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { assignmentsTable, auditEventsTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { actorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { auditEntriesOf } from "../shared/audit-view.js";
import { previousHoldersOf } from "../shared/previous-holders.js";
import type { AuditEntry } from "../shared/audit-view.js";

export interface AuditQuery {
  planId?: number | undefined;
  assignmentId?: number | undefined;
  /** `nextCursor` of the previous page: events older than it. */
  cursor?: number | undefined;
  limit?: number | undefined;
}

export interface AuditPage {
  /** Newest first. */
  rows: AuditEntry[];
  nextCursor: number | null;
}

export const auditDefaultLimit = 50;
export const auditMaxLimit = 200;

/**
 * The trail, newest first, paged by id (ids follow seq: the audit verification checks it). A liaison reads the events
 * of their own department only (the domain's policy.ts), including those of an assignment it held before a
 * reassignment; asking for an assignment it never held is refused.
 */
export function listAudit(db: Queryable, user: ActingUser, query: AuditQuery): AuditPage {
  const limit = Math.min(Math.max(query.limit ?? auditDefaultLimit, 1), auditMaxLimit);
  const e = auditEventsTable;
  const viewer = actorOf(user);
  const filters: SQL[] = [];
  if (query.planId !== undefined) filters.push(eq(e.planId, query.planId));
  if (query.assignmentId !== undefined) {
    if (!readsEveryDepartment(viewer)) {
      const owner = db
        .select({ department: assignmentsTable.department })
        .from(assignmentsTable)
        .where(eq(assignmentsTable.id, query.assignmentId))
        .get();
      const heldBefore = previousHoldersOf(db, query.assignmentId);
      if (owner !== undefined && assignmentAccess(viewer, owner.department, heldBefore) === null) {
        throw new ServiceError("not_your_department", `Assignment ${query.assignmentId} is not your department's.`, {
          field: "assignmentId",
        });
      }
    }
    filters.push(eq(e.assignmentId, query.assignmentId));
  }
  // The policy's rule in SQL, so that pages stay full; the filter below is the rule itself.
  if (!readsEveryDepartment(viewer)) filters.push(eq(e.department, user.department ?? ""));
  if (query.cursor !== undefined) filters.push(lt(e.id, query.cursor));
  const rows = db
    .select()
    .from(e)
    .where(and(...filters))
    .orderBy(desc(e.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: auditEntriesOf(db, page.filter((row) => canSeeWordsOf(viewer, row.department))),
    nextCursor: rows.length > limit && last !== undefined ? last.id : null,
  };
}
