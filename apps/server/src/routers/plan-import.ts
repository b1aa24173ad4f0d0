import { createPlanInputSchema, importPlanInputSchema } from "@countersign/domain";
import { runSeamMutation } from "../security/idempotency.js";
import { createPlan } from "../services/plan/create-plan.js";
import { importPlan } from "../services/plan/import-plan.js";
import { coordinatorProcedure } from "../trpc.js";

/** `plan.import` and `plan.create`: a new plan from a policy document's text, on the store seam (either engine). Joined into the plan router. */
export const planImportProcedures = {
  /** Reads a document's text into a draft and a proposed division of work; saves nothing. A mutation: the text is too long for a URL. */
  import: coordinatorProcedure.input(importPlanInputSchema).mutation(({ ctx, input }) => importPlan(ctx.store, ctx.user, input, ctx.importRunner, ctx.now())),
  /** Saves the reviewed draft as a new plan in draft; with an Idempotency-Key, a retried request creates no second plan. */
  create: coordinatorProcedure
    .input(createPlanInputSchema)
    .mutation(({ ctx, input }) => {
      const now = ctx.now();
      return runSeamMutation(ctx, "plan.create", input, (tx) => createPlan(tx, ctx.user, input, now));
    }),
};
