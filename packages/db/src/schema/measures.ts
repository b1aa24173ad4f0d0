import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { plansTable } from "./plans.js";

/** One numbered measure of a plan, with the lead ministry's closing (办结) and reopening. */
export const measuresTable = sqliteTable(
  "measures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    planId: integer("plan_id")
      .notNull()
      .references(() => plansTable.id),
    number: integer("number").notNull(),
    sectionNumber: integer("section_number").notNull(),
    title: text("title").notNull(),
    text: text("text").notNull(),
    /** The published text is cut short; kept as published, never completed. */
    textCut: integer("text_cut", { mode: "boolean" }).notNull(),
    /**
     * The deadline the imported document states for the measure ("ongoing" or YYYY-MM-DD, Beijing calendar day), and
     * its wording as printed (2030年底前, 持续推进); null when it states none. Issuing uses it unless overridden.
     */
    statedDueDate: text("stated_due_date"),
    statedDeadline: text("stated_deadline"),
    closed: integer("closed", { mode: "boolean" }).notNull().default(false),
    closedAt: text("closed_at"),
    closedByUserId: integer("closed_by_user_id"),
    closeNote: text("close_note"),
    reopenedAt: text("reopened_at"),
    reopenedByUserId: integer("reopened_by_user_id"),
    reopenNote: text("reopen_note"),
    /** Bumped on close and reopen, so that two racing closes cannot both win. */
    version: integer("version").notNull().default(1),
    /** The parent plan's measure this local measure implements (issue 16); null for a measure of the plan's own. */
    originMeasureId: integer("origin_measure_id"),
    /** The measure's row in `search_keys` (its number, title and text, searchable form), kept by triggers (migration 0017). */
    searchKey: integer("search_key"),
  },
  (t) => [uniqueIndex("measures_plan_number_uq").on(t.planId, t.number), index("measures_origin_idx").on(t.originMeasureId)],
);
