/**
 * Authenticated downloads: GET /export/{matrix.xlsx, matrix.csv, matrix.pdf, division.xlsx, division.pdf,
 * progress.xlsx, progress.pdf}?plan=&department=&lang=zh|en&status=1&asOf=YYYY-MM-DD.
 * Plain HTTP rather than tRPC so that a link (`<a href download>`) works; the session cookie authenticates.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ServerDeps } from "../context.js";
import { ServiceError, toTRPCError } from "../errors.js";
import { sendServiceError } from "../http-refusal.js";
import { recordRefusedAccess } from "../services/audit/record-refusal.js";
import { resolveSession } from "../services/auth/resolve-session.js";
import { sessionCookieName } from "../services/auth/session-policy.js";
import type { ActingUser } from "../services/shared/acting-user.js";
import type { ExportRequest } from "./build-export.js";
import { exportFiles } from "./export-files.js";
import type { ExportFileName } from "./export-files.js";
import { attachmentDisposition } from "./content-disposition.js";
import { exportQuerySchema, planIdOrDefault } from "./export-query.js";
import { assertWithinOrganisation } from "../services/cascade/boundary.js";
import { exportRetryAfterSeconds, maxConcurrentExportsPerAccount, PerAccountSlots } from "../security/work-bounds.js";


type ExportBuilder = typeof import("./build-export.js");

let exportBuilder: Promise<ExportBuilder> | null = null;

/**
 * The renderers (exceljs, playwright-core) take longer to load than the rest of the server: they are imported on the
 * first export request, once per process, so that start-up does not wait for them. A failed import is tried again.
 */
export function loadExportBuilder(): Promise<ExportBuilder> {
  exportBuilder ??= import("./build-export.js").catch((error: unknown) => {
    exportBuilder = null;
    throw error;
  });
  return exportBuilder;
}

export function registerExportRoutes(app: FastifyInstance, deps: ServerDeps): void {
  // Renders run two at a time for the whole server (the PDF renderer's pages); without a per-account bound one
  // account's flood queues ahead of everyone else's export (issue 18, kind 8).
  const running = new PerAccountSlots(maxConcurrentExportsPerAccount);
  // The PDF renderer's browser lives as long as the server; there is none to close if nothing was exported.
  app.addHook("onClose", async () => {
    if (exportBuilder === null) return;
    const { closePdfRenderer } = await import("@countersign/exports");
    await closePdfRenderer();
  });

  app.get("/export/:file", async (req: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const file = req.params.file;
    if (!Object.hasOwn(exportFiles, file)) {
      return reply.code(404).send({ error: { message: `Nothing to export as ${file}; try one of ${Object.keys(exportFiles).join(", ")}.` } });
    }
    const now = deps.now();
    const token = req.cookies[sessionCookieName];
    const session = token === undefined ? null : resolveSession(deps.db, token, deps.sessionPolicy, now);
    if (session === null) return sendServiceError(reply, new ServiceError("unauthenticated", "Sign in to download exports."));
    const user: ActingUser = session.user;

    // Empty parameters (`department=`) mean "not given", as a form would send them.
    const raw = Object.fromEntries(Object.entries((req.query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ""));
    const parsed = exportQuerySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join(".") ?? null;
      return sendServiceError(reply, new ServiceError("invalid_input", `${field ?? "query"}: ${issue?.message ?? "invalid"}`, field ? { field } : {}));
    }
    const q = parsed.data;
    const release = running.take(user.id);
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
      const request: ExportRequest = {
        file: file as ExportFileName,
        planId: planIdOrDefault(deps.db, q.plan),
        department: q.department ?? null,
        lang: q.lang,
        withStatus: q.status,
        asOf: q.asOf ?? null,
      };
      // Down the levels (issue 16): the plan and department exported are the caller's organisation's.
      assertWithinOrganisation(deps.db, user, "export", { planId: request.planId, department: request.department });
      const { buildExport } = await loadExportBuilder();
      const exported = await buildExport(deps.db, user, request, now);
      return reply
        .header("Content-Type", exported.contentType)
        .header("Content-Disposition", attachmentDisposition(exported.filename, exported.asciiFilename))
        .header("Cache-Control", "private, no-store")
        .send(exported.body);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      if (toTRPCError(error).code === "FORBIDDEN") {
        recordRefusedAccess(
          deps.db,
          user,
          { procedure: `GET /export/${file}`, code: error.code, message: error.message, planId: q.plan ?? null, ip: req.ip },
          now,
        );
      }
      return sendServiceError(reply, error);
    } finally {
      release();
    }
  });
}
