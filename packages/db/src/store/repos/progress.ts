import type { AssignmentStatus, Role } from "@countersign/domain";
import type { HandlerReach } from "./inbox.js";

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
  /** A measure's assignments (by its row id), by id: what closing it is decided on. */
  assignmentsOfMeasure(measureId: number): Promise<Array<{ id: number; department: string; role: Role; status: AssignmentStatus }>>;
  /** The `assignment.declined` events of these assignments (their payload text), oldest first. */
  declineEvents(assignmentIds: readonly number[]): Promise<Array<{ assignmentId: number | null; payload: string }>>;
  /**
   * A plan's assignments with `statuses` due before `before` (YYYY-MM-DD; "ongoing" sorts after every date, so it is
   * never before), of `department` only and within `reach` when given, with their measure's title; by due date, measure
   * number, id.
   */
  overdue(read: {
    planId: number;
    statuses: readonly AssignmentStatus[];
    before: string;
    department?: string | undefined;
    reach?: HandlerReach | null | undefined;
  }): Promise<Array<AssignmentProgressRecord & { measureTitle: string }>>;
  /** The pending extension requests of these assignments and when each was asked (UTC ISO), oldest first. */
  pendingExtensionRequests(assignmentIds: readonly number[]): Promise<Array<{ assignmentId: number; requestedAt: string }>>;
}
