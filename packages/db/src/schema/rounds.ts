import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Role, RoundRecurrence, RoundReportStatus, RoundStatus } from "@countersign/domain";
import { assignmentsTable } from "./assignments.js";
import { plansTable } from "./plans.js";
import { usersTable } from "./users.js";

/**
 * A reporting round (定期调度) of one plan: the period reported on, the due date and the scope (measures and
 * departments; empty lists: all). A repeating round names the round it follows.
 */
export const reportRoundsTable = sqliteTable(
  "report_rounds",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    planId: integer("plan_id")
      .notNull()
      .references(() => plansTable.id),
    title: text("title").notNull(),
    periodStart: text("period_start").notNull(),
    periodEnd: text("period_end").notNull(),
    dueDate: text("due_date").notNull(),
    /** JSON array of measure numbers; [] = every measure. */
    measureNumbers: text("measure_numbers").notNull(),
    /** JSON array of department codes; [] = every department. */
    departments: text("departments").notNull(),
    recurrence: text("recurrence").$type<RoundRecurrence>().notNull(),
    status: text("status").$type<RoundStatus>().notNull(),
    previousRoundId: integer("previous_round_id"),
    openedByUserId: integer("opened_by_user_id").references(() => usersTable.id),
    openedAt: text("opened_at").notNull(),
    closedAt: text("closed_at"),
    /** When the "due soon" notice went out (once per round). */
    dueSoonNotifiedAt: text("due_soon_notified_at"),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("report_rounds_plan_idx").on(t.planId, t.status, t.id)],
);

/** One department's report on one assignment in a round (进展情况 / 存在问题 / 下一步计划). */
export const roundReportsTable = sqliteTable(
  "round_reports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    roundId: integer("round_id")
      .notNull()
      .references(() => reportRoundsTable.id),
    planId: integer("plan_id").notNull(),
    assignmentId: integer("assignment_id")
      .notNull()
      .references(() => assignmentsTable.id),
    measureNumber: integer("measure_number").notNull(),
    /** The department asked (the one holding the assignment when the round opened). */
    department: text("department").notNull(),
    role: text("role").$type<Role>().notNull(),
    status: text("status").$type<RoundReportStatus>().notNull(),
    progress: text("progress").notNull().default(""),
    problems: text("problems").notNull().default(""),
    nextSteps: text("next_steps").notNull().default(""),
    submittedAt: text("submitted_at"),
    returnedReason: text("returned_reason"),
    returnedAt: text("returned_at"),
    lastRemindedAt: text("last_reminded_at"),
    reminders: integer("reminders").notNull().default(0),
    updatedAt: text("updated_at").notNull(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("round_reports_round_assignment_idx").on(t.roundId, t.assignmentId),
    index("round_reports_round_department_idx").on(t.roundId, t.department, t.measureNumber),
    // round.reports pages in the compiled report's order by keyset: a page reads its own rows, not the round's.
    index("round_reports_round_order_idx").on(t.roundId, t.measureNumber, t.role, t.department, t.id),
    // The round's statistics (by department, status and submission time) are counted from this index alone.
    index("round_reports_round_standing_idx").on(t.roundId, t.department, t.status, t.submittedAt),
  ],
);
