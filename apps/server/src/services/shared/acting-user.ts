import { readsEveryDepartment } from "@countersign/domain";
import type { Actor, ActorRole, DepartmentCode, DepartmentRole } from "@countersign/domain";
import { ServiceError } from "../../errors.js";

/** The signed-in user on whose behalf a service acts. */
export interface ActingUser {
  id: number;
  username: string;
  displayName: string;
  role: ActorRole;
  department: DepartmentCode | null;
  /** A department account's part in it (liaison, handler, leader); null/absent = liaison (issue 15, point 2). */
  departmentRole?: DepartmentRole | null | undefined;
  /** A handler's division (处室) id, or null/absent. */
  divisionId?: number | null | undefined;
  /** The organisation (issue 16) as the session resolved it; absent where a user is built by hand (then read). */
  organisation?: string | undefined;
}

/** The domain's view of the user: a role, a department, and a department account's part in it. */
export function actorOf(user: ActingUser): Actor {
  return {
    role: user.role,
    department: user.department,
    departmentRole: user.departmentRole ?? undefined,
    division: user.divisionId ?? null,
    userId: user.id,
  };
}

/** Refuses a procedure to roles that may not call it at all (the workflow's own rules live in the domain). */
export function requireRole(user: ActingUser, allowed: readonly ActorRole[], what: string): void {
  if (!allowed.includes(user.role)) {
    throw new ServiceError("forbidden_role", `An account with the role ${user.role} may not ${what}.`);
  }
}

/** Who may read every department's work: the domain's policy (coordinator, observers and administrators). */
export function readsAllDepartments(user: ActingUser): boolean {
  return readsEveryDepartment(actorOf(user));
}

/** The actor columns of an audit event. */
export function auditActorOf(user: ActingUser | null): {
  actorUserId: number | null;
  actorUsername: string | null;
  actorRole: string | null;
  actorDepartment: string | null;
} {
  if (user === null) return { actorUserId: null, actorUsername: null, actorRole: null, actorDepartment: null };
  return { actorUserId: user.id, actorUsername: user.username, actorRole: user.role, actorDepartment: user.department };
}
