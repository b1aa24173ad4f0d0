import { asc, eq } from "drizzle-orm";
import type { Department } from "@countersign/domain";
import type { CatalogDepartment, Queryable, Repositories } from "@countersign/db";
import { departmentsTable } from "@countersign/db/schema";

/** A stored department as the API names it. */
export function departmentOf(d: CatalogDepartment): Department {
  return {
    code: d.code,
    nameEn: d.nameEn,
    nameZh: d.nameZh,
    shortEn: d.shortEn,
    shortZh: d.shortZh,
    order: d.signatureOrder,
    successor: d.successor ?? null,
  };
}

/**
 * Every department, in order of signature (then code); with `organisation`, that organisation's only (issue 16: its
 * register). Read through the store, on either engine.
 */
export async function readDepartments(repos: Repositories, organisation?: string): Promise<Department[]> {
  return (await repos.catalog.departments(organisation)).map(departmentOf);
}

/**
 * The same, synchronously on SQLite: for the callers not yet on the store seam (the exports); the shape is
 * `departmentOf`'s, shared with `readDepartments`.
 */
export function listDepartments(db: Queryable, organisation?: string): Department[] {
  return db
    .select()
    .from(departmentsTable)
    .where(organisation === undefined ? undefined : eq(departmentsTable.organisationId, organisation))
    .orderBy(asc(departmentsTable.signatureOrder), asc(departmentsTable.code))
    .all()
    .map(departmentOf);
}
