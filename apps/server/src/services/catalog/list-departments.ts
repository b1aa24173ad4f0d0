import { asc } from "drizzle-orm";
import type { Department } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { departmentsTable } from "@countersign/db/schema";

/** Every department, in order of signature. */
export function listDepartments(db: Queryable): Department[] {
  return db
    .select()
    .from(departmentsTable)
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
