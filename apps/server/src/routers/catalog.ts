import { z } from "zod";
import { getPlan } from "../services/catalog/get-plan.js";
import { listDepartments } from "../services/catalog/list-departments.js";
import { listPlans } from "../services/catalog/list-plans.js";
import { authedProcedure, router } from "../trpc.js";

export const planIdSchema = z.number().int().positive();

export const catalogRouter = router({
  departments: authedProcedure.query(({ ctx }) => listDepartments(ctx.db)),
  plans: authedProcedure.query(({ ctx }) => listPlans(ctx.db)),
  plan: authedProcedure.input(z.object({ planId: planIdSchema })).query(({ ctx, input }) => getPlan(ctx.db, input.planId)),
});
