import { and, eq } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { measuresTable, plansTable } from "@countersign/db/schema";
import { readsDraftDivision } from "@countersign/domain";
import { ServiceError } from "../../errors.js";
import { actorOf } from "./acting-user.js";
import type { ActingUser } from "./acting-user.js";

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

/**
 * Refuses a draft plan's division of work to those who may not read it yet (the domain's `readsDraftDivision`: a
 * department sees a plan once it is issued). The plan catalogue still lists the draft by name.
 *
 * @throws ServiceError `not_found` for no such plan, `plan_not_issued` for a draft the caller may not read
 */
export function requireDivisionReadable(db: Queryable, user: ActingUser | "operator", planId: number): void {
  if (user === "operator" || readsDraftDivision(actorOf(user))) return;
  const plan = planOrNotFound(db, planId);
  if (plan.status === "draft") {
    throw new ServiceError(
      "plan_not_issued",
      "This plan is still a draft: departments see its division of work once the lead ministry issues it (立项交办).",
      { field: "planId" },
    );
  }
}
