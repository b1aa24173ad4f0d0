import { z } from "zod";
import { verifyAuditTrail } from "../security/audit-verification.js";
import { auditMaxLimit, listAudit } from "../services/audit/list-audit.js";
import { requireRole } from "../services/shared/acting-user.js";
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

  /** Whether the hash chain of the whole trail verifies, naming the first broken event (for the tracking page). */
  verify: authedProcedure.query(({ ctx }) => {
    requireRole(ctx.user, ["coordinator", "observer", "admin"], "verify the whole audit trail");
    return verifyAuditTrail(ctx.db, ctx.now());
  }),
});
