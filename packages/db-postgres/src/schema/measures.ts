import { boolean, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { plansTable } from "./plans.js";

/** Mirrors packages/db/src/schema/measures.ts (booleans are 0/1 integers there, booleans here). */
export const measuresTable = pgTable(
  "measures",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    planId: integer("plan_id")
      .notNull()
      .references(() => plansTable.id),
    number: integer("number").notNull(),
    sectionNumber: integer("section_number").notNull(),
    title: text("title").notNull(),
    text: text("text").notNull(),
    textCut: boolean("text_cut").notNull(),
    statedDueDate: text("stated_due_date"),
    statedDeadline: text("stated_deadline"),
    closed: boolean("closed").notNull().default(false),
    closedAt: text("closed_at"),
    closedByUserId: integer("closed_by_user_id"),
    closeNote: text("close_note"),
    reopenedAt: text("reopened_at"),
    reopenedByUserId: integer("reopened_by_user_id"),
    reopenNote: text("reopen_note"),
    version: integer("version").notNull().default(1),
    originMeasureId: integer("origin_measure_id"),
    searchKey: integer("search_key"),
  },
  (t) => [uniqueIndex("measures_plan_number_uq").on(t.planId, t.number), index("measures_origin_idx").on(t.originMeasureId)],
);
