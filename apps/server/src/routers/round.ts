/**
 * Reporting rounds (定期调度): thin procedures over services/rounds, on the store seam (either engine). Each mutation
 * is one unit of work (`runSeamMutation`) passed down; the service records the change, its audit event and its
 * notices in it. Queries read committed state through `ctx.store.read`.
 */
import { z } from "zod";
import { maxRoundReportHeadingLength, roundRecurrences, roundReportStandings, roundReportStatuses } from "@countersign/domain";
import { runSeamMutation } from "../security/idempotency.js";
import { outboundChannelsFor } from "../services/notifications/notify.js";
import { actOnRoundReport } from "../services/rounds/act-on-round-report.js";
import type { ActOnRoundReportInput } from "../services/rounds/act-on-round-report.js";
import { closeRound } from "../services/rounds/close-round.js";
import { getRound, getRoundHeader, listRoundReports, listRounds, maxRoundReportsLimit } from "../services/rounds/get-round.js";
import { openRound } from "../services/rounds/open-round.js";
import { actOnLevelReport, getOwnLevelReport, listChildLevelReports, withdrawLevelReportFile } from "../services/rounds/level-reports.js";
import type { LevelReportActInput } from "../services/rounds/level-reports.js";
import type { Context } from "../context.js";
import type { ActingUser } from "../services/shared/acting-user.js";
import { authedProcedure, coordinatorProcedure, router } from "../trpc.js";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Write the date as YYYY-MM-DD.");
const heading = z.string().max(maxRoundReportHeadingLength);

export const openRoundInputSchema = z.object({
  planId: z.number().int().positive(),
  title: z.string().trim().min(1).max(200),
  periodStart: isoDate,
  periodEnd: isoDate,
  dueDate: isoDate,
  measureNumbers: z.array(z.number().int().positive()).max(500).default([]),
  departments: z.array(z.string().min(1).max(20)).max(500).default([]),
  recurrence: z.enum(roundRecurrences).default("none"),
});

const reportRef = { reportId: z.number().int().positive(), expectedVersion: z.number().int().positive() };
const textInput = z.object({ ...reportRef, progress: heading, problems: heading, nextSteps: heading });

function actOn(ctx: Context & { user: ActingUser }, procedure: string, input: ActOnRoundReportInput) {
  const channels = outboundChannelsFor(ctx);
  return runSeamMutation(ctx, `round.${procedure}`, input, async (tx) => ({
    value: await actOnRoundReport(tx, ctx.user, input, ctx.now(), channels),
    change: null,
  }));
}

const levelRef = { levelReportId: z.number().int().positive(), expectedVersion: z.number().int().positive() };
const levelText = z.object({ ...levelRef, progress: heading, problems: heading, nextSteps: heading });

function actOnLevel(ctx: Context & { user: ActingUser }, procedure: string, input: LevelReportActInput) {
  const channels = outboundChannelsFor(ctx);
  return runSeamMutation(ctx, `round.${procedure}`, input, async (tx) => ({
    value: await actOnLevelReport(tx, ctx.user, input, ctx.now(), channels),
    change: null,
  }));
}

