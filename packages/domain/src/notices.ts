/**
 * Who is told of an assignment event in the notification centre and the office's outbound channels (issue 14,
 * point 3): the work addressed to a department (a new assignment, a reminder 催办, a return 退回重办, a decision on
 * its extension request, a withdrawal 撤销, a reassignment 改派). The department's own acts and the lead
 * ministry's bookkeeping tell no one: they are in the history.
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
 * The departments told of one assignment event.
 *
 * @param heldBy the department holding the assignment before the event
 * @param heldAfter the department holding it after (differs only for `assignment.reassigned`)
 */
export function assignmentEventAudience(type: AssignmentEventType, heldBy: DepartmentCode, heldAfter: DepartmentCode): NoticeRecipient[] {
  switch (type) {
    case "assignment.issued":
    case "assignment.reminded":
    case "assignment.returned":
    case "assignment.extension_approved":
    case "assignment.extension_refused":
    case "assignment.withdrawn":
      return [{ department: heldBy, withWords: true }];
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
    case "assignment.commented":
    case "assignment.reaffirmed":
    case "assignment.lead_reopened":
    case "assignment.deadline_changed":
    case "assignment.role_changed":
    // Inside a department (分办, a draft for the leader, the leader's rejection): the department's own acts.
    case "assignment.handler_assigned":
    case "assignment.approval_requested":
    case "assignment.approval_rejected":
      return [];
  }
}
