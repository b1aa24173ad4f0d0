import type { Justification, PlanDocument, Role } from "@countersign/domain";

/** One responsibility of a new plan: proposed ones carry their justification, one set by hand has none. */
export interface NewPlanResponsibility {
  measureNumber: number;
  department: string;
  role: Role;
  justification?: Justification | null | undefined;
}

/** A plan to write as a draft: the document, its division of work, its organisation (issue 16) and time. */
export interface NewDraftPlan {
  document: PlanDocument;
  responsibilities: readonly NewPlanResponsibility[];
  /** The organisation the plan belongs to ("CN" for the national office's). */
  organisationId: string;
  /** UTC ISO. */
  createdAt: string;
}

/** The rows of a new plan below `plans`, as both engines write them (see `draftPlanRows`). */
export interface DraftPlanRows {
  /** The member departments, by position (their order in the document). */
  members: Array<{ department: string; position: number }>;
  sections: Array<{ number: number; numeral: string; title: string }>;
  measures: Array<{
    number: number;
    sectionNumber: number;
    title: string;
    text: string;
    textCut: boolean;
    statedDueDate: string | null;
    statedDeadline: string | null;
  }>;
  /** Per measure, lead first, then the supporting departments in the order given; `measureNumber` maps to the new measure's id. */
  responsibilities: Array<{ measureNumber: number; department: string; role: Role; position: number; justification: Justification | null }>;
}

/**
 * Writing a new plan (plan.create, the loading of a plan document): the plan in `draft` with its member departments,
 * sections, measures and division of work, in the caller's unit of work. No audit event and no check of the key or
 * of the rules of a plan: the caller does both.
 */
export interface PlanCreationRepo {
  /**
   * Inserts the plan and its rows (`draftPlanRows`); resolves to the new plan's id. Errors: the engine's unique
   * violation when the key exists; `Error` when a responsibility names a measure the document lacks.
   */
  insertDraftPlan(plan: NewDraftPlan): Promise<number>;
}
