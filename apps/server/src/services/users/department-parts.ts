/**
 * Inside a department (issue 15, point 2): its divisions (处室), each department account's part in it (liaison,
 * handler 承办人, department leader 部门领导) and its rule on the leader's approval. An administrator's acts, each
 * audited in the same transaction; the rules are the domain's (`checkDivisionShape`, `checkAccountShape`).
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import { checkDepartmentPart, checkDivisionShape, readsEveryDepartment } from "@countersign/domain";
import type { CreateDivisionInput, DepartmentCode, DepartmentRole, SetDepartmentPartInput } from "@countersign/domain";
import { appendAuditEvent } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { departmentsTable, divisionsTable, sessionsTable, usersTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { actorOf, auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { refuseUnless } from "./account-policy.js";

export interface DivisionView {
  id: number;
  department: DepartmentCode;
  nameZh: string | null;
  nameEn: string | null;
}

export interface DepartmentPerson {
  id: number;
  username: string;
  displayNameZh: string | null;
  displayNameEn: string | null;
  departmentRole: DepartmentRole;
  divisionId: number | null;
  disabled: boolean;
}

/** A department's divisions and people, as the liaison's 分办 dialog and the administration page show them. */
export interface DepartmentPeople {
  department: DepartmentCode;
  leaderApproval: boolean;
  divisions: DivisionView[];
  people: DepartmentPerson[];
}

function departmentOrRefuse(tx: Queryable, code: string): { code: string; leaderApproval: boolean } {
  const row = tx.select({ code: departmentsTable.code, leaderApproval: departmentsTable.leaderApproval }).from(departmentsTable).where(eq(departmentsTable.code, code)).get();
  if (row === undefined) throw new ServiceError("unknown_department", `There is no department ${code}.`, { field: "department" });
  return row;
}

/** Creates a division (division.created). Errors: unknown_department, invalid_input (names). */
export function createDivision(tx: Queryable, input: CreateDivisionInput, actor: ActingUser | null, now: Date): DivisionView {
  const shape = checkDivisionShape(input);
  if (!shape.ok) throw new ServiceError("invalid_input", shape.message, { field: shape.field });
  departmentOrRefuse(tx, input.department);
  const at = now.toISOString();
  const row = tx.insert(divisionsTable).values({ department: input.department, nameZh: input.nameZh, nameEn: input.nameEn, createdAt: at }).returning().get();
  appendAuditEvent(tx, {
    at,
    type: "division.created",
    ...auditActorOf(actor),
    department: row.department,
    payload: { divisionId: row.id, nameZh: row.nameZh, nameEn: row.nameEn },
  });
  return { id: row.id, department: row.department, nameZh: row.nameZh, nameEn: row.nameEn };
}

/**
 * Sets a department account's part and division (user.department_role_changed). The account's sessions end, so no
 * open session keeps the old reach. Errors: not_found, department_role_not_allowed, division_required,
 * division_mismatch.
 */
export function setDepartmentPart(tx: Queryable, input: SetDepartmentPartInput, actor: ActingUser | null, now: Date): { sessionsEnded: number } {
  const user = tx.select().from(usersTable).where(eq(usersTable.id, input.id)).get();
  if (user === undefined) throw new ServiceError("not_found", `There is no account ${input.id}.`, { field: "id" });
  const division =
    input.divisionId === null
      ? null
      : (tx.select({ id: divisionsTable.id, department: divisionsTable.department }).from(divisionsTable).where(eq(divisionsTable.id, input.divisionId)).get() ?? null);
  if (input.divisionId !== null && division === null) throw new ServiceError("not_found", `There is no division ${input.divisionId}.`, { field: "divisionId" });
  refuseUnless(checkDepartmentPart({ role: user.role, department: user.department, departmentRole: input.departmentRole, division }));
  const before = { departmentRole: user.departmentRole ?? "liaison", divisionId: user.divisionId };
  if (before.departmentRole === input.departmentRole && before.divisionId === input.divisionId) return { sessionsEnded: 0 };
  tx.update(usersTable).set({ departmentRole: input.departmentRole, divisionId: input.divisionId }).where(eq(usersTable.id, user.id)).run();
  const sessionsEnded = tx.delete(sessionsTable).where(eq(sessionsTable.userId, user.id)).run().changes;
  appendAuditEvent(tx, {
    at: now.toISOString(),
    type: "user.department_role_changed",
    ...auditActorOf(actor),
    department: user.department,
    payload: {
      username: user.username,
      userId: user.id,
      departmentRoleBefore: before.departmentRole,
      departmentRoleAfter: input.departmentRole,
      divisionIdBefore: before.divisionId,
      divisionIdAfter: input.divisionId,
      sessionsEnded,
    },
  });
  return { sessionsEnded };
}

