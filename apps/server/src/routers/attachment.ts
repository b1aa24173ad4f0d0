import { z } from "zod";
import { listAttachments } from "../services/attachments/read-attachment.js";
import { authedProcedure, router } from "../trpc.js";

/** Attachments' records (the bytes go over plain HTTP: attachments/routes.ts). */
export const attachmentRouter = router({
  /** The files of one assignment the caller may see (its department's, or all for those who read every department). */
  list: authedProcedure
    .input(z.object({ assignmentId: z.number().int().positive() }))
    .query(({ ctx, input }) => listAttachments(ctx.db, ctx.user, input.assignmentId)),
});
