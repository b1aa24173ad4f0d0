import { eq } from "drizzle-orm";
import type { MeasureRecord, PlanRecord, Queryable, Repositories } from "@countersign/db";
import { plansTable } from "@countersign/db/schema";
import { readsDraftDivision } from "@countersign/domain";
import { ServiceError } from "../../errors.js";
import { actorOf } from "./acting-user.js";
import type { ActingUser } from "./acting-user.js";

export type PlanRow = typeof plansTable.$inferSelect;

export function planOrNotFound(db: Queryable, planId: number): PlanRow {
  return planFound(db.select().from(plansTable).where(eq(plansTable.id, planId)).get(), planId);
}

/**
 * The plan read (either engine), or the refusal of a plan that does not exist.
 *
 * @throws ServiceError `not_found` (field planId) when `plan` is undefined
 */
export function planFound<P extends PlanRecord>(plan: P | undefined, planId: number): P {
  if (plan === undefined) throw new ServiceError("not_found", `There is no plan ${planId}.`, { field: "planId" });
  return plan;
}

/** A plan read through the store (either engine). @throws ServiceError `not_found` for no such plan */
export async function readPlanOrNotFound(repos: Repositories, planId: number): Promise<PlanRecord> {
  return planFound(await repos.catalog.plan(planId), planId);
}

/** A measure read through the store (either engine). @throws ServiceError `not_found` for no such measure */
export async function readMeasureOrNotFound(repos: Repositories, planId: number, measureNumber: number): Promise<MeasureRecord> {
  return measureFound(await repos.catalog.measure(planId, measureNumber), planId, measureNumber);
}

/** The measure read, or the refusal of one that does not exist. @throws ServiceError `not_found` (field measureNumber) */
export function measureFound<M extends MeasureRecord>(measure: M | undefined, planId: number, measureNumber: number): M {
  if (measure === undefined) {
    throw new ServiceError("not_found", `Plan ${planId} has no measure (${measureNumber}).`, { field: "measureNumber" });
  }
  return measure;
}

/**
 * Refuses a draft plan's division of work to those who may not read it yet (the domain's `readsDraftDivision`: a
 * department sees a plan once it is issued). The plan catalogue still lists the draft by name. Through the store
 * (either engine).
 *
 * @throws ServiceError `not_found` for no such plan, `plan_not_issued` for a draft the caller may not read
 */
export async function requireDivisionReadableIn(repos: Repositories, user: ActingUser | "operator", planId: number): Promise<void> {
  if (user === "operator" || readsDraftDivision(actorOf(user))) return;
  refuseUnreadableDraft(await readPlanOrNotFound(repos, planId));
}

/** The refusal of a draft's division of work to a caller who may not read drafts (decided by the callers above). */
function refuseUnreadableDraft(plan: { status: PlanRecord["status"] }): void {
  if (plan.status === "draft") {
    throw new ServiceError(
      "plan_not_issued",
      "This plan is still a draft: departments see its division of work once the lead ministry issues it (立项交办).",
      { field: "planId" },
    );
  }
}
