import { z } from "zod";
import { runSeamMutation } from "../security/idempotency.js";
import { listAttachments } from "../services/attachments/read-attachment.js";
import { supersedeAttachment } from "../services/attachments/supersede-attachment.js";
import { authedProcedure, router } from "../trpc.js";

/** Attachments' records (the bytes go over plain HTTP: attachments/routes.ts). */
export const attachmentRouter = router({
  /** The files of one assignment the caller may see (its department's, or all for those who read every department). */
  list: authedProcedure
    .input(z.object({ assignmentId: z.number().int().positive() }))
    .query(({ ctx, input }) => ctx.store.read((repos) => listAttachments(repos, ctx.user, input.assignmentId))),
  /** A file attached by mistake, superseded by a later one of the same department (never deleted; audited). */
  supersede: authedProcedure
    .input(z.object({ id: z.number().int().positive(), byId: z.number().int().positive(), reason: z.string().max(2000) }))
    .mutation(({ ctx, input }) =>
      runSeamMutation(ctx, "attachment.supersede", input, async (tx) => ({
        value: await supersedeAttachment(tx, ctx.user, input, ctx.now()),
        change: null,
      })),
    ),
});
