import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { FastifyReply } from "fastify";
import { describeError, toTRPCError } from "./errors.js";
import type { ServiceError } from "./errors.js";

/**
 * A service's refusal from a plain HTTP route (exports, attachments, the compiled round report), in the shape tRPC
 * clients read from `/trpc`: `{ error: { message, data: { code, httpStatus, refusalCode, field, retryAfterSeconds? } } }`,
 * the HTTP status tRPC would give the code, `Retry-After` when the refusal has one, and never cached.
 */
export function sendServiceError(reply: FastifyReply, error: ServiceError): FastifyReply {
  const trpcError = toTRPCError(error);
  const httpStatus = getHTTPStatusCodeFromError(trpcError);
  const detail = describeError(trpcError);
  const retry = error.retryAfterSeconds;
  if (retry !== null) reply.header("Retry-After", String(retry));
  return reply
    .code(httpStatus)
    .header("Cache-Control", "no-store")
    .send({
      error: {
        message: detail.message,
        data: { code: trpcError.code, httpStatus, refusalCode: detail.refusalCode, field: detail.field, ...(retry === null ? {} : { retryAfterSeconds: retry }) },
      },
    });
}
