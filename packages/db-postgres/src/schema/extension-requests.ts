import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { extensionRequestStatuses } from "@countersign/db/schema";
import { assignmentsTable } from "./assignments.js";
import { usersTable } from "./users.js";

/** Mirrors packages/db/src/schema/extension-requests.ts. */
export const extensionRequestsTable = pgTable(
  "extension_requests",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
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
