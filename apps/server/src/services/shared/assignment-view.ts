import { daysLate, latenessOf } from "@countersign/domain";
import type { AssignmentState, AssignmentStatus, DepartmentCode, Lateness, PendingApproval, Role } from "@countersign/domain";
import type { InboxAssignment } from "@countersign/db";
import type { assignmentsTable } from "@countersign/db/schema";

type AssignmentRow = typeof assignmentsTable.$inferSelect;

/** One assignment as every procedure returns it (inbox rows, actions, assignment.get). */
export interface AssignmentSummary {
  id: number;
  /** Send it back as `expectedVersion` with the next action. */
  version: number;
  planId: number;
  measureNumber: number;
  measureTitle: string;
  department: DepartmentCode;
  role: Role;
  status: AssignmentStatus;
  /** "ongoing" or YYYY-MM-DD. */
  dueDate: string;
  lateness: Lateness;
  daysLate: number;
  pendingExtension: { until: string; reason: string } | null;
  /** 分办: the division (处室) and handler (承办人, account id) the department handed it to, or null. */
  divisionId: number | null;
  handlerUserId: number | null;
  /** A sign-off or extension request drafted in the department, waiting for its leader's approval, or null. */
  pendingApproval: PendingApproval | null;
  issuedAt: string;
  updatedAt: string;
  lastRemindedAt: string | null;
}


/** A summary without the assignment's times: what an inbox row shows of it. */
export type ShownSummary = Omit<AssignmentSummary, "issuedAt" | "updatedAt" | "lastRemindedAt">;

export function summarizeAssignment(row: AssignmentRow, measureTitle: string, now: Date): AssignmentSummary {
  // Extended in place rather than spread into a new object (see listInbox: spread copies were most of a page's garbage).
  return Object.assign(shownSummaryOf(row, measureTitle, now), { issuedAt: row.issuedAt, updatedAt: row.updatedAt, lastRemindedAt: row.lastRemindedAt });
}

/**
 * The summary of an assignment without its times (lateness and days late at `now`, in the plan's calendar): the
 * inbox's rows, which read no times (issue 17), and the first part of `summarizeAssignment`.
 */
export function shownSummaryOf(row: InboxAssignment, measureTitle: string, now: Date): ShownSummary {
  return {
    id: row.id,
    version: row.version,
    planId: row.planId,
    measureNumber: row.measureNumber,
    measureTitle,
    department: row.department,
    role: row.role,
    status: row.status,
    dueDate: row.dueDate,
    lateness: latenessOf(row.dueDate, row.status, now),
    daysLate: daysLate(row.dueDate, now),
    pendingExtension: pendingExtensionOf(row),
    divisionId: row.divisionId,
    handlerUserId: row.handlerUserId,
    pendingApproval: row.pendingApproval ?? null,
  };
}

export function pendingExtensionOf(row: Pick<AssignmentRow, "pendingExtensionUntil" | "pendingExtensionReason">): { until: string; reason: string } | null {
  return row.pendingExtensionUntil === null
    ? null
    : { until: row.pendingExtensionUntil, reason: row.pendingExtensionReason ?? "" };
}

/** The workflow's view of a stored assignment. */
export function assignmentStateOf(row: AssignmentRow): AssignmentState {
  return {
    status: row.status,
    department: row.department,
    role: row.role,
    dueDate: row.dueDate,
    pendingExtension: pendingExtensionOf(row),
    division: row.divisionId,
    handler: row.handlerUserId,
    pendingApproval: row.pendingApproval ?? null,
  };
}
