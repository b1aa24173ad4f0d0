import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { AssignmentStatus, PendingApproval, Role } from "@countersign/domain";
import { departmentsTable } from "./departments.js";
import { measuresTable } from "./measures.js";
import { plansTable } from "./plans.js";

/**
 * One measure given to one department (交办任务). `version` is bumped by every change: actions are conditional
 * updates `WHERE id = ? AND version = ?`, so of two racing requests exactly one wins.
 */
export const assignmentsTable = sqliteTable(
  "assignments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    planId: integer("plan_id")
      .notNull()
      .references(() => plansTable.id),
    measureId: integer("measure_id")
      .notNull()
      .references(() => measuresTable.id),
    /** Denormalised from the measure so that the inbox and tracking read one table. */
    measureNumber: integer("measure_number").notNull(),
    department: text("department")
      .notNull()
      .references(() => departmentsTable.code),
    role: text("role").$type<Role>().notNull(),
    status: text("status").$type<AssignmentStatus>().notNull(),
    /** "ongoing" or YYYY-MM-DD; "ongoing" sorts after every date, which is the order wanted. */
    dueDate: text("due_date").notNull(),
    pendingExtensionUntil: text("pending_extension_until"),
    pendingExtensionReason: text("pending_extension_reason"),
    /** 分办: the division (处室) and handler (承办人, a user id) the department's liaison handed the work to, or null. */
    divisionId: integer("division_id"),
    handlerUserId: integer("handler_user_id"),
    /** A sign-off or extension request drafted in the department, waiting for its leader's approval, or null. */
    pendingApproval: text("pending_approval", { mode: "json" }).$type<PendingApproval | null>(),
    version: integer("version").notNull().default(1),
    issuedAt: text("issued_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    lastRemindedAt: text("last_reminded_at"),
    /** The measure's `search_key`, copied by triggers (migration 0017): a search reads only the keys that match. */
    searchKey: integer("search_key"),
  },
  (t) => [
    // Not unique: a department whose assignment was withdrawn may be engaged again on the same measure.
    index("assignments_measure_department_idx").on(t.measureId, t.department),
    // A department's inbox: by plan and status, ordered by due date.
    index("assignments_inbox_idx").on(t.department, t.planId, t.status, t.dueDate, t.id),
    // A department's inbox in one plan, or across plans, ordered by due date (no status filter).
    index("assignments_department_plan_due_idx").on(t.department, t.planId, t.dueDate, t.id),
    // search_key last: a search's first page walks the department's inbox in due-date order from this index alone.
    index("assignments_department_due_idx").on(t.department, t.dueDate, t.id, t.searchKey),
    // A department's inbox across plans under a status filter, and its late work (owing statuses by due date).
    index("assignments_department_status_due_idx").on(t.department, t.status, t.dueDate, t.id),
    // The lead ministry's views of one plan: by status and due date (overdue), all of it by due date, and per
    // measure (tracking).
    index("assignments_plan_status_due_idx").on(t.planId, t.status, t.dueDate, t.id),
    index("assignments_plan_due_idx").on(t.planId, t.dueDate, t.id),
    index("assignments_plan_measure_idx").on(t.planId, t.measureNumber, t.department),
    // A handler's inbox: what was handed to them, and their division's work.
    index("assignments_handler_idx").on(t.handlerUserId, t.dueDate, t.id),
    index("assignments_division_idx").on(t.divisionId, t.dueDate, t.id),
    // The inbox's search: a department's assignments of the matching search keys, counted by status and paged by due
    // date from the index alone (issue 17); without a department, a plan's or the whole database's.
    index("assignments_search_idx").on(t.searchKey, t.department, t.status, t.dueDate, t.id),
  ],
);
