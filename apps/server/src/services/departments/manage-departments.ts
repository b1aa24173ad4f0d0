import { eq } from "drizzle-orm";
import { isIsoDate, registerEntry, registerHistory } from "@countersign/domain";
import type { RegisterHistory } from "@countersign/domain";
import { appendAuditEvent, ensureRegisterDepartments } from "@countersign/db";
import type { Queryable } from "@countersign/db";
import { departmentsTable } from "@countersign/db/schema";
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

function find(db: Queryable, code: string): DepartmentRow | undefined {
  return db
    .select({
      code: departmentsTable.code,
      nameZh: departmentsTable.nameZh,
      nameEn: departmentsTable.nameEn,
      shortZh: departmentsTable.shortZh,
      shortEn: departmentsTable.shortEn,
      kind: departmentsTable.kind,
      retiredOn: departmentsTable.retiredOn,
    })
    .from(departmentsTable)
    .where(eq(departmentsTable.code, code))
    .get();
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
export function addDepartment(
  tx: Queryable,
  input: { code: string; nameZh?: string | undefined; nameEn?: string | undefined; shortZh?: string | undefined; shortEn?: string | undefined },
  by: ActingUser | null,
  now: Date,
): DepartmentRow {
  const code = input.code.trim().toUpperCase();
  if (!codePattern.test(code)) throw new ServiceError("invalid_input", "A code is 2–20 capital letters, digits or underscores, starting with a letter.", { field: "code" });
  const given = names(input);
  const at = now.toISOString();
  if (find(tx, code)) throw new ServiceError("invalid_input", `The department ${code} is already there.`, { field: "code" });
  if (registerEntry(code)) {
    const actor = actorOf(by);
    ensureRegisterDepartments(tx, [code], at, { userId: actor.actorUserId, username: actor.actorUsername, role: actor.actorRole ?? "system" });
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
    tx.insert(departmentsTable).values(row).run();
    appendAuditEvent(tx, {
      at,
      type: "department.added",
      ...actorOf(by),
      department: code,
      payload: { code, source: "administrator", nameZh: row.nameZh, nameEn: row.nameEn, kind: "custom" },
    });
  }
  const added = find(tx, code);
  if (!added) throw new Error("the department was not added");
  return added;
}

/** Renames a department (any of its four names); later starts keep the new names. Errors: `not_found`, `invalid_input`. */
export function renameDepartment(
  tx: Queryable,
  input: { code: string; nameZh?: string | undefined; nameEn?: string | undefined; shortZh?: string | undefined; shortEn?: string | undefined },
  by: ActingUser | null,
  now: Date,
): DepartmentRow {
  const code = input.code.trim().toUpperCase();
  const given = names(input);
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<Record<keyof typeof given, string>>;
  if (Object.keys(set).length === 0) throw new ServiceError("invalid_input", "Give at least one new name.", { field: "nameZh" });
  const at = now.toISOString();
  const before = find(tx, code);
  if (!before) throw new ServiceError("not_found", `There is no department ${code}.`, { field: "code" });
  tx.update(departmentsTable).set({ ...set, editedAt: at }).where(eq(departmentsTable.code, code)).run();
  const payload: Record<string, string> = { code };
  for (const [k, v] of Object.entries(set)) {
    payload[`${k}Before`] = before[k as keyof typeof given];
    payload[k] = v;
  }
  appendAuditEvent(tx, { at, type: "department.renamed", ...actorOf(by), department: code, payload });
  const after = find(tx, code);
  if (!after) throw new Error("the department vanished");
  return after;
}

/** Retires a department from `on` (YYYY-MM-DD, default today): kept for existing plans, offered for no new one. */
export function retireDepartment(tx: Queryable, input: { code: string; on?: string | undefined }, by: ActingUser | null, now: Date): DepartmentRow {
  const code = input.code.trim().toUpperCase();
  const on = input.on ?? now.toISOString().slice(0, 10);
  if (!isIsoDate(on)) throw new ServiceError("invalid_input", "The date is YYYY-MM-DD.", { field: "on" });
  const at = now.toISOString();
  const before = find(tx, code);
  if (!before) throw new ServiceError("not_found", `There is no department ${code}.`, { field: "code" });
  if (before.retiredOn) throw new ServiceError("invalid_input", `${code} was already retired on ${before.retiredOn}.`, { field: "code" });
  tx.update(departmentsTable).set({ retiredOn: on }).where(eq(departmentsTable.code, code)).run();
  appendAuditEvent(tx, { at, type: "department.retired", ...actorOf(by), department: code, payload: { code, retiredOn: on } });
  return { ...before, retiredOn: on };
}

/** Every department of the installation, in listing order; with `organisation`, that organisation's only (issue 16). */
export function listDepartmentRows(db: Queryable, organisation?: string): DepartmentRow[] {
  return db
    .select({
      code: departmentsTable.code,
      nameZh: departmentsTable.nameZh,
      nameEn: departmentsTable.nameEn,
      shortZh: departmentsTable.shortZh,
      shortEn: departmentsTable.shortEn,
      kind: departmentsTable.kind,
      retiredOn: departmentsTable.retiredOn,
    })
    .from(departmentsTable)
    .where(organisation === undefined ? undefined : eq(departmentsTable.organisationId, organisation))
    .orderBy(departmentsTable.signatureOrder, departmentsTable.code)
    .all();
}

/** A department as the Administration page lists it: its row and what the register says of its history. */
export interface DepartmentView extends DepartmentRow {
  history: RegisterHistory;
}

/** Every department of the installation with its register history, in listing order. */
export function departmentViews(db: Queryable, organisation?: string): DepartmentView[] {
  return listDepartmentRows(db, organisation).map((row) => ({ ...row, history: registerHistory(row.code) }));
}
