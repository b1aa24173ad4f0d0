import { z } from "zod";
import { getPlan } from "../services/catalog/get-plan.js";
import { listDepartments } from "../services/catalog/list-departments.js";
import { listPlanPage, planIncludeMax, planPageMaxLimit } from "../services/catalog/list-plans.js";
import { authedProcedure, router } from "../trpc.js";

export const planIdSchema = z.number().int().positive();

export const planPageInputSchema = z
  .object({
    search: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(planPageMaxLimit).optional(),
    cursor: z.string().max(100).optional(),
    include: z.array(planIdSchema).max(planIncludeMax).optional(),
  })
  .optional();

export const catalogRouter = router({
  departments: authedProcedure.query(({ ctx }) => listDepartments(ctx.db)),
  // A page of the catalogue as a bare array, the shape callers had before it was paged (no input: the first page).
  plans: authedProcedure.input(planPageInputSchema).query(({ ctx, input }) => listPlanPage(ctx.db, input).items),
  // The same page with the cursor of the next one.
  planPage: authedProcedure.input(planPageInputSchema).query(({ ctx, input }) => listPlanPage(ctx.db, input)),
  plan: authedProcedure.input(z.object({ planId: planIdSchema })).query(({ ctx, input }) => getPlan(ctx.db, input.planId)),
});
