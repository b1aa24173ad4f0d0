/**
 * The downloads as procedures: the same base procedure as the API (session check, refusal audit, busy retries,
 * well-formed text), the same zod schemas, the same error formatter and HTTP statuses. They answer a file, which
 * tRPC's JSON transport cannot carry, so they are not mounted at /trpc: the plain HTTP routes (routes.ts,
 * round-routes.ts) call them with the request's own context (`createRequestContext`) and send the file.
 */
import { z } from "zod";
import { assertWithinOrganisation } from "../services/cascade/boundary.js";
import { compileRound } from "../services/rounds/compile-round.js";
import { authedProcedure, createCallerFactory, router } from "../trpc.js";
import { attachmentDisposition } from "./content-disposition.js";
import { exportFiles } from "./export-files.js";
import type { ExportFileName } from "./export-files.js";
import { exportInputSchema, languageSchema, planIdOrDefault } from "./export-query.js";

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

/** True once an export has loaded the renderers (then the PDF renderer's browser may need closing). */
export function exportBuilderLoaded(): boolean {
  return exportBuilder !== null;
}

/** A file to send: its bytes, type and the Content-Disposition header naming it. */
export interface DownloadFile {
  contentType: string;
  disposition: string;
  body: Buffer | Uint8Array;
}

const fileNames = Object.keys(exportFiles) as [ExportFileName, ...ExportFileName[]];

export const exportFileInputSchema = exportInputSchema.extend({ file: z.enum(fileNames) });

export const roundExportInputSchema = z.object({
  roundId: z.number().int().positive(),
  format: z.enum(["docx", "pdf"]),
  lang: languageSchema.default("zh"),
});

const roundContentTypes = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
} as const;

export const downloadRouter = router({
  export: router({
    /** `GET /export/:file`: a plan's matrix, task-division table or progress report. */
    file: authedProcedure.input(exportFileInputSchema).query(async ({ ctx, input }): Promise<DownloadFile> => {
      // Down the levels (issue 16): the plan exported, also the default one, and the department are the caller's
      // organisation's (the base procedure checked only what the query named).
      const planId = await ctx.store.read(async (repos) => {
        const id = await planIdOrDefault(repos, input.planId);
        await assertWithinOrganisation(repos, ctx.user, "export.file", { planId: id, department: input.department ?? null });
        return id;
      });
      const { buildExport } = await loadExportBuilder();
      const exported = await buildExport(
        ctx.store,
        ctx.user,
        {
          file: input.file,
          planId,
          department: input.department ?? null,
          lang: input.lang,
          withStatus: input.withStatus,
          asOf: input.asOf ?? null,
        },
        ctx.now(),
      );
      return { contentType: exported.contentType, disposition: attachmentDisposition(exported.filename, exported.asciiFilename), body: exported.body };
    }),
    /** `GET /export/round/:roundId.(docx|pdf)`: a reporting round's compiled report. */
    round: authedProcedure.input(roundExportInputSchema).query(async ({ ctx, input }): Promise<DownloadFile> => {
      const compiled = await ctx.store.read((repos) => compileRound(repos, ctx.user, input.roundId, input.lang, ctx.now()));
      const { renderRoundDocx, renderRoundPdf } = await import("@countersign/exports");
      const body = input.format === "pdf" ? await renderRoundPdf(compiled, input.lang) : await renderRoundDocx(compiled, input.lang);
      const name = `${compiled.title}-${input.lang === "zh" ? "汇总报告" : "compiled-report"}.${input.format}`;
      return {
        contentType: roundContentTypes[input.format],
        disposition: attachmentDisposition(name, `round-${input.roundId}-${input.lang}.${input.format}`),
        body,
      };
    }),
  }),
});

export const createDownloadCaller = createCallerFactory(downloadRouter);

