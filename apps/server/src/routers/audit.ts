import { z } from "zod";
import { verifyStoredAuditTrail } from "../security/audit-verification.js";
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
    .query(({ ctx, input }) => ctx.store.read((repos) => listAudit(repos, ctx.user, input))),

  /**
   * Whether the audit trail verifies, naming the first divergence of each kind (for the tracking page). By default
   * incremental: only the events after the last point this server verified; `full: true` walks the whole chain and
   * replays every assignment's state.
   */
  verify: authedProcedure.input(z.object({ full: z.boolean().optional() }).optional()).query(async ({ ctx, input }) => {
    requireRole(ctx.user, ["coordinator", "observer", "admin"], "verify the whole audit trail");
    return verifyStoredAuditTrail(ctx.store, ctx.now(), { full: input?.full === true });
  }),
});
