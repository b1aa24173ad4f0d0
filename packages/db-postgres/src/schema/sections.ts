import { integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { plansTable } from "./plans.js";

/** Mirrors packages/db/src/schema/sections.ts. */
export const sectionsTable = pgTable(
  "sections",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    planId: integer("plan_id")
      .notNull()
      .references(() => plansTable.id),
    number: integer("number").notNull(),
    numeral: text("numeral").notNull(),
    title: text("title").notNull(),
  },
  (t) => [uniqueIndex("sections_plan_number_uq").on(t.planId, t.number)],
);
