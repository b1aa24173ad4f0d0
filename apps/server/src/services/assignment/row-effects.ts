import type { AssignmentRecord, AssignmentsRepo } from "@countersign/db";
import type { AssignmentEffect } from "@countersign/domain";
import type { ActingUser } from "../shared/acting-user.js";

/**
 * The record one effect of the transition writes beside the assignment row (the domain's `AssignmentEffect`;
 * `reminded` is a column of the row and `leadReopened` another assignment, both applied by the act itself).
 */
export type RowEffectWrite =
  | { kind: "comment"; row: Parameters<AssignmentsRepo["recordComment"]>[0] }
  | { kind: "extensionRequest"; row: Parameters<AssignmentsRepo["recordExtensionRequest"]>[0] }
  | { kind: "extensionSettled"; assignmentId: number; decision: Parameters<AssignmentsRepo["settlePendingExtension"]>[1] }
  | { kind: "responsibilityMoved"; measureId: number; fromDepartment: string; toDepartment: string };

/**
 * What one effect writes (the one rule, shared by the act on the store seam and the comment with files):
 * a comment in the conversation of the department holding the assignment now (policy.ts); 延期申请 as the lead
 * ministry receives it, by the account that asked (the handler who drafted it, where approved); the pending request
 * settled by the acting account; the division of work following a reassignment, so that the matrix shows who is
 * responsible now. Null for the effects applied elsewhere.
 */
export function rowEffectWrite(user: ActingUser, row: AssignmentRecord, effect: AssignmentEffect, at: string): RowEffectWrite | null {
  switch (effect.kind) {
    case "commentRecorded":
      return {
        kind: "comment",
        row: { assignmentId: row.id, planId: row.planId, authorUserId: user.id, authorDepartment: user.department, department: row.department, body: effect.body, createdAt: at },
      };
    case "extensionRequested":
      return {
        kind: "extensionRequest",
        row: {
          assignmentId: row.id,
          planId: row.planId,
          department: row.department,
          requestedByUserId: effect.requestedBy ?? user.id,
          previousDueDate: row.dueDate,
          until: effect.until,
          reason: effect.reason,
          createdAt: at,
        },
      };
    case "extensionSettled":
      return { kind: "extensionSettled", assignmentId: row.id, decision: { status: effect.status, decidedByUserId: user.id, decidedAt: at, decisionNote: effect.note } };
    case "responsibilityMoved":
      return { kind: "responsibilityMoved", measureId: row.measureId, fromDepartment: row.department, toDepartment: effect.toDepartment };
    case "reminded":
    case "leadReopened":
      return null;
  }
}

/** Writes one effect's record through the store seam's repositories; resolves to the new comment's id, else null. */
export async function writeRowEffect(repos: { assignments: AssignmentsRepo }, write: RowEffectWrite): Promise<number | null> {
  switch (write.kind) {
    case "comment":
      return repos.assignments.recordComment(write.row);
    case "extensionRequest":
      await repos.assignments.recordExtensionRequest(write.row);
      return null;
    case "extensionSettled":
      await repos.assignments.settlePendingExtension(write.assignmentId, write.decision);
      return null;
    case "responsibilityMoved":
      await repos.assignments.moveResponsibility(write.measureId, write.fromDepartment, write.toDepartment);
      return null;
  }
}
