import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { AssignmentStatus } from "@countersign/domain";

/** The department code standing for every department, and the plan id standing for every plan, in the counts. */
export const allDepartments = "*";
export const allPlans = 0;

/**
 * How many assignments each department holds in each status, per plan and over all plans (and the same for every
 * department): the inbox's counts read a handful of rows here instead of counting a department's whole history.
 * Kept by triggers on `assignments` (migration 0002), in the same transaction as every change; never written by code.
 */
export const assignmentCountsTable = sqliteTable(
  "assignment_counts",
  {
    /** A department code, or "*" for every department. */
    department: text("department").notNull(),
    /** A plan id, or 0 for every plan. */
    planId: integer("plan_id").notNull(),
    status: text("status").$type<AssignmentStatus>().notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.department, t.planId, t.status] })],
);
