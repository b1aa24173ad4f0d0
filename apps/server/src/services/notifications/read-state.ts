/**
 * What a person has read, decided in one place (new-user trial, fault 1): the notification centre's notices (one per
 * account, `notifications`) and the inbox's unread marks (one per assignment and department, `assignment_notices`)
 * are two views of the same events (the domain's `assignmentEventAudience`). The navigation shows one count, the
 * notification centre's; opening an assignment reads both, and marking a notice of an assignment read in the centre
 * clears the inbox's mark too. On the store seam (issue 13): the same code on either engine.
 */
import type { Repositories } from "@countersign/db";
import type { ActingUser } from "../shared/acting-user.js";
import { readsDepartmentInbox } from "../inbox/notices.js";

const assignmentLinkPrefix = "/assignments/";
const assignmentLink = (assignmentId: number): string => `${assignmentLinkPrefix}${assignmentId}`;

/** The caller's unread notices: the navigation's one count. */
export async function unreadCount(repos: Repositories, user: ActingUser): Promise<number> {
  return repos.notifications.unreadCount(user.id);
}

/**
 * The department's inbox marks are cleared by its own accounts (liaison, leader, a handler: each opens only what it
 * may see: readsDepartmentInbox). The coordinator or an observer opening the assignment does not read it for the
 * department.
 */
async function clearInboxMarks(repos: Repositories, user: ActingUser, assignmentIds: readonly number[]): Promise<void> {
  if (!readsDepartmentInbox(user) || user.department === null || assignmentIds.length === 0) return;
  await repos.notifications.clearInboxMarks(user.department, assignmentIds);
}

/**
 * The caller opened an assignment: its notices in the caller's notification centre are read, and, for the
 * department's own people, the inbox's unread mark. Not a state change of the work: no audit event. Idempotent.
 * `repos` are the open unit of work's (`tx.repos`).
 *
 * @returns the caller's unread count after it (the navigation's)
 */
export async function readAssignment(repos: Repositories, user: ActingUser, assignmentId: number, now: Date): Promise<{ unread: number }> {
  await clearInboxMarks(repos, user, [assignmentId]);
  await repos.notifications.markLinkRead(user.id, assignmentLink(assignmentId), now.toISOString());
  return { unread: await unreadCount(repos, user) };
}

/**
 * Marks the caller's notices read (the given ids, or all); another account's ids are ignored. A notice of an
 * assignment read this way reads the department's inbox mark of that assignment too (when the caller is one of the
 * department's people); marking all read does so for every assignment the caller's notices name. `repos` are the
 * open unit of work's (`tx.repos`).
 *
 * @returns the caller's unread count after it
 */
export async function markNotificationsRead(repos: Repositories, user: ActingUser, ids: readonly number[] | null, now: Date): Promise<number> {
  if (ids === null || ids.length > 0) {
    // Only the assignments these notices name: marking all read never clears a mark the caller was not told of.
    const links = await repos.notifications.unreadLinks(user.id, ids, assignmentLinkPrefix);
    const assignmentIds = links.map((l) => Number(l.slice(assignmentLinkPrefix.length))).filter((id) => Number.isSafeInteger(id) && id > 0);
    await clearInboxMarks(repos, user, [...new Set(assignmentIds)]);
  }
  await repos.notifications.markRead(user.id, ids, now.toISOString());
  return unreadCount(repos, user);
}
