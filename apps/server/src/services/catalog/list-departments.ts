import { asc, eq } from "drizzle-orm";
import type { Department } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { departmentsTable } from "@countersign/db/schema";

/** Every department, in order of signature; with `organisation`, that organisation's only (issue 16: its register). */
export function listDepartments(db: Queryable, organisation?: string): Department[] {
  return db
    .select()
    .from(departmentsTable)
    .where(organisation === undefined ? undefined : eq(departmentsTable.organisationId, organisation))
    .orderBy(asc(departmentsTable.signatureOrder), asc(departmentsTable.code))
    .all()
    .map((d) => ({
      code: d.code,
      nameEn: d.nameEn,
      nameZh: d.nameZh,
      shortEn: d.shortEn,
      shortZh: d.shortZh,
      order: d.signatureOrder,
      successor: d.successor ?? null,
    }));
}
