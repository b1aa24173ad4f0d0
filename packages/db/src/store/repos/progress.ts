import type { AssignmentStatus, Role } from "@countersign/domain";

/** An assignment as the progress screens read it (`assignments`, the columns they show). */
export interface AssignmentProgressRecord {
  id: number;
  measureNumber: number;
  department: string;
  role: Role;
  status: AssignmentStatus;
  /** "ongoing" or YYYY-MM-DD. */
  dueDate: string;
  pendingExtensionUntil: string | null;
  pendingExtensionReason: string | null;
  divisionId: number | null;
  handlerUserId: number | null;
  version: number;
  /** UTC ISO, or null. */
  lastRemindedAt: string | null;
}

/**
 * A plan's progress as the read-only screens show it (matrix.get, tracking.overview): its assignments and the notes
 * lists show beside them. Orders are part of each verb's contract, the same on both engines.
 */
export interface ProgressRepo {
  /** A plan's assignments, by measure number then id. */
  assignmentsOfPlan(planId: number): Promise<AssignmentProgressRecord[]>;
  /** The `assignment.declined` events of these assignments (their payload text), oldest first. */
  declineEvents(assignmentIds: readonly number[]): Promise<Array<{ assignmentId: number | null; payload: string }>>;
  /** The pending extension requests of these assignments and when each was asked (UTC ISO), oldest first. */
  pendingExtensionRequests(assignmentIds: readonly number[]): Promise<Array<{ assignmentId: number; requestedAt: string }>>;
}
