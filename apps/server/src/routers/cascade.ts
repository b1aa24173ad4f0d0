/**
 * Down the levels (issue 16): forward a plan to the level below, a receiving office's pending forwardings, derive its
 * implementation plan, add local measures, the regional view with its drill-down, and a plan as the caller's
 * organisation may see it. Thin procedures over services/cascade on the store seam (either engine): each mutation is
 * one unit of work with its audit (`runSeamMutation`), each query reads committed state (`ctx.store.read`).
 * Division and issue of a derived plan go through plan.setResponsibilities and plan.issue.
 */
import { z } from "zod";
import { dueDateSchema, importFileSchema, importTextSchema } from "@countersign/domain";
import { runSeamMutation } from "../security/idempotency.js";
import { addLocalMeasure } from "../services/cascade/add-local-measure.js";
import { getCascadePlan, getRegionalView, listPendingForwardings, organisationsAround } from "../services/cascade/cascade-views.js";
import { deriveFromDocument, parseLocalDocument, previewFromDocument } from "../services/cascade/derive-from-document.js";
import { derivePlan } from "../services/cascade/derive-plan.js";
import { defaultRunner } from "../services/plan/import-plan.js";
import { forwardPlan } from "../services/cascade/forward-plan.js";
import { outboundChannelsFor } from "../services/notifications/notify.js";
import { authedProcedure, coordinatorProcedure, router } from "../trpc.js";
import { planIdSchema } from "./catalog.js";

const organisationIdSchema = z.string().regex(/^(CN|\d{6})$/, "An organisation is CN or its six-digit division code.");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Write the date as YYYY-MM-DD.");

export const forwardPlanInputSchema = z.object({
  planId: planIdSchema,
  to: z.array(organisationIdSchema).min(1).max(5000),
  /** Absent: the whole plan. */
  measureNumbers: z.array(z.number().int().positive()).min(1).max(1000).optional(),
  planDeadline: isoDate,
});

export const addLocalMeasureInputSchema = z.object({
  planId: planIdSchema,
  title: z.string().trim().min(1).max(200),
  text: z.string().trim().min(1).max(20_000),
  dueDate: dueDateSchema,
});

/** The office's own document that implements a forwarding: its text pasted, or a file (.txt, .docx … as plan.import takes). */
export const localDocumentInputSchema = z
  .object({
    forwardingId: z.number().int().positive(),
    text: importTextSchema.optional(),
    file: importFileSchema.optional(),
    /**
     * Decisions for the names the preview lists as not recognised (`unrecognised`): the document measure's number,
     * the name as printed, and the member department it means, or null to leave it out knowingly.
     */
    departmentChoices: z
      .array(
        z.object({
          measure: z.number().int().positive().max(10_000),
          name: z.string().trim().min(1).max(100),
          department: z.string().trim().min(1).max(100).nullable(),
        }),
      )
      .max(1000)
      .optional(),
  })
  .superRefine((input, ctx) => {
    if ((input.text === undefined) === (input.file === undefined)) {
      ctx.addIssue({ code: "custom", path: ["text"], message: "Paste the text of your document, or upload a file: one of them." });
    }
  });

/**
 * Each cascade mutation reads, decides and writes rows no version guards (a measure forwarded once per child, a
 * forwarding taken in once, the next measure number), so on PostgreSQL it runs serializable: of two racing acts that
 * together would break a rule, one is retried and then refused by the domain. SQLite is serializable anyway.
 */
const decides = { isolation: "serializable" } as const;

export const cascadeRouter = router({
  /** The caller's organisation, its parent, its children (whom it forwards to) and its member departments. */
  organisations: authedProcedure.query(({ ctx }) => ctx.store.read((repos) => organisationsAround(repos, ctx.user))),
  forward: coordinatorProcedure.input(forwardPlanInputSchema).mutation(({ ctx, input }) => {
    const now = ctx.now();
    const deps = { outbound: outboundChannelsFor(ctx) };
    return runSeamMutation(ctx, "cascade.forward", input, (tx) => forwardPlan(tx, ctx.user, input, now, deps), decides);
  }),
  /** The caller's organisation's forwardings not yet taken into a plan (its inbox of 转发 items). */
  pending: authedProcedure.query(({ ctx }) => ctx.store.read((repos) => listPendingForwardings(repos, ctx.user))),
  derive: coordinatorProcedure.input(z.object({ forwardingId: z.number().int().positive() })).mutation(({ ctx, input }) => {
    const now = ctx.now();
    return runSeamMutation(ctx, "cascade.derive", input, (tx) => derivePlan(tx, ctx.user, input, now), decides);
  }),
  /**
   * What deriving from the office's own document (its 实施方案) would make: each of its measures matched to the
   * forwarded measure it implements (with the reason), local ones, those it leaves out, the division it states.
   * Saves nothing; a mutation because the document is too long for a URL.
   */
  matchDocument: coordinatorProcedure.input(localDocumentInputSchema).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const document = await parseLocalDocument(ctx.store, ctx.user, input, ctx.importRunner ?? defaultRunner());
    return previewFromDocument(ctx.store, ctx.user, input.forwardingId, document, now, input.departmentChoices ?? []);
  }),
  /** Derives the implementation plan from the office's own document, as previewed: one unit of work with its audit. */
  deriveFromDocument: coordinatorProcedure.input(localDocumentInputSchema).mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    // Parsed before the unit of work (in the import's worker): a unit of work may run twice and holds its connection.
    const document = await parseLocalDocument(ctx.store, ctx.user, input, ctx.importRunner ?? defaultRunner());
    return runSeamMutation(ctx, "cascade.deriveFromDocument", input, (tx) => deriveFromDocument(tx, ctx.user, input.forwardingId, document, now, input.departmentChoices ?? []), decides);
  }),
  addLocalMeasure: coordinatorProcedure.input(addLocalMeasureInputSchema).mutation(({ ctx, input }) => {
    const now = ctx.now();
    return runSeamMutation(ctx, "cascade.addLocalMeasure", input, (tx) => addLocalMeasure(tx, ctx.user, input, now), decides);
  }),
  /** Measure × child organisation of a plan of the caller's organisation or below (the drill-down). */
  regionalView: authedProcedure
    .input(z.object({ planId: planIdSchema }))
    .query(({ ctx, input }) => ctx.store.read((repos) => getRegionalView(repos, ctx.user, input.planId, ctx.now()))),
  /** A plan by the caller's organisation's access: own (full), the parent's forwarded to it (read-only), below (progress). */
  plan: authedProcedure
    .input(z.object({ planId: planIdSchema }))
    .query(({ ctx, input }) => ctx.store.read((repos) => getCascadePlan(repos, ctx.user, input.planId, ctx.now()))),
});
