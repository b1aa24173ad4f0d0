/**
 * `GET /export/round/:roundId.docx|pdf?lang=zh|en`: the compiled report of a reporting round, for those who read
 * every department. Plain HTTP so that a link downloads it; the session cookie authenticates, as for /export.
 */
import type { FastifyInstance } from "fastify";
import type { ServerDeps } from "../context.js";
import { ServiceError, toTRPCError } from "../errors.js";
import { sendServiceError } from "../http-refusal.js";
import { recordRefusedAccess } from "../services/audit/record-refusal.js";
import { resolveSession } from "../services/auth/resolve-session.js";
import { sessionCookieName } from "../services/auth/session-policy.js";
import { compileRound } from "../services/rounds/compile-round.js";
import { maxConcurrentExportsPerAccount, PerAccountSlots } from "../security/work-bounds.js";
import { attachmentDisposition } from "./content-disposition.js";


const contentTypes = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
} as const;

export function registerRoundExportRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const running = new PerAccountSlots(maxConcurrentExportsPerAccount);
  app.get<{ Params: { file: string }; Querystring: { lang?: string } }>("/export/round/:file", async (req, reply) => {
    const match = /^(\d{1,12})\.(docx|pdf)$/.exec(req.params.file);
    if (match === null) return reply.code(404).send({ error: { message: "Ask for /export/round/<round id>.docx or .pdf." } });
    const roundId = Number(match[1]);
    const format = match[2] === "pdf" ? "pdf" : "docx";
    const lang = req.query.lang === "en" ? "en" : req.query.lang === undefined || req.query.lang === "zh" ? "zh" : null;
    if (lang === null) return sendServiceError(reply, new ServiceError("invalid_input", "lang must be zh or en.", { field: "lang" }));
    const now = deps.now();
    const token = req.cookies[sessionCookieName];
    const session = token === undefined ? null : resolveSession(deps.db, token, deps.sessionPolicy, now);
    if (session === null) return sendServiceError(reply, new ServiceError("unauthenticated", "Sign in to download exports."));
    const release = running.take(session.user.id);
    if (release === null) return sendServiceError(reply, new ServiceError("too_many_exports", "Another export of yours is running; try again when it has finished.", { retryAfterSeconds: 5 }));
    try {
      const compiled = compileRound(deps.db, session.user, roundId, lang, now);
      const { renderRoundDocx, renderRoundPdf } = await import("@countersign/exports");
      const body = format === "pdf" ? await renderRoundPdf(compiled, lang) : await renderRoundDocx(compiled, lang);
      const name = `${compiled.title}-${lang === "zh" ? "汇总报告" : "compiled-report"}.${format}`;
      return reply
        .header("Content-Type", contentTypes[format])
        .header("Content-Disposition", attachmentDisposition(name, `round-${roundId}-${lang}.${format}`))
        .header("Cache-Control", "private, no-store")
        .send(body);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      if (toTRPCError(error).code === "FORBIDDEN") {
        recordRefusedAccess(deps.db, session.user, { procedure: "GET /export/round", code: error.code, message: error.message, ip: req.ip }, now);
      }
      return sendServiceError(reply, error);
    } finally {
      release();
    }
  });
}
