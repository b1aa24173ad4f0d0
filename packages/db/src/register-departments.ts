import { departmentRegister, registerEntry } from "@countersign/domain";
import type { DepartmentSuccessor } from "@countersign/domain";
import type { AuditEventInput } from "./audit.js";
import type { AnyStoreTransaction } from "./store/ports.js";
import type { NewDepartment } from "./store/repos/department-register.js";

/*
 * The installation's departments grow from the domain's register of departments: a unit of the register becomes a
 * department of this database the first time a plan, a liaison account or an administrator names it. Its code,
 * names and successor are the register's; it is listed after the 17 of 2020, in the register's order.
 */

/** Where units of the register are listed, after the 2020 departments (orders 1–17). */
const registerOrderBase = 100;

function successorOf(code: string): DepartmentSuccessor | null {
  const successor = registerEntry(code)?.successor;
  if (!successor) return null;
  const next = registerEntry(successor.code);
  return next ? { code: next.code, nameEn: next.nameEn, nameZh: next.nameZh, since: successor.since } : null;
}

/** A unit of the register as a department row of this installation; undefined when the register lacks `code`. */
export function registerDepartmentRow(code: string): NewDepartment | undefined {
  const index = departmentRegister.findIndex((e) => e.code === code);
  const entry = departmentRegister[index];
  if (!entry) return undefined;
  return {
    code,
    nameEn: entry.nameEn,
    nameZh: entry.nameZh,
    shortEn: entry.shortEn,
    shortZh: entry.shortZh,
    signatureOrder: registerOrderBase + index,
    successor: successorOf(code),
    kind: entry.kind,
  };
}

/** The `department.added` event of a register unit joining the installation (actor: the system or an administrator). */
export function registerDepartmentAddedEvent(
  row: Pick<NewDepartment, "code" | "nameZh" | "nameEn" | "kind">,
  at: string,
  actor: { userId: number | null; username: string | null; role: string },
): AuditEventInput {
  return {
    at,
    type: "department.added",
    actorUserId: actor.userId,
    actorUsername: actor.username,
    actorRole: actor.role,
    actorDepartment: null,
    department: row.code,
    payload: { code: row.code, source: "register", nameZh: row.nameZh, nameEn: row.nameEn, kind: row.kind },
  };
}

/**
 * Adds to the departments table every code of `codes` that the register has and the table lacks, each with a
 * `department.added` event (actor: the system, or the administrator given). Returns the codes added, in the order
 * given. Codes the register does not know are left for the caller to refuse. Runs in the caller's unit of work (either
 * engine).
 */
export async function ensureRegisterDepartmentsIn(
  tx: AnyStoreTransaction,
  codes: readonly string[],
  at: string,
  actor: { userId: number | null; username: string | null; role: string } = { userId: null, username: null, role: "system" },
): Promise<string[]> {
  const wanted = [...new Set(codes)];
  if (wanted.length === 0) return [];
  const present = new Set(await tx.repos.planEditing.knownDepartments(wanted));
  const added: string[] = [];
  for (const code of wanted) {
    if (present.has(code)) continue;
    const row = registerDepartmentRow(code);
    if (row === undefined) continue;
    // Another unit of work may add the same unit meanwhile (PostgreSQL): then it records the event, not this one.
    if (!(await tx.repos.departmentRegister.addIfAbsent(row))) continue;
    await tx.appendAuditEvent(registerDepartmentAddedEvent(row, at, actor));
    added.push(code);
  }
  return added;
}
