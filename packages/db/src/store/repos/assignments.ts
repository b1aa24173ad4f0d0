import type { ActorRole, AssignmentStatus, DepartmentRole, Role } from "@countersign/domain";
import type { assignmentsTable } from "../../schema/assignments.js";

/** One assignment as stored (the same plain row on every engine: `pendingApproval` parsed, times UTC ISO text). */
export type AssignmentRecord = typeof assignmentsTable.$inferSelect;

/** Another assignment on the same measure, as the workflow reads it (the lead's sign-off, who else is engaged). */
export interface AssignmentColleague {
  id: number;
  department: string;
  role: Role;
  status: AssignmentStatus;
}

/** The columns an act may change; the store sets `version` to the expected version + 1 itself. */
export type AssignmentColumns = Partial<
  Pick<
    AssignmentRecord,
    | "status"
    | "department"
    | "dueDate"
    | "pendingExtensionUntil"
    | "pendingExtensionReason"
    | "lastRemindedAt"
    | "divisionId"
    | "handlerUserId"
    | "pendingApproval"
  >
> & { updatedAt: string };

/** An account as 分办 checks a handler (`disabled`: the account is switched off). */
export interface HandlerCandidate {
  id: number;
  role: ActorRole;
  department: string | null;
  departmentRole: DepartmentRole | null;
  division: number | null;
  disabled: boolean;
}

/**
 * `assignments` and the records an act on one writes beside it (comments, extension requests, the responsibility
 * matrix): the reads and writes of the assignment actions (apps/server services/assignment/act-on-assignment.ts).
 */
/**
 * What an act reads about its assignment before the workflow decides, in one read (issue 17, writes: one statement
 * instead of four in every write): the row; its measure's title and whether it is closed (undefined if the measure is
 * missing); its plan's status (undefined if there is no such plan); whether its department's sign-offs and extension
 * requests go through its leader first (false if the department is unknown).
 */
export interface AssignmentForAct {
  row: AssignmentRecord;
  measure: { title: string; closed: boolean } | undefined;
  planStatus: string | undefined;
  leaderApproval: boolean;
}

/** The `AssignmentForAct` of the joined row both engines read (left joins: a missing measure, plan or department reads as nulls). */
export function assignmentForAct(found: {
  row: AssignmentRecord;
  measureId: number | null;
  measureTitle: string | null;
  measureClosed: boolean | null;
  planStatus: string | null;
  leaderApproval: boolean | null;
}): AssignmentForAct {
  return {
    row: found.row,
    measure: found.measureId === null ? undefined : { title: found.measureTitle ?? "", closed: found.measureClosed === true },
    planStatus: found.planStatus ?? undefined,
    leaderApproval: found.leaderApproval === true,
  };
}

export interface AssignmentsRepo {
  /**
   * Holds every assignment of assignment `id`'s measure until the unit of work ends (waiting while another holds
   * them), so that acts on one measure take turns: a decision that reads the measure's other assignments (the lead's
   * sign-off over its supporting parts, a return that reopens the lead) never commits beside a change to one of them.
   * Call before the reads. SQLite: nothing to do (one writer at a time); PostgreSQL: the rows `FOR UPDATE`, in id order.
   */
  holdMeasureOf(id: number): Promise<void>;
  find(id: number): Promise<AssignmentRecord | undefined>;
  /** `find`, `measureOf`, `planStatus` and `needsLeaderApproval` of the assignment at once; undefined when there is no such assignment. */
  forAct(id: number): Promise<AssignmentForAct | undefined>;
  /** The measure's title and whether it is closed (撤销 of the whole measure). */
  measureOf(measureId: number): Promise<{ title: string; closed: boolean } | undefined>;
  /** Every other assignment on the measure (`exceptId` left out), in id order. */
  othersOnMeasure(measureId: number, exceptId: number): Promise<AssignmentColleague[]>;
  /** The plan's status (`draft`, `issued`, `withdrawn` …); undefined when there is no such plan. */
  planStatus(planId: number): Promise<string | undefined>;
  /** Whether the department's sign-offs and extension requests go through its leader first (false if unknown). */
  needsLeaderApproval(department: string): Promise<boolean>;
  /** 分办's division by id; undefined when there is none. */
  division(id: number): Promise<{ id: number; department: string } | undefined>;
  /** 分办's handler by account id; undefined when there is none. */
  handlerCandidate(userId: number): Promise<HandlerCandidate | undefined>;
  /**
   * The conditional update `WHERE id = ? AND version = ?` of the given columns, version moved to
   * `expectedVersion + 1`: the row as it now is, or undefined when it no longer had `expectedVersion` (a lost race).
   */
  updateIfVersion(id: number, expectedVersion: number, set: AssignmentColumns): Promise<AssignmentRecord | undefined>;
  /** Records a comment (留言); resolves to its id. */
  recordComment(row: {
    assignmentId: number;
    planId: number;
    authorUserId: number;
    authorDepartment: string | null;
    /** Whose conversation it belongs to: the department holding the assignment. */
    department: string;
    body: string;
    createdAt: string;
  }): Promise<number>;
  /** Records a pending 延期申请. */
  recordExtensionRequest(row: {
    assignmentId: number;
    planId: number;
    department: string;
    requestedByUserId: number;
    previousDueDate: string;
    until: string;
    reason: string;
    createdAt: string;
  }): Promise<void>;
  /** Settles the assignment's pending extension request (approved, refused or cancelled), if there is one. */
  settlePendingExtension(
    assignmentId: number,
    decision: { status: "approved" | "refused" | "cancelled"; decidedByUserId: number; decidedAt: string; decisionNote: string },
  ): Promise<void>;
  /**
   * Moves the measure's responsibility from one department to another (改派); a responsibility the new department
   * already had on the measure (left by an earlier, withdrawn assignment) gives way.
   */
  moveResponsibility(measureId: number, fromDepartment: string, toDepartment: string): Promise<void>;
}
