import { and, eq } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { measuresTable, plansTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";

export type PlanRow = typeof plansTable.$inferSelect;
export type MeasureRow = typeof measuresTable.$inferSelect;

export function planOrNotFound(db: Queryable, planId: number): PlanRow {
  const plan = db.select().from(plansTable).where(eq(plansTable.id, planId)).get();
  if (plan === undefined) throw new ServiceError("not_found", `There is no plan ${planId}.`, { field: "planId" });
  return plan;
}

export function measureOrNotFound(db: Queryable, planId: number, measureNumber: number): MeasureRow {
  const measure = db
    .select()
    .from(measuresTable)
    .where(and(eq(measuresTable.planId, planId), eq(measuresTable.number, measureNumber)))
    .get();
  if (measure === undefined) {
    throw new ServiceError("not_found", `Plan ${planId} has no measure (${measureNumber}).`, { field: "measureNumber" });
  }
  return measure;
}
