import { and, count, eq, isNull, ne } from "drizzle-orm";
import { checkAccountShape, mayChangeStanding, registerEntry } from "@countersign/domain";
import type { ActorRole, CreateAccountInput, DepartmentCode, UpdateAccountInput } from "@countersign/domain";
import { appendAuditEvent, ensureRegisterDepartments } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { departmentsTable, sessionsTable, usersTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { ensureLocalDepartment } from "../cascade/register-local.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { refuseUnless } from "./account-policy.js";
import { userRowById } from "./account-view.js";

/** The names, role, department and sign-in identity of an account. */
type AccountFields = Omit<CreateAccountInput, "username">;

function checkFields(tx: Queryable, fields: AccountFields, selfId: number | null, by: ActingUser | null, now: Date): void {
  refuseUnless(checkAccountShape(fields));
  if (fields.department !== null) {
    const known = tx
      .select({ code: departmentsTable.code, retiredOn: departmentsTable.retiredOn })
      .from(departmentsTable)
      .where(eq(departmentsTable.code, fields.department))
      .get();
    const actor = { userId: by?.id ?? null, username: by?.username ?? null, role: by?.role ?? "system" };
    if (known === undefined) {
      // A unit of the register of departments that the installation does not have yet joins it with its first account;
      // so does a local government's register (issue 16) with the first account of one of its departments.
      if (!ensureLocalDepartment(tx, fields.department, now.toISOString(), actor)) {
        if (registerEntry(fields.department) === undefined) {
          throw new ServiceError("unknown_department", `There is no department ${fields.department}.`, { field: "department" });
        }
        ensureRegisterDepartments(tx, [fields.department], now.toISOString(), actor);
      }
    } else if (known.retiredOn) {
      throw new ServiceError("invalid_input", `${fields.department} was retired on ${known.retiredOn}.`, { field: "department" });
    }
  }
  if (fields.ssoIdentity !== null) {
    const other = tx
      .select({ username: usersTable.username })
      .from(usersTable)
      .where(and(eq(usersTable.ssoIdentity, fields.ssoIdentity), selfId === null ? undefined : ne(usersTable.id, selfId)))
      .get();
    if (other !== undefined) {
      throw new ServiceError("invalid_input", `The sign-in identity ${fields.ssoIdentity} already belongs to ${other.username}.`, { field: "ssoIdentity" });
    }
  }
}

/** The legacy one-language column: the Chinese name, else the English one. */
const legacyDisplayName = (f: AccountFields, username: string): string => f.displayNameZh ?? f.displayNameEn ?? username;

/**
 * Creates an account (user.created). `passwordHash` is the hash of the owner's chosen password (command line, demo)
 * or of a random secret nobody knows (the administration page: the owner sets one with a reset code).
 * Errors: invalid_input (username taken, identity taken), unknown_department, department_required, display_name_*.
 */
export function createAccount(
  tx: Queryable,
  input: CreateAccountInput,
  passwordHash: string,
  createdBy: ActingUser | null,
  now: Date,
): ActingUser {
  checkFields(tx, input, null, createdBy, now);
  const taken = tx.select({ id: usersTable.id }).from(usersTable).where(eq(usersTable.username, input.username)).get();
  if (taken !== undefined) throw new ServiceError("invalid_input", `The username ${input.username} is taken.`, { field: "username" });
  const at = now.toISOString();
  const row = tx
    .insert(usersTable)
    .values({
      username: input.username,
      displayName: legacyDisplayName(input, input.username),
      displayNameZh: input.displayNameZh,
      displayNameEn: input.displayNameEn,
      role: input.role,
      department: input.department,
      ssoIdentity: input.ssoIdentity,
      passwordHash,
      createdAt: at,
    })
    .returning()
    .get();
  appendAuditEvent(tx, {
    at,
    type: "user.created",
    ...auditActorOf(createdBy),
    department: row.department,
    payload: { username: row.username, role: row.role, department: row.department, userId: row.id },
  });
  return { id: row.id, username: row.username, displayName: row.displayName, role: row.role, department: row.department as DepartmentCode | null };
}

function enabledAdmins(tx: Queryable): number {
  return tx.select({ n: count() }).from(usersTable).where(and(eq(usersTable.role, "admin"), isNull(usersTable.disabledAt))).get()?.n ?? 0;
}

/**
 * Changes an account's names, role, department and sign-in identity (user.updated, with what changed). Changing the
 * role or department ends the account's sessions, so no open session keeps the old rights.
 * Errors: not_found, own_account, last_admin, and those of `createAccount`.
 */
export function updateAccount(tx: Queryable, input: UpdateAccountInput, actor: ActingUser | null, now: Date): { sessionsEnded: number } {
  const user = userRowById(tx, input.id);
  if (user === undefined) throw new ServiceError("not_found", `There is no account ${input.id}.`, { field: "id" });
  refuseUnless(
    mayChangeStanding(actor?.id ?? null, { id: user.id, role: user.role, disabled: user.disabledAt !== null }, { role: input.role, disabled: user.disabledAt !== null }, enabledAdmins(tx)),
  );
  checkFields(tx, input, user.id, actor, now);
  const before = { displayNameZh: user.displayNameZh, displayNameEn: user.displayNameEn, role: user.role, department: user.department, ssoIdentity: user.ssoIdentity };
  const after = { displayNameZh: input.displayNameZh, displayNameEn: input.displayNameEn, role: input.role, department: input.department, ssoIdentity: input.ssoIdentity };
  const changed = (Object.keys(after) as Array<keyof typeof after>).filter((k) => before[k] !== after[k]);
  if (changed.length === 0) return { sessionsEnded: 0 };
  const rightsChanged = before.role !== after.role || before.department !== after.department;
  // A part and a division are of one department: another department or role starts without them (liaison).
  const part = rightsChanged ? { departmentRole: null, divisionId: null } : {};
  tx.update(usersTable)
    .set({ ...after, ...part, displayName: legacyDisplayName(input, user.username) })
    .where(eq(usersTable.id, user.id))
    .run();
  const sessionsEnded = rightsChanged ? tx.delete(sessionsTable).where(eq(sessionsTable.userId, user.id)).run().changes : 0;
  const payload: Record<string, string | number | null> = { username: user.username, userId: user.id, changed: changed.join(","), sessionsEnded };
  for (const k of changed) {
    payload[`${k}Before`] = before[k];
    payload[`${k}After`] = after[k];
  }
  appendAuditEvent(tx, { at: now.toISOString(), type: "user.updated", ...auditActorOf(actor), department: input.department ?? user.department, payload });
  return { sessionsEnded };
}

/**
 * Disables (user.disabled: sign-in refused, every session ended in the same transaction) or re-enables (user.enabled)
 * an account. Answers `changed: false` when it already was so (nothing recorded).
 * Errors: not_found, own_account, last_admin.
 */
export function setAccountDisabled(
  tx: Queryable,
  id: number,
  disabled: boolean,
  reason: string,
  actor: ActingUser | null,
  now: Date,
): { changed: boolean; sessionsEnded: number } {
  const user = userRowById(tx, id);
  if (user === undefined) throw new ServiceError("not_found", `There is no account ${id}.`, { field: "id" });
  const role: ActorRole = user.role;
  refuseUnless(mayChangeStanding(actor?.id ?? null, { id: user.id, role, disabled: user.disabledAt !== null }, { role, disabled }, enabledAdmins(tx)));
  if ((user.disabledAt !== null) === disabled) return { changed: false, sessionsEnded: 0 };
  const at = now.toISOString();
  tx.update(usersTable).set({ disabledAt: disabled ? at : null }).where(eq(usersTable.id, user.id)).run();
  const sessionsEnded = disabled ? tx.delete(sessionsTable).where(eq(sessionsTable.userId, user.id)).run().changes : 0;
  appendAuditEvent(tx, {
    at,
    type: disabled ? "user.disabled" : "user.enabled",
    ...auditActorOf(actor),
    department: user.department,
    payload: { username: user.username, userId: user.id, reason, sessionsEnded },
  });
  return { changed: true, sessionsEnded };
}
