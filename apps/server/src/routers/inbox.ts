import { z } from "zod";
import { assignmentStatuses, departmentCodeSchema, latenessLevels } from "@countersign/domain";
import { inboxMaxLimit, listInbox } from "../services/inbox/list-inbox.js";
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
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(inboxMaxLimit).optional(),
  })
  .default({});

export const inboxRouter = router({
  list: authedProcedure.input(inboxListInputSchema).query(({ ctx, input }) => listInbox(ctx.db, ctx.user, input, ctx.now())),
});
