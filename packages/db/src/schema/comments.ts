import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { assignmentsTable } from "./assignments.js";
import { usersTable } from "./users.js";

export const commentsTable = sqliteTable(
  "comments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    assignmentId: integer("assignment_id")
      .notNull()
      .references(() => assignmentsTable.id),
    planId: integer("plan_id").notNull(),
    authorUserId: integer("author_user_id")
      .notNull()
      .references(() => usersTable.id),
    authorDepartment: text("author_department"),
    /**
     * The department holding the assignment when the comment was written: the comment is part of that department's
     * conversation with the lead ministry and stays with it after a reassignment (see the domain's policy.ts).
     * Null only for a comment whose holder could not be told when the column was added (migration 0004).
     */
    department: text("department"),
    body: text("body").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("comments_assignment_idx").on(t.assignmentId, t.id)],
);