export const roundRouter = router({
  list: authedProcedure
    .input(z.object({ planId: z.number().int().positive() }))
    .query(({ ctx, input }) => ctx.store.read((repos) => listRounds(repos, ctx.user, input.planId, ctx.now()))),
  // The whole round at once (kept for existing callers; a large round is read with header + reports).
  get: authedProcedure
    .input(z.object({ roundId: z.number().int().positive() }))
    .query(({ ctx, input }) => ctx.store.read((repos) => getRound(repos, ctx.user, input.roundId, ctx.now()))),
  // The round's summary and statistics (counted in the database) and the choices of the reports' filters.
  header: authedProcedure
    .input(z.object({ roundId: z.number().int().positive() }))
    .query(({ ctx, input }) => ctx.store.read((repos) => getRoundHeader(repos, ctx.user, input.roundId, ctx.now()))),
  // The round's reports a page at a time, in the compiled report's order, filtered.
  reports: authedProcedure
    .input(
      z.object({
        roundId: z.number().int().positive(),
        measureNumber: z.number().int().positive().optional(),
        department: z.string().min(1).max(20).optional(),
        standings: z.array(z.enum(roundReportStandings)).max(roundReportStandings.length).optional(),
        statuses: z.array(z.enum(roundReportStatuses)).max(roundReportStatuses.length).optional(),
        limit: z.number().int().min(1).max(maxRoundReportsLimit).optional(),
        cursor: z.string().max(300).optional(),
      }),
    )
    .query(({ ctx, input }) => ctx.store.read((repos) => listRoundReports(repos, ctx.user, input, ctx.now()))),

  open: coordinatorProcedure.input(openRoundInputSchema).mutation(({ ctx, input }) =>
    runSeamMutation(ctx, "round.open", input, async (tx) => ({
      value: await openRound(tx, ctx.user, input, ctx.now(), outboundChannelsFor(ctx)),
      change: null,
    })),
  ),
  close: coordinatorProcedure
    .input(z.object({ roundId: z.number().int().positive(), expectedVersion: z.number().int().positive() }))
    .mutation(({ ctx, input }) =>
      runSeamMutation(ctx, "round.close", input, async (tx) => ({
        value: await closeRound(tx, ctx.user, input.roundId, input.expectedVersion, ctx.now(), outboundChannelsFor(ctx)),
        change: null,
      })),
    ),

  // The department's accounts (liaison, handlers, leader): a draft, a submission (files go through
  // POST /attachments/round-report/:id); where the department requires it, a submission waits for the leader.
  saveDraft: authedProcedure.input(textInput).mutation(({ ctx, input }) =>
    actOn(ctx, "saveDraft", {
      reportId: input.reportId,
      expectedVersion: input.expectedVersion,
      action: { type: "saveDraft", progress: input.progress, problems: input.problems, nextSteps: input.nextSteps },
    }),
  ),
  submit: authedProcedure.input(textInput).mutation(({ ctx, input }) =>
    actOn(ctx, "submit", {
      reportId: input.reportId,
      expectedVersion: input.expectedVersion,
      action: { type: "submit", progress: input.progress, problems: input.problems, nextSteps: input.nextSteps },
    }),
  ),
  // The department's leader, where the department requires the leader's approval: approve (审核/签发; the report is
  // submitted then) or return it to the department with a reason.
  approve: authedProcedure
    .input(z.object(reportRef))
    .mutation(({ ctx, input }) => actOn(ctx, "approve", { reportId: input.reportId, expectedVersion: input.expectedVersion, action: { type: "approve" } })),
  reject: authedProcedure
    .input(z.object({ ...reportRef, reason: heading }))
    .mutation(({ ctx, input }) =>
      actOn(ctx, "reject", { reportId: input.reportId, expectedVersion: input.expectedVersion, action: { type: "reject", reason: input.reason } }),
    ),
  // The coordinator: return (退回) with a reason, remind (催报).
  return: authedProcedure
    .input(z.object({ ...reportRef, reason: heading }))
    .mutation(({ ctx, input }) =>
      actOn(ctx, "return", { reportId: input.reportId, expectedVersion: input.expectedVersion, action: { type: "return", reason: input.reason } }),
    ),
  remind: authedProcedure
    .input(z.object({ ...reportRef, message: heading.default("") }))
    .mutation(({ ctx, input }) =>
      actOn(ctx, "remind", { reportId: input.reportId, expectedVersion: input.expectedVersion, action: { type: "remind", message: input.message } }),
    ),

  // Down the levels (issue 16, point 3). The office's report upward from its own round (opened with the round above):
  // the report, what the compilation would carry up now, and the caller's allowed acts.
  levelReport: authedProcedure
    .input(z.object({ roundId: z.number().int().positive() }))
    .query(({ ctx, input }) => ctx.store.read((repos) => getOwnLevelReport(repos, ctx.user, input.roundId, ctx.now()))),
  // The level above: its children's reports to its round (signed-off text and compilation once submitted; else "not yet reported").
  childReports: authedProcedure
    .input(z.object({ roundId: z.number().int().positive() }))
    .query(({ ctx, input }) => ctx.store.read((repos) => listChildLevelReports(repos, ctx.user, input.roundId))),
  // The reporting office's coordinators write and submit it; it goes up once signed off (the office's coordinator, or
  // the host department's leader where that department requires its leader's approval); the office above returns it.
  levelSaveDraft: authedProcedure.input(levelText).mutation(({ ctx, input }) =>
    actOnLevel(ctx, "levelSaveDraft", {
      levelReportId: input.levelReportId,
      expectedVersion: input.expectedVersion,
      action: { type: "saveDraft", progress: input.progress, problems: input.problems, nextSteps: input.nextSteps },
    }),
  ),
  levelSubmit: authedProcedure.input(levelText).mutation(({ ctx, input }) =>
    actOnLevel(ctx, "levelSubmit", {
      levelReportId: input.levelReportId,
      expectedVersion: input.expectedVersion,
      action: { type: "submit", progress: input.progress, problems: input.problems, nextSteps: input.nextSteps },
    }),
  ),
  levelSignOff: authedProcedure
    .input(z.object(levelRef))
    .mutation(({ ctx, input }) => actOnLevel(ctx, "levelSignOff", { levelReportId: input.levelReportId, expectedVersion: input.expectedVersion, action: { type: "signOff" } })),
  levelReject: authedProcedure
    .input(z.object({ ...levelRef, reason: heading }))
    .mutation(({ ctx, input }) =>
      actOnLevel(ctx, "levelReject", { levelReportId: input.levelReportId, expectedVersion: input.expectedVersion, action: { type: "reject", reason: input.reason } }),
    ),
  levelReturn: authedProcedure
    .input(z.object({ ...levelRef, reason: heading }))
    .mutation(({ ctx, input }) =>
      actOnLevel(ctx, "levelReturn", { levelReportId: input.levelReportId, expectedVersion: input.expectedVersion, action: { type: "return", reason: input.reason } }),
    ),
  // A file of the office's report attached by mistake, removed while the report is a draft or sent back (kept for the
  // audit trail, no longer current); a new version replaces one at POST /attachments/level-report-files/:id/replace.
  levelRemoveFile: authedProcedure
    .input(z.object({ fileId: z.number().int().positive(), expectedVersion: z.number().int().positive() }))
    .mutation(({ ctx, input }) =>
      runSeamMutation(ctx, "round.levelRemoveFile", input, async (tx) => ({ value: await withdrawLevelReportFile(tx, ctx.user, input, ctx.now()), change: null })),
    ),
});
