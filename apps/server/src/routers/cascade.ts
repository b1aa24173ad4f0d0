/**
 * Down the levels (issue 16): forward a plan to the level below, a receiving office's pending forwardings, derive its
 * implementation plan, add local measures, the regional view with its drill-down, and a plan as the caller's
 * organisation may see it. Thin procedures over services/cascade; each mutation is one transaction with its audit.
 * Division and issue of a derived plan go through plan.setResponsibilities and plan.issue.
 */
import { z } from "zod";
import { dueDateSchema } from "@countersign/domain";
import { writeTransaction } from "@countersign/db";
import { runMutation } from "../security/idempotency.js";
import { addLocalMeasure } from "../services/cascade/add-local-measure.js";
import { getCascadePlan, getRegionalView, listPendingForwardings, organisationsAround } from "../services/cascade/cascade-views.js";
import { derivePlan } from "../services/cascade/derive-plan.js";
import { forwardPlan } from "../services/cascade/forward-plan.js";
import { authedProcedure, coordinatorProcedure, router } from "../trpc.js";
import { planIdSchema } from "./catalog.js";

const organisationIdSchema = z.string().regex(/^(CN|\d{6})$/, "An organisation is CN or its six-digit division code.");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Write the date as YYYY-MM-DD.");

export const forwardPlanInputSchema = z.object({
  planId: planIdSchema,
  to: z.array(organisationIdSchema).min(1).max(5000),
  /** Absent: the whole plan. */
  measureNumbers: z.array(z.number().int().positive()).min(1).max(1000).optional(),
  planDeadline: isoDate,
});

export const addLocalMeasureInputSchema = z.object({
  planId: planIdSchema,
  title: z.string().trim().min(1).max(200),
  text: z.string().trim().min(1).max(20_000),
  dueDate: dueDateSchema,
});

export const cascadeRouter = router({
  /** The caller's organisation, its parent, its children (whom it forwards to) and its member departments. */
  organisations: authedProcedure.query(({ ctx }) => organisationsAround(ctx.db, ctx.user)),
  forward: coordinatorProcedure
    .input(forwardPlanInputSchema)
    .mutation(({ ctx, input }) => runMutation(ctx, "cascade.forward", input, () => writeTransaction(ctx.db, (tx) => forwardPlan(tx, ctx.user, input, ctx.now())))),
  /** The caller's organisation's forwardings not yet taken into a plan (its inbox of 转发 items). */
  pending: authedProcedure.query(({ ctx }) => listPendingForwardings(ctx.db, ctx.user)),
  derive: coordinatorProcedure
    .input(z.object({ forwardingId: z.number().int().positive() }))
    .mutation(({ ctx, input }) => runMutation(ctx, "cascade.derive", input, () => writeTransaction(ctx.db, (tx) => derivePlan(tx, ctx.user, input, ctx.now())))),
  addLocalMeasure: coordinatorProcedure
    .input(addLocalMeasureInputSchema)
    .mutation(({ ctx, input }) =>
      runMutation(ctx, "cascade.addLocalMeasure", input, () => writeTransaction(ctx.db, (tx) => addLocalMeasure(tx, ctx.user, input, ctx.now()))),
    ),
  /** Measure × child organisation of a plan of the caller's organisation or below (the drill-down). */
  regionalView: authedProcedure.input(z.object({ planId: planIdSchema })).query(({ ctx, input }) => getRegionalView(ctx.db, ctx.user, input.planId, ctx.now())),
  /** A plan by the caller's organisation's access: own (full), the parent's forwarded to it (read-only), below (progress). */
  plan: authedProcedure.input(z.object({ planId: planIdSchema })).query(({ ctx, input }) => getCascadePlan(ctx.db, ctx.user, input.planId, ctx.now())),
});
