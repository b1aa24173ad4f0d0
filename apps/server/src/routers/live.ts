import { z } from "zod";
import { sessionIsLive } from "../services/auth/resolve-session.js";
import { readsAllDepartments } from "../services/shared/acting-user.js";
import type { LiveChange } from "../services/shared/live-change.js";
import { authedProcedure, router } from "../trpc.js";
import { planIdSchema } from "./catalog.js";

export const liveRouter = router({
  /**
   * Server-sent events (tRPC `httpSubscriptionLink`): one message per committed change the caller may see, to
   * refetch what it shows. A liaison hears of changes on the measures their department shares.
   */
  changes: authedProcedure
    .input(z.object({ planId: planIdSchema.optional() }).default({}))
    .subscription(async function* ({ ctx, input, signal }): AsyncGenerator<LiveChange> {
      const user = ctx.user;
      for await (const e of ctx.live.listen(signal)) {
        if (ctx.sessionId === null || !sessionIsLive(ctx.db, ctx.sessionId, ctx.sessionPolicy, ctx.now())) return;
        if (input.planId !== undefined && e.change.planId !== input.planId) continue;
        if (readsAllDepartments(user) || (user.department !== null && e.audience.includes(user.department))) yield e.change;
      }
    }),
});
