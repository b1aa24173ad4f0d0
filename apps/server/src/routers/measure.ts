import { z } from "zod";
import { optionalTextSchema } from "@countersign/domain";
import { runSeamMutation } from "../security/idempotency.js";
import { closeOrReopenMeasureIn } from "../services/measure/close-measure.js";
import { measureHistory } from "../services/measure/measure-history.js";
import { authedProcedure, router } from "../trpc.js";
import { planIdSchema } from "./catalog.js";
import { measureNumberSchema } from "./plan.js";

export const measureClosureInputSchema = z.object({
  planId: planIdSchema,
  measureNumber: measureNumberSchema,
  note: optionalTextSchema.default(""),
});

export const measureRouter = router({
  /** Who closed the measure, when and with what note, and its own history (see measure-history.ts for who sees what). */
  history: authedProcedure
    .input(z.object({ planId: planIdSchema, measureNumber: measureNumberSchema }))
    .query(({ ctx, input }) => ctx.store.read((repos) => measureHistory(repos, ctx.user, input))),
  close: authedProcedure
    .input(measureClosureInputSchema)
    .mutation(({ ctx, input }) =>
      runSeamMutation(ctx, "measure.close", input, (tx) => closeOrReopenMeasureIn(tx, ctx.user, "close", input, ctx.now())),
    ),
  reopen: authedProcedure
    .input(measureClosureInputSchema)
    .mutation(({ ctx, input }) =>
      runSeamMutation(ctx, "measure.reopen", input, (tx) => closeOrReopenMeasureIn(tx, ctx.user, "reopen", input, ctx.now())),
    ),
});
