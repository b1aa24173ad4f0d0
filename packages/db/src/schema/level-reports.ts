import { blob, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { LevelReportStatus } from "@countersign/domain";
import { organisationsTable } from "./organisations.js";
import { reportRoundsTable } from "./rounds.js";
import { usersTable } from "./users.js";

/**
 * A level report (上报, issue 16 point 3): one organisation's report to the round one level up, compiled from its own
 * round (`roundId`, opened on its local plan with the round above) and signed off before it goes up. The draft text
 * (`progress` …) is the office's own; what the level above reads is what was signed off (`submitted*`, `compiled`).
 * Rules: packages/domain/src/cascade/level-reports.ts.
 */
export const levelReportsTable = sqliteTable(
  "level_reports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The round one level up, which this report answers. */
    parentRoundId: integer("parent_round_id")
      .notNull()
      .references(() => reportRoundsTable.id),
    /** The reporting organisation's own round (on its local plan), whose reports it compiles. */
    roundId: integer("round_id")
      .notNull()
      .references(() => reportRoundsTable.id),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisationsTable.id),
    parentOrganisationId: text("parent_organisation_id")
      .notNull()
      .references(() => organisationsTable.id),
    /** The reporting organisation's plan (its own round's plan). */
    planId: integer("plan_id").notNull(),
    status: text("status").$type<LevelReportStatus>().notNull(),
    progress: text("progress").notNull().default(""),
    problems: text("problems").notNull().default(""),
    nextSteps: text("next_steps").notNull().default(""),
    /** The text as signed off and sent up (kept while a returned report is revised); null before the first. */
    submittedProgress: text("submitted_progress"),
    submittedProblems: text("submitted_problems"),
    submittedNextSteps: text("submitted_next_steps"),
    /** JSON: the compilation as signed off (its departments' reports and its children's level reports); null before. */
    compiled: text("compiled"),
    submittedAt: text("submitted_at"),
    signedOffByUserId: integer("signed_off_by_user_id").references(() => usersTable.id),
    returnedReason: text("returned_reason"),
    returnedAt: text("returned_at"),
    updatedAt: text("updated_at").notNull(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    // One per implementation plan below (an organisation that took in two forwardings of the plan has two plans).
    uniqueIndex("level_reports_parent_plan_uq").on(t.parentRoundId, t.planId),
    index("level_reports_parent_org_idx").on(t.parentRoundId, t.organisationId),
    uniqueIndex("level_reports_round_uq").on(t.roundId),
  ],
);

/**
 * 佐证材料 of a level report: the office's own evidence files, attached with its draft or submission (issue 16 point
 * 3). As the attachments area's files (attachments.ts) but owned by the level report, not an assignment; never changed
 * or deleted once stored. The level above sees those stored up to the sign-off it reads (domain: levelReportFileSeenAbove).
 */
export const levelReportFilesTable = sqliteTable(
  "level_report_files",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    levelReportId: integer("level_report_id")
      .notNull()
      .references(() => levelReportsTable.id),
    /** The sanitised file name shown and sent on download. */
    name: text("name").notNull(),
    /** The type found in the bytes (file-type), never the one the client declared. */
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    /** Hex SHA-256 of the bytes, also in the act's audit event. */
    sha256: text("sha256").notNull(),
    uploadedByUserId: integer("uploaded_by_user_id")
      .notNull()
      .references(() => usersTable.id),
    createdAt: text("created_at").notNull(),
    /** UTC ISO time the office removed it or replaced it by a new version (domain: levelReportFileWithdrawal); null while current. */
    withdrawnAt: text("withdrawn_at"),
    /** The new version that replaced it (a file of the same report); null when removed or current. */
    supersededById: integer("superseded_by_id"),
    /** `database` (the bytes in level_report_file_blobs) or an object store's kind (`s3`), as attachments.storage. */
    storage: text("storage").notNull().default("database"),
    /** The object store's key of the bytes; null in the database store. */
    storageKey: text("storage_key"),
  },
  (t) => [index("level_report_files_report_idx").on(t.levelReportId, t.id)],
);

/** The bytes of a level report's file, written in the act's unit of work. */
export const levelReportFileBlobsTable = sqliteTable("level_report_file_blobs", {
  fileId: integer("file_id")
    .primaryKey()
    .references(() => levelReportFilesTable.id),
  bytes: blob("bytes", { mode: "buffer" }).notNull(),
});
