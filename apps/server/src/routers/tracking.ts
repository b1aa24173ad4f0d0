import { z } from "zod";
import { defaultTrendWeeks } from "@countersign/domain";
import { listOverdue } from "../services/tracking/list-overdue.js";
import { trackingOverview } from "../services/tracking/tracking-overview.js";
import { getTrackingTrend } from "../services/tracking/tracking-trend.js";
import { authedProcedure, router } from "../trpc.js";
import { planIdSchema } from "./catalog.js";

export const trackingRouter = router({
  overview: authedProcedure
    .input(z.object({ planId: planIdSchema }))
    .query(({ ctx, input }) => ctx.store.read((repos) => trackingOverview(repos, ctx.user, input.planId, ctx.now()))),
  overdue: authedProcedure
    .input(z.object({ planId: planIdSchema }))
    .query(({ ctx, input }) => ctx.store.read((repos) => listOverdue(repos, ctx.user, input.planId, ctx.now()))),
  /** Open vs done per week and each department's on-time rate, from the audit trail (the tracking page's charts). */
  trend: authedProcedure
    .input(z.object({ planId: planIdSchema, weeks: z.number().int().min(1).max(260).default(defaultTrendWeeks) }))
    .query(({ ctx, input }) => ctx.store.read((repos) => getTrackingTrend(repos, ctx.user, input.planId, input.weeks, ctx.now()))),
});
