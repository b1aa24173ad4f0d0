import type { DepartmentSuccessor, DivisionKind, LocalDepartment, OrganisationLevel } from "@countersign/domain";

/** A department of the installation as the administration reads it (`departments`). */
export interface DepartmentRecord {
  code: string;
  nameZh: string;
  nameEn: string;
  shortZh: string;
  shortEn: string;
  /** The register's kind (ministry, local …); "custom" for one added by hand. */
  kind: string;
  /** YYYY-MM-DD from which it is retired; null while in use. */
  retiredOn: string | null;
  /** Its sign-offs and extension requests wait for its leader's approval (issue 15). */
  leaderApproval: boolean;
  /** The organisation whose leading group it belongs to ("CN" for the central departments). */
  organisationId: string;
}

/** A department to add: a register unit's row, a local department's, or one added by hand. */
export interface NewDepartment {
  code: string;
  nameZh: string;
  nameEn: string;
  shortZh: string;
  shortEn: string;
  /** Listing order (the 2020 departments 1–17, register units from 100, local ones from 10,000, custom 1,000). */
  signatureOrder: number;
  successor: DepartmentSuccessor | null;
  kind: string;
  /** Default "CN". */
  organisationId?: string;
  /** A local department's central line ("MOF"); null or absent for the others. */
  line?: string | null;
}

/** A division (处室) of a department. */
export interface DivisionRecord {
  id: number;
  department: string;
  nameZh: string | null;
  nameEn: string | null;
}

/** An organisation as the local register reads it: enough to derive its default member departments. */
export interface OrganisationRecord {
  id: string;
  level: OrganisationLevel;
  /** null only for the national level. */
  kind: DivisionKind | null;
  nameZh: string;
  nameEn: string;
  /** The code of the member department hosting its leading-group office. */
  officeHost: string;
}

/**
 * The department register (issue 11) and the inside of a department (issue 15, point 2): departments added, renamed,
 * retired, never deleted; divisions; the leader's approval rule. Audit events are the caller's (`tx.appendAuditEvent`).
 */
export interface DepartmentRegisterRepo {
  /** The department with `code`; undefined when there is none. */
  find(code: string): Promise<DepartmentRecord | undefined>;
  /** Every department (or `organisation`'s only), by listing order then code. */
  list(organisation?: string): Promise<DepartmentRecord[]>;
  /** The short names of these codes (unknown codes left out), for a person's label. */
  shortNames(codes: readonly string[]): Promise<Array<{ code: string; shortZh: string; shortEn: string }>>;
  /** Adds a department. Errors: the engine's unique violation if the code exists. */
  add(row: NewDepartment): Promise<void>;
  /**
   * Adds a department unless one with its code exists (then nothing: `INSERT … ON CONFLICT DO NOTHING`, which on
   * PostgreSQL waits for a concurrent unit of work adding the same code and then yields to it). Resolves true when
   * this call added it, so that exactly one writer records its `department.added` event.
   */
  addIfAbsent(row: NewDepartment): Promise<boolean>;
  /** Sets any of the four names and `editedAt` (UTC ISO: start-up no longer overwrites them). */
  rename(code: string, names: Partial<Record<"nameZh" | "nameEn" | "shortZh" | "shortEn", string>>, editedAt: string): Promise<void>;
  /** Retires the department from `on` (YYYY-MM-DD). */
  retire(code: string, on: string): Promise<void>;
  setLeaderApproval(code: string, required: boolean): Promise<void>;
  /** The department's divisions, oldest first. */
  divisionsOf(department: string): Promise<DivisionRecord[]>;
  findDivision(id: number): Promise<DivisionRecord | undefined>;
  /** Adds a division; `createdAt` UTC ISO. Returns it with its new id. */
  addDivision(row: { department: string; nameZh: string | null; nameEn: string | null; createdAt: string }): Promise<DivisionRecord>;
  /** Whether the department has an enabled handler placed in one of its divisions (分办 is offered only then). */
  hasHandlers(department: string): Promise<boolean>;
  /** An organisation of the tree (issue 16); undefined when unknown. */
  organisation(id: string): Promise<OrganisationRecord | undefined>;
  /** The member departments an organisation has registered, in listing order ([] when none yet). */
  localDepartmentsOf(organisation: string): Promise<LocalDepartment[]>;
}
