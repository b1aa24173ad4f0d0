import { and, count, eq } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { assignmentNoticesTable } from "@countersign/db/schema";
import type { ActingUser } from "../shared/acting-user.js";

/**
 * How many of the caller's department's assignments have an unread mark in the inbox (0 for a user without a
 * department's inbox). Not the navigation's count: that is the notification centre's (notifications/read-state.ts).
 */
export function unreadCount(db: Queryable, user: ActingUser): number {
  if (user.role !== "liaison" || user.department === null) return 0;
  const n = assignmentNoticesTable;
  return db.select({ n: count() }).from(n).where(and(eq(n.department, user.department), eq(n.unread, true))).get()?.n ?? 0;
}
