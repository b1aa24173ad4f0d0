import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { plansTable } from "./plans.js";

export const sectionsTable = sqliteTable(
  "sections",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    planId: integer("plan_id")
      .notNull()
      .references(() => plansTable.id),
    number: integer("number").notNull(),
    numeral: text("numeral").notNull(),
    title: text("title").notNull(),
  },
  (t) => [uniqueIndex("sections_plan_number_uq").on(t.planId, t.number)],
);
