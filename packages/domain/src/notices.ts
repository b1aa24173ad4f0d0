/**
 * Who is told of an assignment event in the notification centre and the office's outbound channels (issue 14,
 * point 3): the work addressed to a department (a new assignment, a reminder 催办, a return 退回重办, a decision on
 * its extension request, a withdrawal 撤销, a reassignment 改派, a reaffirmation 维持交办, a changed deadline or
 * role, a comment from outside, the lead's sign-off reopened). The department's own acts tell no one: they are in
 * the history.
 */
import type { AssignmentEventType, DepartmentCode } from "./types.js";

export interface NoticeRecipient {
  department: DepartmentCode;
  /**
   * Whether the notice may quote the act's words (reason, note, message). Only the department whose conversation the
   * event is in may read them (policy.ts `conversationDepartmentOf`): the department that loses work by a
   * reassignment is told that it did, not why.
   */
  withWords: boolean;
}

/**
 * The departments told of one assignment event. It is the one rule of what is addressed to a department: the
 * notification centre's notices and the navigation's single unread count follow it, and the inbox's unread marks
 * (the `assignment_notices` trigger of migration 0008) cover the same events from outside the department, so that
 * reading one reads the other (apps/server `services/notifications/read-state.ts`).
 *
 * @param heldBy the department holding the assignment before the event
 * @param heldAfter the department holding it after (differs only for `assignment.reassigned`)
 * @param actorDepartment the acting account's department, or null for the lead ministry's coordinator: a comment,
 *   or a supporting department's return reopening the lead's sign-off, is addressed to the department only when it
 *   comes from outside it (absent: from outside)
 */
export function assignmentEventAudience(
  type: AssignmentEventType,
  heldBy: DepartmentCode,
  heldAfter: DepartmentCode,
  actorDepartment: DepartmentCode | null = null,
): NoticeRecipient[] {
  switch (type) {
    case "assignment.issued":
    case "assignment.reminded":
    case "assignment.returned":
    case "assignment.extension_approved":
    case "assignment.extension_refused":
    case "assignment.withdrawn":
    // The lead ministry's changes to the department's work: it keeps a declined assignment, moves its deadline, makes
    // it lead or supporting.
    case "assignment.reaffirmed":
    case "assignment.deadline_changed":
    case "assignment.role_changed":
      return [{ department: heldBy, withWords: true }];
    case "assignment.commented":
      return actorDepartment === heldBy ? [] : [{ department: heldBy, withWords: true }];
    // The lead's sign-off reopened by a supporting department's return: the reason is that department's conversation.
    case "assignment.lead_reopened":
      return actorDepartment === heldBy ? [] : [{ department: heldBy, withWords: false }];
    case "assignment.reassigned":
      return heldAfter === heldBy
        ? [{ department: heldAfter, withWords: true }]
        : [
            { department: heldAfter, withWords: true },
            { department: heldBy, withWords: false },
          ];
    case "assignment.accepted":
    case "assignment.declined":
    case "assignment.progress_reported":
    case "assignment.signed_off":
    case "assignment.extension_requested":
    // Inside a department (分办, a draft for the leader, the leader's rejection): the department's own acts.
    case "assignment.handler_assigned":
    case "assignment.approval_requested":
    case "assignment.approval_rejected":
      return [];
  }
}
