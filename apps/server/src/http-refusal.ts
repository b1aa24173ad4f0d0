import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { TRPCError } from "@trpc/server";
import type { FastifyReply } from "fastify";
import type { Context } from "./context.js";
import { ServiceError, toTRPCError } from "./errors.js";
import { errorShapeOf } from "./trpc.js";

/**
 * A failed procedure call from a plain HTTP route (exports, attachments, the compiled round report), answered exactly
 * as `/trpc` answers it: tRPC's HTTP status for the code, the body `{ error: { message, code, data } }` from the
 * API's error formatter (trpc.ts), `Retry-After` when the refusal has one, and never cached.
 */
export function sendProcedureError(reply: FastifyReply, error: TRPCError, path: string | null, ctx?: Context): FastifyReply {
  const httpStatus = getHTTPStatusCodeFromError(error);
  const retry = error.cause instanceof ServiceError ? error.cause.retryAfterSeconds : null;
  if (retry !== null) reply.header("Retry-After", String(retry));
  return reply.code(httpStatus).header("Cache-Control", "no-store").send({ error: errorShapeOf(error, path, ctx) });
}

/** A service's refusal from a plain HTTP route, through `sendProcedureError`. */
export function sendServiceError(reply: FastifyReply, error: ServiceError): FastifyReply {
  return sendProcedureError(reply, toTRPCError(error), null);
}
