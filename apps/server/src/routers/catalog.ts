import { z } from "zod";
import { organisationOfActor } from "../services/cascade/boundary.js";
import { readPlanDetail } from "../services/catalog/get-plan.js";
import { readDepartments } from "../services/catalog/list-departments.js";
import { listPlanPage, planIncludeMax, planPageMaxLimit } from "../services/catalog/list-plans.js";
import { requireDivisionReadableIn } from "../services/shared/plan-lookup.js";
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
  departments: authedProcedure.query(({ ctx }) =>
    ctx.store.read(async (repos) => readDepartments(repos, await organisationOfActor(repos, ctx.user))),
  ),
  // Bounded like the paged catalogue (the newest page) but in the shape and order its callers had: an array by id, and
  // no input (a parser here would refuse the `input=undefined` some clients send).
  plans: authedProcedure.query(({ ctx }) =>
    ctx.store.read(async (repos) => {
      const page = await listPlanPage(repos, { organisation: await organisationOfActor(repos, ctx.user) });
      return page.items.sort((a, b) => a.id - b.id);
    }),
  ),
  // The catalogue a page at a time, newest first, with the chosen plans and the cursor of the next page.
  planPage: authedProcedure
    .input(planPageInputSchema)
    .query(({ ctx, input }) =>
      ctx.store.read(async (repos) => listPlanPage(repos, { ...input, organisation: await organisationOfActor(repos, ctx.user) })),
    ),
  // A draft's division is the lead ministry's working paper: a department reads a plan once it is issued.
  plan: authedProcedure.input(z.object({ planId: planIdSchema })).query(({ ctx, input }) =>
    ctx.store.read(async (repos) => {
      await requireDivisionReadableIn(repos, ctx.user, input.planId);
      return readPlanDetail(repos, input.planId);
    }),
  ),
});
