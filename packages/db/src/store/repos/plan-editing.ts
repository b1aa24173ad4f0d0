import type { AssignmentStatus, DueDate, Justification, Language, Role } from "@countersign/domain";
import type { AssignmentRecord } from "./assignments.js";

/** One department's place in one measure's division of work (`responsibilities`), as a draft is edited. */
export interface DivisionPlace {
  department: string;
  role: Role;
  /** 0 for the lead, then the supporting departments in the order given. */
  position: number;
  /** Parsed JSON on either engine. */
  justification: Justification | null;
}

/** One responsibility of a plan as 立项交办 turns it into an assignment. */
export interface PlanResponsibility {
  measureId: number;
  measureNumber: number;
  department: string;
  role: Role;
}

/** One assignment as 立项交办 creates it (`assigned`, version 1). */
export interface NewAssignment {
  planId: number;
  measureId: number;
  measureNumber: number;
  department: string;
  role: Role;
  dueDate: DueDate;
  /** UTC ISO; also its `updatedAt`. */
  issuedAt: string;
}

/** What a change after issue sets on one assignment; the store moves `version` to the expected one + 1. */
export interface AssignmentRevision {
  status?: AssignmentStatus | undefined;
  role?: Role | undefined;
  dueDate?: DueDate | undefined;
  /** Withdrawn work drops its pending extension (both columns null). */
  clearPendingExtension?: boolean | undefined;
  updatedAt: string;
}

/** One measure's text in the plan's other language, as plan.addTranslation stores it. */
export interface NewMeasureTranslation {
  measureId: number;
  title: string;
  text: string;
  textCut: boolean;
}

/**
 * A plan's editing: its division of work while a draft, its issue (立项交办), its changes after issue and its text in
 * the other language (apps/server services/plan: plan.setResponsibilities, issue, changeDeadline, addSupporting,
 * removeSupporting, changeLead, withdraw, addTranslation). Orders are part of each verb's contract, the same on both
 * engines.
 */
export interface PlanEditingRepo {
  /** Which of these department codes exist (any organisation), each once, in any order. */
  knownDepartments(codes: readonly string[]): Promise<string[]>;
  /** One measure's division, by position (the lead first). */
  measureDivision(measureId: number): Promise<DivisionPlace[]>;
  /** Replaces one measure's division by `places` (the measure's rows deleted, then these inserted). */
  replaceMeasureDivision(planId: number, measureId: number, measureNumber: number, places: readonly DivisionPlace[]): Promise<void>;
  /** A plan's responsibilities, by measure number, then position (the lead first). */
  planResponsibilities(planId: number): Promise<PlanResponsibility[]>;
  /**
   * Marks a draft plan issued (the conditional update `WHERE status = 'draft'`): true when it was still a draft, false
   * when another issue won the race (nothing written).
   */
  markIssued(planId: number, set: { assignedAt: string; assignedByUserId: number; defaultDueDate: DueDate }): Promise<boolean>;
  /** Inserts one assignment (`assigned`, version 1); resolves to its id. */
  insertAssignment(row: NewAssignment): Promise<number>;
  /** A measure's assignments, by id. */
  measureAssignments(measureId: number): Promise<AssignmentRecord[]>;
  /** A plan's assignments, by id. */
  planAssignments(planId: number): Promise<AssignmentRecord[]>;
  /**
   * The conditional update `WHERE id = ? AND version = ?` of a change after issue: true when applied, false when the
   * assignment no longer had `expectedVersion` (another change won the race; nothing written).
   */
  reviseAssignment(id: number, expectedVersion: number, set: AssignmentRevision): Promise<boolean>;
  /** A department no longer responsible for a measure (its row of the division deleted). */
  removeFromDivision(measureId: number, department: string): Promise<void>;
  /** A department's role on a measure changed (position 0 when it becomes the lead). */
  setRoleInDivision(measureId: number, department: string, role: Role): Promise<void>;
  /**
   * A department engaged on an issued measure: an earlier row of it on the measure (left by withdrawn work) gives way,
   * then it is added at position 0 as the lead, else after the last (no justification).
   */
  engageInDivision(planId: number, measureId: number, measureNumber: number, department: string, role: Role): Promise<void>;
  /** The plan's status set to `withdrawn`. */
  markWithdrawn(planId: number): Promise<void>;
  /** Replaces these measures' texts in `language` by `rows` (added at `at` by `userId`). */
  replaceTranslations(language: Language, rows: readonly NewMeasureTranslation[], at: string, userId: number): Promise<void>;
}
