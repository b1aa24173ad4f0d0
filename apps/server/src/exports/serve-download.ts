import { TRPCError } from "@trpc/server";
import type { FastifyReply, FastifyRequest } from "fastify";
import { createRequestContext } from "../context.js";
import type { ServerDeps } from "../context.js";
import { ServiceError } from "../errors.js";
import { sendProcedureError, sendServiceError } from "../http-refusal.js";
import { exportRetryAfterSeconds, maxConcurrentExportsPerAccount } from "../security/work-bounds.js";
import type { PerAccountSlots } from "../security/work-bounds.js";
import { createDownloadCaller } from "./download-router.js";
import type { DownloadFile } from "./download-router.js";

type DownloadCaller = ReturnType<typeof createDownloadCaller>;

/**
 * Serves one download through its procedure: the request's context as `/trpc` builds it (session cookie → user),
 * the procedure's schema and middlewares, and its refusal answered as `/trpc` answers one (`sendProcedureError`).
 * At most `maxConcurrentExportsPerAccount` downloads of one account render at once (`running`); more get 429.
 * `path` is the procedure's, for the error's `data.path` and the log.
 */
export async function serveDownload(
  deps: ServerDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  running: PerAccountSlots,
  path: string,
  call: (caller: DownloadCaller) => Promise<DownloadFile>,
): Promise<FastifyReply> {
  const ctx = await createRequestContext(deps, req, reply);
  // Signed out: the procedure refuses it as the API does; no place is taken.
  const release = ctx.user === null ? () => undefined : running.take(ctx.user.id);
  if (release === null) {
    return sendServiceError(
      reply,
      new ServiceError(
        "too_many_exports",
        `This account already has ${maxConcurrentExportsPerAccount} exports running; try again when one has finished.`,
        { retryAfterSeconds: exportRetryAfterSeconds },
      ),
    );
  }
  try {
    const file = await call(createDownloadCaller(ctx));
    return reply
      .header("Content-Type", file.contentType)
      .header("Content-Disposition", file.disposition)
      .header("Cache-Control", "private, no-store")
      .send(file.body);
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    if (error.code === "INTERNAL_SERVER_ERROR") req.log.error({ err: error, path }, "download: internal error");
    return sendProcedureError(reply, error, path, ctx);
  } finally {
    release();
  }
}
