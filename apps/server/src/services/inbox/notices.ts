import { and, count, eq } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { assignmentNoticesTable } from "@countersign/db/schema";
import type { ActingUser } from "../shared/acting-user.js";

/** How many of the caller's department's assignments have an unread notice (0 for a user without a department's inbox). */
export function unreadCount(db: Queryable, user: ActingUser): number {
  if (user.role !== "liaison" || user.department === null) return 0;
  const n = assignmentNoticesTable;
  return db.select({ n: count() }).from(n).where(and(eq(n.department, user.department), eq(n.unread, true))).get()?.n ?? 0;
}

/**
 * The department's liaison opened the assignment: its latest notice is read. Only the liaison of the department the
 * notice is addressed to reads it (the coordinator opening it does not). Not a state change of the work: no audit
 * event. Answers the department's unread count after it.
 */
export function markNoticeRead(tx: Queryable, user: ActingUser, assignmentId: number): { unread: number } {
  if (user.role === "liaison" && user.department !== null) {
    const n = assignmentNoticesTable;
    tx.update(n)
      .set({ unread: false, readEventId: n.noticeEventId })
      .where(and(eq(n.assignmentId, assignmentId), eq(n.department, user.department), eq(n.unread, true)))
      .run();
  }
  return { unread: unreadCount(tx, user) };
}
