import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { assignmentsTable } from "./assignments.js";
import { usersTable } from "./users.js";

/** Mirrors packages/db/src/schema/comments.ts. */
export const commentsTable = pgTable(
  "comments",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    assignmentId: integer("assignment_id")
      .notNull()
      .references(() => assignmentsTable.id),
    planId: integer("plan_id").notNull(),
    authorUserId: integer("author_user_id")
      .notNull()
      .references(() => usersTable.id),
    authorDepartment: text("author_department"),
    /** The department holding the assignment when the comment was written (null: not known when the column came). */
    department: text("department"),
    body: text("body").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("comments_assignment_idx").on(t.assignmentId, t.id)],
);
