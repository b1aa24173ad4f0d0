import { z } from "zod";
import {
  addSupportingInputSchema,
  addTranslationInputSchema,
  changeDeadlineInputSchema,
  changeLeadInputSchema,
  departmentCodeSchema,
  dueDateSchema,
  removeSupportingInputSchema,
  withdrawPlanInputSchema,
} from "@countersign/domain";
import { addTranslation } from "../services/plan/add-translation.js";
import { runSeamMutation } from "../security/idempotency.js";
import { localPlanChecksIn } from "../services/cascade/local-plan-rules.js";
import { outboundChannelsFor } from "../services/notifications/notify.js";
import { addSupporting, changeDeadline, changeMeasureLead, removeSupporting, withdrawWholePlan } from "../services/plan/change-after-issue.js";
import { issuePlanIn } from "../services/plan/issue-plan.js";
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
  /** Confirms a deadline before today on purpose (otherwise refused as `deadline_in_past`). */
  backdated: z.boolean().optional(),
});

export const planRouter = router({
  ...planImportProcedures,
  setResponsibilities: coordinatorProcedure
    .input(setResponsibilitiesInputSchema)
    .mutation(({ ctx, input }) => {
      const now = ctx.now();
      return runSeamMutation(ctx, "plan.setResponsibilities", input, (tx) => setResponsibilities(tx, ctx.user, input, now, localPlanChecksIn(tx.repos, ctx.user, now)));
    }),
  issue: coordinatorProcedure
    .input(issuePlanInputSchema)
    .mutation(({ ctx, input }) => {
      const now = ctx.now();
      const outbound = outboundChannelsFor(ctx);
      return runSeamMutation(ctx, "plan.issue", input, (tx) => issuePlanIn(tx, ctx.user, input, now, { local: localPlanChecksIn(tx.repos, ctx.user, now), outbound }));
    }),
  /** Adds the plan's text in its other language, aligned with its measures by number (see services/plan/add-translation.ts). */
  addTranslation: coordinatorProcedure
    .input(addTranslationInputSchema)
    .mutation(({ ctx, input }) => {
      const now = ctx.now();
      return runSeamMutation(ctx, "plan.addTranslation", input, (tx) => addTranslation(tx, ctx.user, input, now));
    }),
  // Changes after issue: each one unit of work on the store seam (read → the domain's plan-change rule → one change set and its audit).
  changeDeadline: coordinatorProcedure
    .input(changeDeadlineInputSchema)
    .mutation(({ ctx, input }) => {
      const now = ctx.now();
      const deps = { outbound: outboundChannelsFor(ctx) };
      return runSeamMutation(ctx, "plan.changeDeadline", input, (tx) => changeDeadline(tx, ctx.user, input, now, deps));
    }),
  addSupporting: coordinatorProcedure
    .input(addSupportingInputSchema)
    .mutation(({ ctx, input }) => {
      const now = ctx.now();
      const deps = { outbound: outboundChannelsFor(ctx) };
      return runSeamMutation(ctx, "plan.addSupporting", input, (tx) => addSupporting(tx, ctx.user, input, now, deps));
    }),
  removeSupporting: coordinatorProcedure
    .input(removeSupportingInputSchema)
    .mutation(({ ctx, input }) => {
      const now = ctx.now();
      const deps = { outbound: outboundChannelsFor(ctx) };
      return runSeamMutation(ctx, "plan.removeSupporting", input, (tx) => removeSupporting(tx, ctx.user, input, now, deps));
    }),
  changeLead: coordinatorProcedure
    .input(changeLeadInputSchema)
    .mutation(({ ctx, input }) => {
      const now = ctx.now();
      const deps = { outbound: outboundChannelsFor(ctx) };
      return runSeamMutation(ctx, "plan.changeLead", input, (tx) => changeMeasureLead(tx, ctx.user, input, now, deps));
    }),
  withdraw: coordinatorProcedure
    .input(withdrawPlanInputSchema)
    .mutation(({ ctx, input }) => {
      const now = ctx.now();
      const deps = { outbound: outboundChannelsFor(ctx) };
      return runSeamMutation(ctx, "plan.withdraw", input, (tx) => withdrawWholePlan(tx, ctx.user, input, now, deps));
    }),
});
