import type { DueDate, Justification, Role } from "@countersign/domain";

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

/**
 * A draft plan's division of work and its issue (立项交办): the reads and writes of plan.setResponsibilities and
 * plan.issue (apps/server services/plan). Orders are part of each verb's contract, the same on both engines.
 */
export interface PlanDivisionRepo {
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
}
