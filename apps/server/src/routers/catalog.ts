import { z } from "zod";
import { organisationOf } from "../services/cascade/cascade-read.js";
import { getPlan } from "../services/catalog/get-plan.js";
import { listDepartments } from "../services/catalog/list-departments.js";
import { listPlanPage, planIncludeMax, planPageMaxLimit } from "../services/catalog/list-plans.js";
import { requireDivisionReadable } from "../services/shared/plan-lookup.js";
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
  // The caller's organisation's departments (issue 16): a province's office names its own register.
  departments: authedProcedure.query(({ ctx }) => listDepartments(ctx.db, organisationOf(ctx.db, ctx.user))),
  // Bounded like the paged catalogue (the newest page) but in the shape and order its callers had: an array by id, and
  // no input (a parser here would refuse the `input=undefined` some clients send).
  plans: authedProcedure.query(({ ctx }) => listPlanPage(ctx.db, { organisation: organisationOf(ctx.db, ctx.user) }).items.sort((a, b) => a.id - b.id)),
  // The catalogue a page at a time, newest first, with the chosen plans and the cursor of the next page.
  planPage: authedProcedure
    .input(planPageInputSchema)
    .query(({ ctx, input }) => listPlanPage(ctx.db, { ...input, organisation: organisationOf(ctx.db, ctx.user) })),
  // A draft's division is the lead ministry's working paper: a department reads a plan once it is issued.
  plan: authedProcedure.input(z.object({ planId: planIdSchema })).query(({ ctx, input }) => {
    requireDivisionReadable(ctx.db, ctx.user, input.planId);
    return getPlan(ctx.db, input.planId);
  }),
});
