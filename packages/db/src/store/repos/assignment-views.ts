import type { RoundReportStatus } from "@countersign/domain";
import type { AuditEventRow } from "../../audit.js";
import type { HandlerReach, StoredAssignment } from "./inbox.js";

/** A measure as an assignment's page shows it. */
export interface MeasureView {
  id: number;
  number: number;
  sectionNumber: number;
  title: string;
  text: string;
  textCut: boolean;
  closed: boolean;
}

/** A comment on an assignment, with its author's user name and the department whose conversation it is in. */
export interface CommentView {
  id: number;
  body: string;
  /** UTC ISO time. */
  at: string;
  authorUserId: number;
  author: string;
  authorDepartment: string | null;
  department: string | null;
}

/** An extension request, with the department that asked. */
export interface ExtensionRequestView {
  id: number;
  until: string;
  previousDueDate: string;
  reason: string;
  status: string;
  requestedAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  department: string;
}

/** A file's record (never its bytes), with the department whose words it is. */
export interface AttachmentView {
  id: number;
  assignmentId: number;
  department: string;
  ownerKind: string;
  ownerId: number;
  name: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  supersededById: number | null;
}

/**
 * What one assignment's page reads (`assignment.get`, apps/server services/assignment/get-assignment.ts) and the
 * live stream's narrowing for a handler: reads only, named apart from the assignment actions' repository.
 */
export interface AssignmentViewsRepo {
  assignment(id: number): Promise<StoredAssignment | undefined>;
  /** The payloads (JSON text) of an assignment's `assignment.reassigned` events, oldest first. */
  reassignmentPayloads(assignmentId: number): Promise<string[]>;
  measure(id: number): Promise<MeasureView | undefined>;
  plan(id: number): Promise<{ id: number; key: string; titleEn: string; titleZh: string; status: "draft" | "issued" | "withdrawn" } | undefined>;
  /** The other assignments on a measure, by id. */
  othersOnMeasure(measureId: number, exceptId: number): Promise<StoredAssignment[]>;
  /** An assignment's newest audit events (only a department's, when given), newest first, at most `limit`. */
  history(assignmentId: number, department: string | null, limit: number): Promise<AuditEventRow[]>;
  /** An assignment's comments, oldest first. */
  comments(assignmentId: number): Promise<CommentView[]>;
  /** An assignment's extension requests, oldest first. */
  extensionRequests(assignmentId: number): Promise<ExtensionRequestView[]>;
  /** A measure's text in its other language, if added. */
  translation(measureId: number): Promise<{ language: "zh" | "en"; title: string; text: string; textCut: boolean } | undefined>;
  /** The accounts with these ids (names only). */
  people(userIds: readonly number[]): Promise<Array<{ id: number; username: string; displayNameZh: string | null; displayNameEn: string | null }>>;
  /** The short names of these departments. */
  departmentNames(codes: readonly string[]): Promise<Array<{ code: string; shortZh: string; shortEn: string }>>;
  /** An assignment's files (only a department's, when given), oldest first. */
  attachments(assignmentId: number, department: string | null): Promise<AttachmentView[]>;
  /** The status of these round reports. */
  roundReportStatuses(reportIds: readonly number[]): Promise<Array<{ id: number; status: RoundReportStatus }>>;
  /** Which of these assignments of a department reach a handler (handed to them or their division). */
  reachedBy(assignmentIds: readonly number[], department: string, handler: HandlerReach): Promise<Array<{ id: number; measureNumber: number }>>;
}
