import { createPlanInputSchema, importPlanInputSchema } from "@countersign/domain";
import { createPlan } from "../services/plan/create-plan.js";
import { importPlan } from "../services/plan/import-plan.js";
import { coordinatorProcedure } from "../trpc.js";

/** `plan.import` and `plan.create`: a new plan from a policy document's text. Joined into the plan router. */
export const planImportProcedures = {
  /** Reads a document's text into a draft and a proposed division of work; saves nothing. A mutation: the text is too long for a URL. */
  import: coordinatorProcedure.input(importPlanInputSchema).mutation(({ ctx, input }) => importPlan(ctx.db, ctx.user, input)),
  /** Saves the reviewed draft as a new plan in draft. */
  create: coordinatorProcedure.input(createPlanInputSchema).mutation(({ ctx, input }) => {
    const out = createPlan(ctx.db, ctx.user, input, ctx.now());
    ctx.live.publish(out.change);
    return out.value;
  }),
};
