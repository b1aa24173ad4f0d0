import type { Queryable } from "../../client.js";
import { insertPlanDocument } from "../../load-plan.js";
import type { PlanCreationRepo } from "../repos/plan-creation.js";

export function sqlitePlanCreationRepo(db: Queryable): PlanCreationRepo {
  return {
    async insertDraftPlan(plan) {
      return insertPlanDocument(db, plan.document, plan.responsibilities, plan.createdAt, plan.organisationId);
    },
  };
}
