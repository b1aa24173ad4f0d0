import { z } from "zod";
import { addTranslationInputSchema, departmentCodeSchema, dueDateSchema } from "@countersign/domain";
import { writeTransaction } from "@countersign/db";
import { addTranslation } from "../services/plan/add-translation.js";
import { runMutation } from "../security/idempotency.js";
import { issuePlan } from "../services/plan/issue-plan.js";
import { setResponsibilities } from "../services/plan/set-responsibilities.js";
import { coordinatorProcedure, router } from "../trpc.js";
import { planIdSchema } from "./catalog.js";
import { planImportProcedures } from "./plan-import.js";

export const measureNumberSchema = z.number().int().positive();

export const setResponsibilitiesInputSchema = z.object({
  planId: planIdSchema,
  measureNumber: measureNumberSchema,
  lead: departmentCodeSchema,
  supporting: z.array(departmentCodeSchema).max(64),
});

export const issuePlanInputSchema = z.object({
  planId: planIdSchema,
  dueDate: dueDateSchema,
  dueDates: z.array(z.object({ measureNumber: measureNumberSchema, dueDate: dueDateSchema })).max(1000).optional(),
});

export const planRouter = router({
  ...planImportProcedures,
  setResponsibilities: coordinatorProcedure
    .input(setResponsibilitiesInputSchema)
    .mutation(({ ctx, input }) =>
      runMutation(ctx, "plan.setResponsibilities", input, () => setResponsibilities(ctx.db, ctx.user, input, ctx.now())),
    ),
  issue: coordinatorProcedure
    .input(issuePlanInputSchema)
    .mutation(({ ctx, input }) => runMutation(ctx, "plan.issue", input, () => issuePlan(ctx.db, ctx.user, input, ctx.now()))),
  /** Adds the plan's text in its other language, aligned with its measures by number (see services/plan/add-translation.ts). */
  addTranslation: coordinatorProcedure
    .input(addTranslationInputSchema)
    .mutation(({ ctx, input }) =>
      runMutation(ctx, "plan.addTranslation", input, () =>
        writeTransaction(ctx.db, (tx) => addTranslation(tx, ctx.user, input, ctx.now())),
      ),
    ),
});
