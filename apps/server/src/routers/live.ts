import { z } from "zod";
import { ServiceError } from "../errors.js";
import { maxLiveStreamsPerAccount } from "../security/work-bounds.js";
import { sessionIsLive } from "../services/auth/resolve-session.js";
import { readsAllDepartments } from "../services/shared/acting-user.js";
import type { LiveChange } from "../services/shared/live-change.js";
import { authedProcedure, router } from "../trpc.js";
import { planIdSchema } from "./catalog.js";

/**
 * At most `maxLiveStreamsPerAccount` open streams per account: the slot is taken before the stream starts (so the
 * refusal is a plain 429, not an event inside an open stream) and freed when the stream ends or the client leaves.
 */
const streamSlot = authedProcedure.use(({ ctx, next, signal }) => {
  // Without a bound set (createCaller tests), no cap; `buildApp` always sets one.
  const slots = ctx.liveStreams;
  const release = slots === undefined ? () => {} : slots.take(ctx.user.id);
  if (release === null) {
    throw new ServiceError(
      "too_many_streams",
      `This account already has ${maxLiveStreamsPerAccount} live update streams open; close a tab or window and reload.`,
    );
  }
  signal?.addEventListener("abort", release, { once: true });
  return next({ ctx: { releaseStream: release } });
});

export const liveRouter = router({
  /**
   * Server-sent events (tRPC `httpSubscriptionLink`): one message per committed change the caller may see, to
   * refetch what it shows. A liaison hears of changes on the measures their department shares.
   */
  changes: streamSlot
    .input(z.object({ planId: planIdSchema.optional() }).default({}))
    .subscription(async function* ({ ctx, input, signal }): AsyncGenerator<LiveChange> {
      const user = ctx.user;
      try {
        for await (const e of ctx.live.listen(signal)) {
          if (ctx.sessionId === null || !sessionIsLive(ctx.db, ctx.sessionId, ctx.sessionPolicy, ctx.now())) return;
          if (input.planId !== undefined && e.change.planId !== input.planId) continue;
          if (readsAllDepartments(user) || (user.department !== null && e.audience.includes(user.department))) yield e.change;
        }
      } finally {
        ctx.releaseStream();
      }
    }),
});
