import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Justification, Role } from "@countersign/domain";
import { departmentsTable } from "./departments.js";
import { measuresTable } from "./measures.js";
import { plansTable } from "./plans.js";

/** The division of work: one department's role (lead or supporting) in one measure. */
export const responsibilitiesTable = sqliteTable(
  "responsibilities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    planId: integer("plan_id")
      .notNull()
      .references(() => plansTable.id),
    measureId: integer("measure_id")
      .notNull()
      .references(() => measuresTable.id),
    measureNumber: integer("measure_number").notNull(),
    department: text("department")
      .notNull()
      .references(() => departmentsTable.code),
    role: text("role").$type<Role>().notNull(),
    /** Order within the measure: the lead first, then supporting departments as listed. */
    position: integer("position").notNull(),
    /** Why it was proposed (a phrase of the measure, or a rule); null when the coordinator set it by hand. */
    justification: text("justification", { mode: "json" }).$type<Justification | null>(),
  },
  (t) => [
    uniqueIndex("responsibilities_measure_department_uq").on(t.measureId, t.department),
    index("responsibilities_plan_measure_idx").on(t.planId, t.measureNumber, t.position),
  ],
);
