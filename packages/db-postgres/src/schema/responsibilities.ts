import { index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { Justification, Role } from "@countersign/domain";
import { departmentsTable } from "./departments.js";
import { measuresTable } from "./measures.js";
import { plansTable } from "./plans.js";

/** Mirrors packages/db/src/schema/responsibilities.ts. */
export const responsibilitiesTable = pgTable(
  "responsibilities",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
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
    position: integer("position").notNull(),
    justification: jsonb("justification").$type<Justification | null>(),
  },
  (t) => [
    uniqueIndex("responsibilities_measure_department_uq").on(t.measureId, t.department),
    index("responsibilities_plan_measure_idx").on(t.planId, t.measureNumber, t.position),
  ],
);
