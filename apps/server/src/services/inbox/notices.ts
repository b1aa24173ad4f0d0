import type { Repositories } from "@countersign/db";
import type { ActingUser } from "../shared/acting-user.js";

/**
 * How many of the caller's department's assignments have an unread mark in the inbox (0 for a user without a
 * department's inbox). Not the navigation's count: that is the notification centre's (notifications/read-state.ts).
 */
export async function inboxMarkCount(repos: Repositories, user: ActingUser): Promise<number> {
  if (!readsDepartmentInbox(user) || user.department === null) return 0;
  return repos.inbox.markCount(user.department);
}

/**
 * Whether the user reads (and so clears) its department's inbox marks: a department's own accounts (liaison, leader,
 * handler: role "liaison" with a department). The notification centre's read state applies the same rule.
 */
export function readsDepartmentInbox(user: ActingUser): boolean {
  return user.role === "liaison" && user.department !== null;
}
