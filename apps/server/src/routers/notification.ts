import { z } from "zod";
import { listDeliveries, listNotifications } from "../services/notifications/list-notifications.js";
import { markNotificationsRead, unreadCount } from "../services/notifications/read-state.js";
import { runSeamMutation } from "../security/idempotency.js";
import { authedProcedure, router } from "../trpc.js";

/** The in-app notification centre, and the outbound delivery log for administrators. */
export const notificationRouter = router({
  list: authedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(30), before: z.number().int().positive().nullable().default(null) }))
    .query(({ ctx, input }) => ctx.store.read((repos) => listNotifications(repos, ctx.user, input.limit, input.before))),
  unreadCount: authedProcedure.query(({ ctx }) => ctx.store.read((repos) => unreadCount(repos, ctx.user))),
  /** Marks the given notices read, or all of the caller's when `ids` is null (the inbox's marks of those assignments too); answers the unread count. */
  markRead: authedProcedure
    .input(z.object({ ids: z.array(z.number().int().positive()).max(500).nullable() }))
    .mutation(({ ctx, input }) =>
      runSeamMutation(ctx, "notification.markRead", input, async (tx) => ({
        value: await markNotificationsRead(tx.repos, ctx.user, input.ids, ctx.now()),
        change: null,
      })),
    ),
  deliveries: authedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => ctx.store.read((repos) => listDeliveries(repos, ctx.user, input.limit))),
});
