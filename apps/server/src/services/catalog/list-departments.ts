import type { Department } from "@countersign/domain";
import type { CatalogDepartment, Repositories } from "@countersign/db";

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
