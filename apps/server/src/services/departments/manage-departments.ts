import { isIsoDate, registerHistory } from "@countersign/domain";
import type { RegisterHistory } from "@countersign/domain";
import { registerDepartmentAddedEvent, registerDepartmentRow } from "@countersign/db";
import type { AnyStoreTransaction, DepartmentRecord, Repositories } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";

/*
 * Administrators add, rename and retire the installation's departments (the command line, and admin.* from the
 * Administration page). Each change and its audit event are written in the caller's transaction (`tx`), with the
 * administrator as actor (null: the command line, recorded as the system). A department is never deleted: plans,
 * accounts and the audit trail name it; retiring it keeps it for them and offers it for no new plan or account.
 */

export interface DepartmentRow {
  code: string;
  nameZh: string;
  nameEn: string;
  shortZh: string;
  shortEn: string;
  kind: string;
  retiredOn: string | null;
}

const codePattern = /^[A-Z][A-Z0-9_]{1,19}$/;

/** The audit actor of a change: the administrator, or the system for the command line. */
function actorOf(by: ActingUser | null) {
  return by === null ? { ...auditActorOf(null), actorRole: "system" } : auditActorOf(by);
}

/** The department as the API shows it (its row less the organisation and the leader's rule). */
function rowOf(r: DepartmentRecord): DepartmentRow {
  return { code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, shortZh: r.shortZh, shortEn: r.shortEn, kind: r.kind, retiredOn: r.retiredOn };
}

async function find(repos: Repositories, code: string): Promise<DepartmentRow | undefined> {
  const row = await repos.departmentRegister.find(code);
  return row === undefined ? undefined : rowOf(row);
}

function names(input: { nameZh?: string | undefined; nameEn?: string | undefined; shortZh?: string | undefined; shortEn?: string | undefined }) {
  const clean = (v: string | undefined, field: string): string | undefined => {
    if (v === undefined) return undefined;
    const t = v.trim();
    if (t === "" || t.length > 200) throw new ServiceError("invalid_input", `${field} is 1–200 characters.`, { field });
    return t;
  };
  return { nameZh: clean(input.nameZh, "nameZh"), nameEn: clean(input.nameEn, "nameEn"), shortZh: clean(input.shortZh, "shortZh"), shortEn: clean(input.shortEn, "shortEn") };
}

/**
 * Adds a department: a unit of the register by its code alone (its names are the register's), or a unit the
 * register lacks with its names (`kind` "custom"). Errors: `invalid_input` (bad code, missing names, already there).
 */
export async function addDepartment(
  tx: AnyStoreTransaction,
  input: { code: string; nameZh?: string | undefined; nameEn?: string | undefined; shortZh?: string | undefined; shortEn?: string | undefined },
  by: ActingUser | null,
  now: Date,
): Promise<DepartmentRow> {
  const code = input.code.trim().toUpperCase();
  if (!codePattern.test(code)) throw new ServiceError("invalid_input", "A code is 2–20 capital letters, digits or underscores, starting with a letter.", { field: "code" });
  const given = names(input);
  const at = now.toISOString();
  if (await find(tx.repos, code)) throw new ServiceError("invalid_input", `The department ${code} is already there.`, { field: "code" });
  const registered = registerDepartmentRow(code);
  if (registered !== undefined) {
    const actor = actorOf(by);
    await tx.repos.departmentRegister.add(registered);
    await tx.appendAuditEvent(registerDepartmentAddedEvent(registered, at, { userId: actor.actorUserId, username: actor.actorUsername, role: actor.actorRole ?? "system" }));
  } else {
    if (given.nameZh === undefined || given.nameEn === undefined) {
      throw new ServiceError("invalid_input", `${code} is not in the register of departments: give its Chinese and English names.`, { field: "nameZh" });
    }
    const row = {
      code,
      nameZh: given.nameZh,
      nameEn: given.nameEn,
      shortZh: given.shortZh ?? given.nameZh,
      shortEn: given.shortEn ?? code,
      signatureOrder: 1000,
      successor: null,
      kind: "custom",
    };
    await tx.repos.departmentRegister.add(row);
    await tx.appendAuditEvent({
      at,
      type: "department.added",
      ...actorOf(by),
      department: code,
      payload: { code, source: "administrator", nameZh: row.nameZh, nameEn: row.nameEn, kind: "custom" },
    });
  }
  const added = await find(tx.repos, code);
  if (!added) throw new Error("the department was not added");
  return added;
}

/** Renames a department (any of its four names); later starts keep the new names. Errors: `not_found`, `invalid_input`. */
export async function renameDepartment(
  tx: AnyStoreTransaction,
  input: { code: string; nameZh?: string | undefined; nameEn?: string | undefined; shortZh?: string | undefined; shortEn?: string | undefined },
  by: ActingUser | null,
  now: Date,
): Promise<DepartmentRow> {
  const code = input.code.trim().toUpperCase();
  const given = names(input);
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<Record<keyof typeof given, string>>;
  if (Object.keys(set).length === 0) throw new ServiceError("invalid_input", "Give at least one new name.", { field: "nameZh" });
  const at = now.toISOString();
  const before = await find(tx.repos, code);
  if (!before) throw new ServiceError("not_found", `There is no department ${code}.`, { field: "code" });
  await tx.repos.departmentRegister.rename(code, set, at);
  const payload: Record<string, string> = { code };
  for (const [k, v] of Object.entries(set)) {
    payload[`${k}Before`] = before[k as keyof typeof given];
    payload[k] = v;
  }
  await tx.appendAuditEvent({ at, type: "department.renamed", ...actorOf(by), department: code, payload });
  const after = await find(tx.repos, code);
  if (!after) throw new Error("the department vanished");
  return after;
}

/** Retires a department from `on` (YYYY-MM-DD, default today): kept for existing plans, offered for no new one. */
export async function retireDepartment(
  tx: AnyStoreTransaction,
  input: { code: string; on?: string | undefined },
  by: ActingUser | null,
  now: Date,
): Promise<DepartmentRow> {
  const code = input.code.trim().toUpperCase();
  const on = input.on ?? now.toISOString().slice(0, 10);
  if (!isIsoDate(on)) throw new ServiceError("invalid_input", "The date is YYYY-MM-DD.", { field: "on" });
  const at = now.toISOString();
  const before = await find(tx.repos, code);
  if (!before) throw new ServiceError("not_found", `There is no department ${code}.`, { field: "code" });
  if (before.retiredOn) throw new ServiceError("invalid_input", `${code} was already retired on ${before.retiredOn}.`, { field: "code" });
  await tx.repos.departmentRegister.retire(code, on);
  await tx.appendAuditEvent({ at, type: "department.retired", ...actorOf(by), department: code, payload: { code, retiredOn: on } });
  return { ...before, retiredOn: on };
}

/** Every department of the installation, in listing order; with `organisation`, that organisation's only (issue 16). */
export async function listDepartmentRows(repos: Repositories, organisation?: string): Promise<DepartmentRow[]> {
  return (await repos.departmentRegister.list(organisation)).map(rowOf);
}

/** A department as the Administration page lists it: its row and what the register says of its history. */
export interface DepartmentView extends DepartmentRow {
  history: RegisterHistory;
}

/** Every department of the installation with its register history, in listing order. */
export async function departmentViews(repos: Repositories, organisation?: string): Promise<DepartmentView[]> {
  return (await listDepartmentRows(repos, organisation)).map((row) => ({ ...row, history: registerHistory(row.code) }));
}
