import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { assignmentsTable } from "./assignments.js";
import { usersTable } from "./users.js";

export const extensionRequestStatuses = ["pending", "approved", "refused", "cancelled"] as const;
export type ExtensionRequestStatus = (typeof extensionRequestStatuses)[number];

/** 延期申请: a department asks the lead ministry for a later due date. `cancelled` when the assignment is withdrawn or reassigned first. */
export const extensionRequestsTable = sqliteTable(
  "extension_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    assignmentId: integer("assignment_id")
      .notNull()
      .references(() => assignmentsTable.id),
    planId: integer("plan_id").notNull(),
    department: text("department").notNull(),
    requestedByUserId: integer("requested_by_user_id")
      .notNull()
      .references(() => usersTable.id),
    previousDueDate: text("previous_due_date").notNull(),
    until: text("until").notNull(),
    reason: text("reason").notNull(),
    status: text("status", { enum: extensionRequestStatuses }).notNull().default("pending"),
    decidedByUserId: integer("decided_by_user_id"),
    decidedAt: text("decided_at"),
    decisionNote: text("decision_note"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("extension_requests_assignment_idx").on(t.assignmentId, t.status)],
);