/** Sets the department's rule on its leader's approval (department.leader_approval_set). Errors: unknown_department. */
export function setLeaderApproval(tx: Queryable, department: string, required: boolean, actor: ActingUser | null, now: Date): { changed: boolean } {
  const row = departmentOrRefuse(tx, department);
  if (row.leaderApproval === required) return { changed: false };
  tx.update(departmentsTable).set({ leaderApproval: required }).where(eq(departmentsTable.code, department)).run();
  appendAuditEvent(tx, {
    at: now.toISOString(),
    type: "department.leader_approval_set",
    ...auditActorOf(actor),
    department,
    payload: { required },
  });
  return { changed: true };
}

/**
 * A department's divisions and enabled people. Those who read every department (coordinator, observer, admin) ask for
 * any; a department's account for its own only (its liaison picks a handler from it). Errors: not_your_department,
 * unknown_department.
 */
export function departmentPeople(db: Queryable, user: ActingUser, asked: DepartmentCode | undefined): DepartmentPeople {
  const department = asked ?? user.department;
  if (department === null) throw new ServiceError("invalid_input", "Name a department.", { field: "department" });
  if (!readsEveryDepartment(actorOf(user)) && department !== user.department) {
    throw new ServiceError("not_your_department", "A department's account sees its own department's people only.", { field: "department" });
  }
  const row = departmentOrRefuse(db, department);
  const divisions = db
    .select({ id: divisionsTable.id, department: divisionsTable.department, nameZh: divisionsTable.nameZh, nameEn: divisionsTable.nameEn })
    .from(divisionsTable)
    .where(eq(divisionsTable.department, department))
    .orderBy(asc(divisionsTable.id))
    .all();
  const people = db
    .select()
    .from(usersTable)
    .where(and(eq(usersTable.department, department), eq(usersTable.role, "liaison"), isNull(usersTable.disabledAt)))
    .orderBy(asc(usersTable.username))
    .all()
    .map((u) => ({
      id: u.id,
      username: u.username,
      displayNameZh: u.displayNameZh,
      displayNameEn: u.displayNameEn,
      departmentRole: u.departmentRole ?? "liaison",
      divisionId: u.divisionId,
      disabled: u.disabledAt !== null,
    }));
  return { department, leaderApproval: row.leaderApproval, divisions, people };
}

/**
 * Whether a department has someone to hand work to (分办): an enabled handler account placed in one of its
 * divisions. The domain reads it as `MeasureContext.handlersAvailable` (分办 is offered only then).
 */
export function hasHandlers(db: Queryable, department: DepartmentCode): boolean {
  const u = usersTable;
  const row = db
    .select({ id: u.id })
    .from(u)
    .innerJoin(divisionsTable, and(eq(divisionsTable.id, u.divisionId), eq(divisionsTable.department, department)))
    .where(and(eq(u.department, department), eq(u.departmentRole, "handler"), isNull(u.disabledAt)))
    .limit(1)
    .get();
  return row !== undefined;
}
