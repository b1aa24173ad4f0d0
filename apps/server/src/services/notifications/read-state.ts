/**
 * What a person has read, decided in one place (new-user trial, fault 1): the notification centre's notices (one per
 * account, `notifications`) and the inbox's unread marks (one per assignment and department, `assignment_notices`)
 * are two views of the same events (the domain's `assignmentEventAudience`). The navigation shows one count, the
 * notification centre's; opening an assignment reads both, and marking a notice of an assignment read in the centre
 * clears the inbox's mark too.
 */
import { and, eq, inArray, isNull, like, sql } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { assignmentNoticesTable, notificationsTable } from "@countersign/db/schema";
import type { ActingUser } from "../shared/acting-user.js";
import { readsDepartmentInbox } from "../inbox/notices.js";

const assignmentLink = (assignmentId: number): string => `/assignments/${assignmentId}`;

/** The caller's unread notices: the navigation's one count. */
export function unreadCount(db: Queryable, user: ActingUser): number {
  const n = notificationsTable;
  return db.select({ c: sql<number>`count(*)` }).from(n).where(and(eq(n.userId, user.id), isNull(n.readAt))).get()?.c ?? 0;
}

/**
 * The department's inbox marks are cleared by its own accounts (liaison, leader, a handler: each opens only what it
 * may see: readsDepartmentInbox). The coordinator or an observer opening the assignment does not read it for the
 * department.
 */
function clearInboxMarks(tx: Queryable, user: ActingUser, assignmentIds: readonly number[]): void {
  if (!readsDepartmentInbox(user) || user.department === null || assignmentIds.length === 0) return;
  const n = assignmentNoticesTable;
  tx.update(n)
    .set({ unread: false, readEventId: n.noticeEventId })
    .where(and(eq(n.department, user.department), eq(n.unread, true), inArray(n.assignmentId, [...assignmentIds])))
    .run();
}

/**
 * The caller opened an assignment: its notices in the caller's notification centre are read, and, for the
 * department's own people, the inbox's unread mark. Not a state change of the work: no audit event. Idempotent.
 *
 * @returns the caller's unread count after it (the navigation's)
 */
export function readAssignment(tx: Queryable, user: ActingUser, assignmentId: number, now: Date): { unread: number } {
  clearInboxMarks(tx, user, [assignmentId]);
  const n = notificationsTable;
  tx.update(n)
    .set({ readAt: now.toISOString() })
    .where(and(eq(n.userId, user.id), isNull(n.readAt), eq(n.link, assignmentLink(assignmentId))))
    .run();
  return { unread: unreadCount(tx, user) };
}

/**
 * Marks the caller's notices read (the given ids, or all); another account's ids are ignored. A notice of an
 * assignment read this way reads the department's inbox mark of that assignment too (when the caller is one of the
 * department's people); marking all read does so for every assignment the caller's notices name.
 *
 * @returns the caller's unread count after it
 */
export function markNotificationsRead(tx: Queryable, user: ActingUser, ids: readonly number[] | null, now: Date): number {
  const n = notificationsTable;
  const mine = and(eq(n.userId, user.id), isNull(n.readAt));
  const where = ids === null ? mine : and(mine, inArray(n.id, [...ids]));
  if (ids === null || ids.length > 0) {
    // Only the assignments these notices name: marking all read never clears a mark the caller was not told of.
    const links = tx
      .select({ link: n.link })
      .from(n)
      .where(and(where, like(n.link, "/assignments/%")))
      .all();
    const assignmentIds = links.map((l) => Number(l.link.slice("/assignments/".length))).filter((id) => Number.isSafeInteger(id) && id > 0);
    clearInboxMarks(tx, user, [...new Set(assignmentIds)]);
  }
  tx.update(n).set({ readAt: now.toISOString() }).where(where).run();
  return unreadCount(tx, user);
}
