import { z } from "zod";
import { auditMaxLimit, listAudit } from "../services/audit/list-audit.js";
import { authedProcedure, router } from "../trpc.js";
import { planIdSchema } from "./catalog.js";

export const auditRouter = router({
  list: authedProcedure
    .input(
      z
        .object({
          planId: planIdSchema.optional(),
          assignmentId: z.number().int().positive().optional(),
          cursor: z.number().int().positive().optional(),
          limit: z.number().int().min(1).max(auditMaxLimit).optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }) => listAudit(ctx.db, ctx.user, input)),
});
