import { canSeeWordsOf, nationalId, readsEveryDepartment } from "@countersign/domain";
import type { Repositories } from "@countersign/db";
import { organisationOfActor } from "../cascade/boundary.js";
import { actorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { auditEntriesThrough } from "../shared/audit-view.js";
import { handlerReachOf, requireAssignmentAccessIn } from "../shared/handler-reach.js";
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
 * reassignment; asking for an assignment it never held is refused. Through the store (either engine).
 * @throws ServiceError `not_your_department`, `not_your_assignment` for an assignment the caller may not read
 */
export async function listAudit(repos: Repositories, user: ActingUser, query: AuditQuery): Promise<AuditPage> {
  const limit = Math.min(Math.max(query.limit ?? auditDefaultLimit, 1), auditMaxLimit);
  const viewer = actorOf(user);
  if (query.assignmentId !== undefined && !readsEveryDepartment(viewer)) await requireAssignmentAccessIn(repos, user, query.assignmentId);
  // Down the levels (issue 16): the trail of the caller's organisation's plans; nationally also the events of no plan.
  const own = await organisationOfActor(repos, user);
  const rows = await repos.auditTrail.page({
    planId: query.planId,
    assignmentId: query.assignmentId,
    organisation: { id: own, national: own === nationalId },
    // The policy's rule in the query, so that pages stay full; the filter below is the rule itself.
    department: readsEveryDepartment(viewer) ? undefined : (user.department ?? ""),
    // A handler reads the trail of the assignments they reach only (policy.ts), not the rest of the department's.
    reach: handlerReachOf(user),
    before: query.cursor,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: await auditEntriesThrough(repos, page.filter((row) => canSeeWordsOf(viewer, row.department))),
    nextCursor: rows.length > limit && last !== undefined ? last.id : null,
  };
}
