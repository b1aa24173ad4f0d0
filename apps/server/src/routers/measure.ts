import { z } from "zod";
import { optionalTextSchema } from "@countersign/domain";
import { runMutation } from "../security/idempotency.js";
import { closeOrReopenMeasure } from "../services/measure/close-measure.js";
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
      runMutation(ctx, "measure.close", input, () => closeOrReopenMeasure(ctx.db, ctx.user, "close", input, ctx.now())),
    ),
  reopen: authedProcedure
    .input(measureClosureInputSchema)
    .mutation(({ ctx, input }) =>
      runMutation(ctx, "measure.reopen", input, () => closeOrReopenMeasure(ctx.db, ctx.user, "reopen", input, ctx.now())),
    ),
});
