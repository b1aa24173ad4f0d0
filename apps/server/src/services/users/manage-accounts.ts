import { checkAccountShape, mayChangeStanding } from "@countersign/domain";
import type { ActorRole, CreateAccountInput, DepartmentCode, UpdateAccountInput } from "@countersign/domain";
import { registerDepartmentAddedEvent, registerDepartmentRow } from "@countersign/db";
import type { AnyStoreTransaction } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { ensureLocalDepartmentIn } from "../cascade/register-local.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { refuseUnless } from "./account-policy.js";

/*
 * The administrator's acts on accounts (issue 15), on the store seam (issue 13): one code for SQLite and PostgreSQL.
 * Each reads through `tx.repos`, decides with the domain's rules (`checkAccountShape`, `mayChangeStanding`) and writes
 * the change and its audit event in the caller's unit of work. Password hashing (scrypt) is the caller's, before the
 * unit of work opens.
 */

/** The names, role, department and sign-in identity of an account. */
type AccountFields = Omit<CreateAccountInput, "username">;

async function checkFields(tx: AnyStoreTransaction, fields: AccountFields, selfId: number | null, by: ActingUser | null, now: Date): Promise<void> {
  refuseUnless(checkAccountShape(fields));
  if (fields.department !== null) {
    const known = await tx.repos.departmentRegister.find(fields.department);
    const actor = { userId: by?.id ?? null, username: by?.username ?? null, role: by?.role ?? "system" };
    if (known === undefined) {
      // A unit of the register of departments that the installation does not have yet joins it with its first account;
      // so does a local government's register (issue 16) with the first account of one of its departments.
      if (!(await ensureLocalDepartmentIn(tx, fields.department, now.toISOString(), actor))) {
        const registered = registerDepartmentRow(fields.department);
        if (registered === undefined) {
          throw new ServiceError("unknown_department", `There is no department ${fields.department}.`, { field: "department" });
        }
        await tx.repos.departmentRegister.add(registered);
        await tx.appendAuditEvent(registerDepartmentAddedEvent(registered, now.toISOString(), actor));
      }
    } else if (known.retiredOn) {
      throw new ServiceError("invalid_input", `${fields.department} was retired on ${known.retiredOn}.`, { field: "department" });
    }
  }
  if (fields.ssoIdentity !== null) {
    const other = await tx.repos.accounts.holderOfSsoIdentity(fields.ssoIdentity, selfId);
    if (other !== undefined) {
      throw new ServiceError("invalid_input", `The sign-in identity ${fields.ssoIdentity} already belongs to ${other}.`, { field: "ssoIdentity" });
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
export async function createAccount(
  tx: AnyStoreTransaction,
  input: CreateAccountInput,
  passwordHash: string,
  createdBy: ActingUser | null,
  now: Date,
): Promise<ActingUser> {
  await checkFields(tx, input, null, createdBy, now);
  if ((await tx.repos.accounts.byUsername(input.username)) !== undefined) {
    throw new ServiceError("invalid_input", `The username ${input.username} is taken.`, { field: "username" });
  }
  const at = now.toISOString();
  const row = await tx.repos.accounts.insert({
    username: input.username,
    displayName: legacyDisplayName(input, input.username),
    displayNameZh: input.displayNameZh,
    displayNameEn: input.displayNameEn,
    role: input.role,
    department: input.department,
    ssoIdentity: input.ssoIdentity,
    passwordHash,
    createdAt: at,
  });
  await tx.appendAuditEvent({
    at,
    type: "user.created",
    ...auditActorOf(createdBy),
    department: row.department,
    payload: { username: row.username, role: row.role, department: row.department, userId: row.id },
  });
  return { id: row.id, username: row.username, displayName: row.displayName, role: row.role, department: row.department as DepartmentCode | null };
}

/**
 * Changes an account's names, role, department and sign-in identity (user.updated, with what changed). Changing the
 * role or department ends the account's sessions, so no open session keeps the old rights.
 * Errors: not_found, own_account, last_admin, and those of `createAccount`.
 */
export async function updateAccount(tx: AnyStoreTransaction, input: UpdateAccountInput, actor: ActingUser | null, now: Date): Promise<{ sessionsEnded: number }> {
  const accounts = tx.repos.accounts;
  const user = await accounts.byId(input.id);
  if (user === undefined) throw new ServiceError("not_found", `There is no account ${input.id}.`, { field: "id" });
  const disabled = user.disabledAt !== null;
  refuseUnless(mayChangeStanding(actor?.id ?? null, { id: user.id, role: user.role, disabled }, { role: input.role, disabled }, await accounts.countEnabledAdmins()));
  await checkFields(tx, input, user.id, actor, now);
  const before = { displayNameZh: user.displayNameZh, displayNameEn: user.displayNameEn, role: user.role, department: user.department, ssoIdentity: user.ssoIdentity };
  const after = { displayNameZh: input.displayNameZh, displayNameEn: input.displayNameEn, role: input.role, department: input.department, ssoIdentity: input.ssoIdentity };
  const changed = (Object.keys(after) as Array<keyof typeof after>).filter((k) => before[k] !== after[k]);
  if (changed.length === 0) return { sessionsEnded: 0 };
  const rightsChanged = before.role !== after.role || before.department !== after.department;
  // A part and a division are of one department: another department or role starts without them (liaison).
  const part = rightsChanged ? { departmentRole: null, divisionId: null } : {};
  await accounts.update(user.id, { ...after, ...part, displayName: legacyDisplayName(input, user.username) });
  const sessionsEnded = rightsChanged ? await accounts.endSessions(user.id) : 0;
  const payload: Record<string, string | number | null> = { username: user.username, userId: user.id, changed: changed.join(","), sessionsEnded };
  for (const k of changed) {
    payload[`${k}Before`] = before[k];
    payload[`${k}After`] = after[k];
  }
  await tx.appendAuditEvent({ at: now.toISOString(), type: "user.updated", ...auditActorOf(actor), department: input.department ?? user.department, payload });
  return { sessionsEnded };
}

/**
 * Disables (user.disabled: sign-in refused, every session ended in the same unit of work) or re-enables
 * (user.enabled) an account. Answers `changed: false` when it already was so (nothing recorded).
 * Errors: not_found, own_account, last_admin.
 */
export async function setAccountDisabled(
  tx: AnyStoreTransaction,
  id: number,
  disabled: boolean,
  reason: string,
  actor: ActingUser | null,
  now: Date,
): Promise<{ changed: boolean; sessionsEnded: number }> {
  const accounts = tx.repos.accounts;
  const user = await accounts.byId(id);
  if (user === undefined) throw new ServiceError("not_found", `There is no account ${id}.`, { field: "id" });
  const role: ActorRole = user.role;
  refuseUnless(mayChangeStanding(actor?.id ?? null, { id: user.id, role, disabled: user.disabledAt !== null }, { role, disabled }, await accounts.countEnabledAdmins()));
  if ((user.disabledAt !== null) === disabled) return { changed: false, sessionsEnded: 0 };
  const at = now.toISOString();
  await accounts.update(user.id, { disabledAt: disabled ? at : null });
  const sessionsEnded = disabled ? await accounts.endSessions(user.id) : 0;
  await tx.appendAuditEvent({
    at,
    type: disabled ? "user.disabled" : "user.enabled",
    ...auditActorOf(actor),
    department: user.department,
    payload: { username: user.username, userId: user.id, reason, sessionsEnded },
  });
  return { changed: true, sessionsEnded };
}
