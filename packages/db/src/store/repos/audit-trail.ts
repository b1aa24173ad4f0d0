import type { AuditEventRow } from "../../audit.js";
// A handler's (承办人) reach, as the inbox's repository takes it: one shape for every repository.
import type { HandlerReach } from "./inbox.js";

/** Which events a page of the trail holds (every condition given applies). */
export interface AuditTrailFilter {
  planId?: number | undefined;
  assignmentId?: number | undefined;
  /**
   * The caller's organisation (issue 16): its plans' events; for the national level ("CN", `national: true`) also the
   * events of no plan, written as "not another organisation's plan" so that the newest-first walk stops after a page.
   */
  organisation: { id: string; national: boolean };
  /** Only the events of this department (a department member's trail). */
  department?: string | undefined;
  /** Only the events of the assignments a handler reaches. */
  reach?: HandlerReach | null | undefined;
  /** Only events with an id below this (the previous page's cursor). */
  before?: number | undefined;
  limit: number;
}

/** Which of a measure's events a caller reads. */
export interface MeasureTrailFilter {
  planId: number;
  measureNumber: number;
  /**
   * Absent: every event of the measure. Given: the measure's own events (no assignment) and this department's
   * (within `reach` for a handler).
   */
  department?: { code: string; reach: HandlerReach | null } | undefined;
}

/** A person behind an account id, as histories name them (current names). */
export interface PersonRecord {
  id: number;
  username: string;
  displayName: string;
  displayNameZh: string | null;
  displayNameEn: string | null;
  department: string | null;
}

/**
 * The audit trail as the trail view and the histories read it (audit.list, measure.history), and the people it
 * names (their departments' short names: `departmentRegister.shortNames`). The chain itself is appended only through `tx.appendAuditEvent`.
 */
export interface AuditTrailRepo {
  /** A page of events, newest first (by id, which follows seq). */
  page(filter: AuditTrailFilter): Promise<AuditEventRow[]>;
  /** A measure's events (see MeasureTrailFilter), oldest first. */
  measureEvents(filter: MeasureTrailFilter): Promise<AuditEventRow[]>;
  /** Whether `department` holds an assignment on the measure (`measureId`), within `reach` for a handler. */
  holdsAssignmentOn(measureId: number, department: string, reach: HandlerReach | null): Promise<boolean>;
  /** An assignment's holder and where the department handed it; undefined for no such assignment. */
  assignmentHolder(assignmentId: number): Promise<{ department: string; divisionId: number | null; handlerUserId: number | null } | undefined>;
  /** The payloads of an assignment's `assignment.reassigned` events (text), oldest first. */
  reassignmentPayloads(assignmentId: number): Promise<string[]>;
  /** The accounts with these ids (any order). */
  people(userIds: readonly number[]): Promise<PersonRecord[]>;
}
