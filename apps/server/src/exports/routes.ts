/**
 * Authenticated downloads: GET /export/{matrix.xlsx, matrix.csv, matrix.pdf, division.xlsx, division.pdf,
 * progress.xlsx, progress.pdf}?plan=&department=&lang=zh|en&status=1&asOf=YYYY-MM-DD.
 * Plain HTTP rather than tRPC so that a link (`<a href download>`) works; the session cookie authenticates. Each is
 * the procedure `export.file` (download-router.ts), called with the request's context and answered by
 * serve-download.ts: session, validation and refusals exactly as the API's.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ServerDeps } from "../context.js";
import { maxConcurrentExportsPerAccount, PerAccountSlots } from "../security/work-bounds.js";
import { exportBuilderLoaded } from "./download-router.js";
import { exportFiles } from "./export-files.js";
import { exportInputOfQuery } from "./export-query.js";
import { serveDownload } from "./serve-download.js";

export function registerExportRoutes(app: FastifyInstance, deps: ServerDeps): void {
  // Renders run two at a time for the whole server (the PDF renderer's pages); without a per-account bound one
  // account's flood queues ahead of everyone else's export (issue 18, kind 8).
  const running = new PerAccountSlots(maxConcurrentExportsPerAccount);
  // The PDF renderer's browser lives as long as the server; there is none to close if nothing was exported.
  app.addHook("onClose", async () => {
    if (!exportBuilderLoaded()) return;
    const { closePdfRenderer } = await import("@countersign/exports");
    await closePdfRenderer();
  });

  app.get("/export/:file", async (req: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const file = req.params.file;
    // Which files exist is routing, as a URL that names none is 404 anywhere on the server.
    if (!Object.hasOwn(exportFiles, file)) {
      return reply.code(404).send({ error: { message: `Nothing to export as ${file}; try one of ${Object.keys(exportFiles).join(", ")}.` } });
    }
    const input = { ...exportInputOfQuery((req.query ?? {}) as Record<string, unknown>), file };
    return serveDownload(deps, req, reply, running, "export.file", (caller) => caller.export.file(input as Parameters<typeof caller.export.file>[0]));
  });
}
