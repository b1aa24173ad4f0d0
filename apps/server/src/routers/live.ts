import { tracked } from "@trpc/server";
import { z } from "zod";
import { sessionIsLive } from "../services/auth/resolve-session.js";
import { hearsOfPlan } from "../services/cascade/boundary.js";
import { readsAllDepartments } from "../services/shared/acting-user.js";
import { narrowedForHandler } from "../services/shared/handler-reach.js";
import type { LiveMessage } from "../services/shared/live-change.js";
import { authedProcedure, router } from "../trpc.js";
import { planIdSchema } from "./catalog.js";

export const liveRouter = router({
  /**
   * Server-sent events (tRPC `httpSubscriptionLink`): one message per committed change the caller may see, to
   * refetch what it shows. A liaison hears of changes on the measures their department shares; a handler only of
   * changes to the assignments in their scope (handed to them or to their division), narrowed to those. Each message has an
   * id (`tracked`); a client that reconnects sends the last one back as `lastEventId` and gets the changes it
   * missed, or one `{ type: "resync" }` when they are no longer known (see LiveBus).
   */
  changes: authedProcedure
    .input(z.object({ planId: planIdSchema.optional(), lastEventId: z.string().max(100).nullish() }).default({}))
    .subscription(async function* ({ ctx, input, signal }) {
      const user = ctx.user;
      for await (const delivery of ctx.live.listen(signal, input.lastEventId)) {
        const sessionId = ctx.sessionId;
        const now = ctx.now();
        if (sessionId === null || !(await ctx.store.read((repos) => sessionIsLive(repos, sessionId, ctx.sessionPolicy, now)))) return;
        if (delivery.kind === "resync") {
          yield tracked(delivery.id, { type: "resync" } satisfies LiveMessage);
          continue;
        }
        const e = delivery.event.envelope;
        if (input.planId !== undefined && e.change.planId !== input.planId) continue;
        // A department's account hears only changes addressed to its department: decided first, without the database.
        const everyDepartment = readsAllDepartments(user);
        if (!everyDepartment && (user.department === null || !e.audience.includes(user.department))) continue;
        // Down the levels (issue 16): its organisation's plans, those below it and its parent's; never a sibling's.
        if (!(await ctx.store.read((repos) => hearsOfPlan(repos, user, e.change.planId)))) continue;
        if (everyDepartment) {
          yield tracked(delivery.event.id, { type: "change", ...e.change } satisfies LiveMessage);
          continue;
        }
        const change = narrowedForHandler(ctx.db, user, e.change);
        if (change !== null) yield tracked(delivery.event.id, { type: "change", ...change } satisfies LiveMessage);
      }
    }),
});

