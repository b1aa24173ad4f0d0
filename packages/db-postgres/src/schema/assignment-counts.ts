import { integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import type { AssignmentStatus } from "@countersign/domain";

/**
 * Mirrors packages/db/src/schema/assignment-counts.ts: "*" for every department, plan 0 for every plan. Kept by the
 * PL/pgSQL triggers of migration 0001 on `assignments`, as SQLite's triggers keep it; never written by code.
 */
export const assignmentCountsTable = pgTable(
  "assignment_counts",
  {
    department: text("department").notNull(),
    planId: integer("plan_id").notNull(),
    status: text("status").$type<AssignmentStatus>().notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.department, t.planId, t.status] })],
);
