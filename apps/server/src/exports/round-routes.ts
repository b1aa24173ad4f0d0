/**
 * `GET /export/round/:roundId.docx|pdf?lang=zh|en`: the compiled report of a reporting round, for those who read
 * every department. Plain HTTP so that a link downloads it; the session cookie authenticates, as for /export. It is
 * the procedure `export.round` (download-router.ts), answered by serve-download.ts as the API answers.
 */
import type { FastifyInstance } from "fastify";
import type { ServerDeps } from "../context.js";
import { maxConcurrentExportsPerAccount, PerAccountSlots } from "../security/work-bounds.js";
import { serveDownload } from "./serve-download.js";

export function registerRoundExportRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const running = new PerAccountSlots(maxConcurrentExportsPerAccount);
  app.get<{ Params: { file: string }; Querystring: Record<string, unknown> }>("/export/round/:file", async (req, reply) => {
    const match = /^(\d{1,12})\.(docx|pdf)$/.exec(req.params.file);
    if (match === null) return reply.code(404).send({ error: { message: "Ask for /export/round/<round id>.docx or .pdf." } });
    const lang = req.query["lang"];
    const input = { roundId: Number(match[1]), format: match[2], ...(lang === undefined || lang === "" ? {} : { lang }) };
    return serveDownload(deps, req, reply, running, "export.round", (caller) => caller.export.round(input as Parameters<typeof caller.export.round>[0]));
  });
}
