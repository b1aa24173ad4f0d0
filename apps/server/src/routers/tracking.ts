import { z } from "zod";
import { listOverdue } from "../services/tracking/list-overdue.js";
import { trackingOverview } from "../services/tracking/tracking-overview.js";
import { authedProcedure, router } from "../trpc.js";
import { planIdSchema } from "./catalog.js";

export const trackingRouter = router({
  overview: authedProcedure
    .input(z.object({ planId: planIdSchema }))
    .query(({ ctx, input }) => trackingOverview(ctx.db, ctx.user, input.planId, ctx.now())),
  overdue: authedProcedure
    .input(z.object({ planId: planIdSchema }))
    .query(({ ctx, input }) => listOverdue(ctx.db, ctx.user, input.planId, ctx.now())),
});
