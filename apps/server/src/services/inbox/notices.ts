import { and, count, eq } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { assignmentNoticesTable } from "@countersign/db/schema";
import type { ActingUser } from "../shared/acting-user.js";

/**
 * How many of the caller's department's assignments have an unread mark in the inbox (0 for a user without a
 * department's inbox). Not the navigation's count: that is the notification centre's (notifications/read-state.ts).
 */
export function inboxMarkCount(db: Queryable, user: ActingUser): number {
  if (!readsDepartmentInbox(user) || user.department === null) return 0;
  const n = assignmentNoticesTable;
  return db.select({ n: count() }).from(n).where(and(eq(n.department, user.department), eq(n.unread, true))).get()?.n ?? 0;
}

/**
 * Whether the user reads (and so clears) its department's inbox marks: a department's own accounts (liaison, leader,
 * handler: role "liaison" with a department). The notification centre's read state applies the same rule.
 */
export function readsDepartmentInbox(user: ActingUser): boolean {
  return user.role === "liaison" && user.department !== null;
}
