import { z } from "zod";
import { assignmentStatuses, departmentCodeSchema, latenessLevels } from "@countersign/domain";
import { inboxMaxLimit, inboxPlans, listInbox } from "../services/inbox/list-inbox.js";
import { inboxMarkCount } from "../services/inbox/notices.js";
import { readAssignment } from "../services/notifications/read-state.js";
import { runSeamMutation } from "../security/idempotency.js";
import { authedProcedure, router } from "../trpc.js";
import { planIdSchema } from "./catalog.js";

export const inboxListInputSchema = z
  .object({
    planId: planIdSchema.optional(),
    /** A department code, or null for all departments (coordinator, observer, admin). */
    department: departmentCodeSchema.nullable().optional(),
    status: z.enum(assignmentStatuses).optional(),
    lateness: z.enum(latenessLevels).optional(),
    search: z.string().max(200).optional(),
    /** Only what waits for the department leader's approval (the leader's queue). */
    awaitingApproval: z.boolean().optional(),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(inboxMaxLimit).optional(),
  })
  .default({});

export const inboxRouter = router({
  list: authedProcedure
    .input(inboxListInputSchema)
    .query(({ ctx, input }) => ctx.store.read((repos) => listInbox(repos, ctx.user, input, ctx.now()))),
  /** The plans with the department's open or unread work, newest first, with open, overdue and unread counts. */
  plans: authedProcedure
    .input(z.object({ department: departmentCodeSchema.nullable().optional() }).default({}))
    .query(({ ctx, input }) => ctx.store.read((repos) => inboxPlans(repos, ctx.user, input.department, ctx.now()))),
  /** How many of the caller's department's assignments carry an unread mark in the inbox (the navigation shows `notification.unreadCount`). */
  unreadCount: authedProcedure.query(async ({ ctx }) => ({ unread: await ctx.store.read((repos) => inboxMarkCount(repos, ctx.user)) })),
  /**
   * The caller opened the assignment: its notices in the caller's notification centre are read and, for the
   * department's liaison, the inbox's mark (notifications/read-state.ts); answers the navigation's unread count. Idempotent.
   */
  markRead: authedProcedure
    .input(z.object({ assignmentId: z.number().int().positive() }))
    .mutation(({ ctx, input }) =>
      runSeamMutation(ctx, "inbox.markRead", input, async (tx) => ({
        value: await readAssignment(tx.repos, ctx.user, input.assignmentId, ctx.now()),
        change: null,
      })),
    ),
});
