/**
 * Inside a department (issue 15, point 2): its divisions (处室), each department account's part in it (liaison,
 * handler 承办人, department leader 部门领导) and its rule on the leader's approval. An administrator's acts, each
 * audited in the same unit of work; the rules are the domain's (`checkDivisionShape`, `checkDepartmentPart`). On the
 * store seam (issue 13): one code for SQLite and PostgreSQL.
 */
import { checkDepartmentPart, checkDivisionShape, readsEveryDepartment } from "@countersign/domain";
import type { CreateDivisionInput, DepartmentCode, DepartmentRole, SetDepartmentPartInput } from "@countersign/domain";
import type { AccountRecord, AnyStoreTransaction, Repositories } from "@countersign/db";
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

async function departmentOrRefuse(repos: Repositories, code: string): Promise<{ code: string; leaderApproval: boolean }> {
  const row = await repos.departmentRegister.find(code);
  if (row === undefined) throw new ServiceError("unknown_department", `There is no department ${code}.`, { field: "department" });
  return row;
}

/** Creates a division (division.created). Errors: unknown_department, invalid_input (names). */
export async function createDivision(tx: AnyStoreTransaction, input: CreateDivisionInput, actor: ActingUser | null, now: Date): Promise<DivisionView> {
  const shape = checkDivisionShape(input);
  if (!shape.ok) throw new ServiceError("invalid_input", shape.message, { field: shape.field });
  await departmentOrRefuse(tx.repos, input.department);
  const at = now.toISOString();
  const row = await tx.repos.departmentRegister.addDivision({ department: input.department, nameZh: input.nameZh, nameEn: input.nameEn, createdAt: at });
  await tx.appendAuditEvent({
    at,
    type: "division.created",
    ...auditActorOf(actor),
    department: row.department,
    payload: { divisionId: row.id, nameZh: row.nameZh, nameEn: row.nameEn },
  });
  return { id: row.id, department: row.department as DepartmentCode, nameZh: row.nameZh, nameEn: row.nameEn };
}

/**
 * Sets a department account's part and division (user.department_role_changed). The account's sessions end, so no
 * open session keeps the old reach. Errors: not_found, department_role_not_allowed, division_required,
 * division_mismatch.
 */
export async function setDepartmentPart(
  tx: AnyStoreTransaction,
  input: SetDepartmentPartInput,
  actor: ActingUser | null,
  now: Date,
): Promise<{ sessionsEnded: number }> {
  const user = await tx.repos.accounts.byId(input.id);
  if (user === undefined) throw new ServiceError("not_found", `There is no account ${input.id}.`, { field: "id" });
  const division = input.divisionId === null ? null : ((await tx.repos.departmentRegister.findDivision(input.divisionId)) ?? null);
  if (input.divisionId !== null && division === null) throw new ServiceError("not_found", `There is no division ${input.divisionId}.`, { field: "divisionId" });
  refuseUnless(
    checkDepartmentPart({
      role: user.role,
      department: user.department,
      departmentRole: input.departmentRole,
      division: division === null ? null : { id: division.id, department: division.department },
    }),
  );
  const before = { departmentRole: user.departmentRole ?? "liaison", divisionId: user.divisionId };
  if (before.departmentRole === input.departmentRole && before.divisionId === input.divisionId) return { sessionsEnded: 0 };
  await tx.repos.accounts.update(user.id, { departmentRole: input.departmentRole, divisionId: input.divisionId });
  const sessionsEnded = await tx.repos.accounts.endSessions(user.id);
  await tx.appendAuditEvent({
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
export async function setLeaderApproval(
  tx: AnyStoreTransaction,
  department: string,
  required: boolean,
  actor: ActingUser | null,
  now: Date,
): Promise<{ changed: boolean }> {
  const row = await departmentOrRefuse(tx.repos, department);
  if (row.leaderApproval === required) return { changed: false };
  await tx.repos.departmentRegister.setLeaderApproval(department, required);
  await tx.appendAuditEvent({
    at: now.toISOString(),
    type: "department.leader_approval_set",
    ...auditActorOf(actor),
    department,
    payload: { required },
  });
  return { changed: true };
}

/** A department account as its department's people list shows it. */
function departmentPersonOf(u: AccountRecord): DepartmentPerson {
  return {
    id: u.id,
    username: u.username,
    displayNameZh: u.displayNameZh,
    displayNameEn: u.displayNameEn,
    departmentRole: u.departmentRole ?? "liaison",
    divisionId: u.divisionId,
    disabled: u.disabledAt !== null,
  };
}

/**
 * A department's divisions and enabled people. Those who read every department (coordinator, observer, admin) ask for
 * any; a department's account for its own only (its liaison picks a handler from it). Errors: not_your_department,
 * unknown_department.
 */
export async function departmentPeople(repos: Repositories, user: ActingUser, asked: DepartmentCode | undefined): Promise<DepartmentPeople> {
  const department = asked ?? user.department;
  if (department === null) throw new ServiceError("invalid_input", "Name a department.", { field: "department" });
  if (!readsEveryDepartment(actorOf(user)) && department !== user.department) {
    throw new ServiceError("not_your_department", "A department's account sees its own department's people only.", { field: "department" });
  }
  const row = await departmentOrRefuse(repos, department);
  const divisions = (await repos.departmentRegister.divisionsOf(department)).map((d) => ({ ...d, department: d.department as DepartmentCode }));
  const people = (await repos.accounts.enabledMembersOf(department)).map(departmentPersonOf);
  return { department, leaderApproval: row.leaderApproval, divisions, people };
}

