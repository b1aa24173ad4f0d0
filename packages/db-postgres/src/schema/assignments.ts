import { index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import type { AssignmentStatus, PendingApproval, Role } from "@countersign/domain";
import { departmentsTable } from "./departments.js";
import { measuresTable } from "./measures.js";
import { plansTable } from "./plans.js";

/**
 * Mirrors packages/db/src/schema/assignments.ts. Dates stay text (YYYY-MM-DD or "ongoing", which sorts after every
 * date: digits come before letters in every collation) and times stay UTC ISO text, as on SQLite.
 */
export const assignmentsTable = pgTable(
  "assignments",
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
    status: text("status").$type<AssignmentStatus>().notNull(),
    dueDate: text("due_date").notNull(),
    pendingExtensionUntil: text("pending_extension_until"),
    pendingExtensionReason: text("pending_extension_reason"),
    divisionId: integer("division_id"),
    handlerUserId: integer("handler_user_id"),
    pendingApproval: jsonb("pending_approval").$type<PendingApproval | null>(),
    version: integer("version").notNull().default(1),
    issuedAt: text("issued_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    lastRemindedAt: text("last_reminded_at"),
    searchKey: integer("search_key"),
  },
  (t) => [
    index("assignments_measure_department_idx").on(t.measureId, t.department),
    index("assignments_inbox_idx").on(t.department, t.planId, t.status, t.dueDate, t.id),
    index("assignments_department_plan_due_idx").on(t.department, t.planId, t.dueDate, t.id),
    index("assignments_department_due_idx").on(t.department, t.dueDate, t.id, t.searchKey),
    index("assignments_search_idx").on(t.searchKey, t.department, t.status, t.dueDate, t.id),
    index("assignments_department_status_due_idx").on(t.department, t.status, t.dueDate, t.id),
    index("assignments_handler_idx").on(t.handlerUserId, t.dueDate, t.id),
    index("assignments_division_idx").on(t.divisionId, t.dueDate, t.id),
    index("assignments_plan_status_due_idx").on(t.planId, t.status, t.dueDate, t.id),
    index("assignments_plan_due_idx").on(t.planId, t.dueDate, t.id),
    index("assignments_plan_measure_idx").on(t.planId, t.measureNumber, t.department),
  ],
);
